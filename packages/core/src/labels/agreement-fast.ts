/**
 * Kappa from running sums, for the bootstrap's thousands of resamples. Each does the arithmetic
 * of `fleissKappa` / `cohenKappa` (packages/core/src/stats/kappa.ts) in the same order, so the
 * results equal calling them on the resample (to rounding in the last bits); tests hold them equal
 * to 1e-12 [L13].
 */

/**
 * Fleiss' kappa from running sums over the items with at least two reads: their number, their
 * reads, the sum of their agreement terms (`fleissTerm`) and the reads per category. NaN when
 * undefined. An item drawn m times adds m times to each sum; counts add exactly, the terms' sum
 * may differ from item-by-item addition in the last bits.
 */
export function fleissFromSums(
  items: number,
  reads: number,
  agreement: number,
  c0: number,
  c1: number,
  c2: number,
): number {
  if (items === 0) return Number.NaN
  const observed = agreement / items
  const chance = (c0 / reads) ** 2 + (c1 / reads) ** 2 + (c2 / reads) ** 2
  if (chance >= 1) return Number.NaN
  return (observed - chance) / (1 - chance)
}

/** The per-item agreement term of Fleiss' kappa for counts c0..c2 (n = c0 + c1 + c2 >= 2). */
export function fleissTerm(c0: number, c1: number, c2: number): number {
  const n = c0 + c1 + c2
  return (c0 * (c0 - 1) + c1 * (c1 - 1) + c2 * (c2 - 1)) / (n * (n - 1))
}

/**
 * Cohen's kappa of a 3 x 3 table of two readers' categories (cells a * 3 + b, starting at
 * `offset`), NaN when undefined (no items, or chance agreement 1).
 */
export function cohenFromTable(table: Int32Array | Float64Array, offset: number): number {
  let n = 0
  let agree = 0
  const rows = [0, 0, 0]
  const columns = [0, 0, 0]
  for (let a = 0; a < 3; a++) {
    for (let b = 0; b < 3; b++) {
      const count = table[offset + a * 3 + b]!
      n += count
      rows[a]! += count
      columns[b]! += count
      if (a === b) agree += count
    }
  }
  if (n === 0) return Number.NaN
  let expectedAgree = 0
  for (let j = 0; j < 3; j++) expectedAgree += (rows[j]! * columns[j]!) / n
  const expectedDisagree = n - expectedAgree
  if (expectedDisagree <= 0) return Number.NaN
  return 1 - (n - agree) / expectedDisagree
}
