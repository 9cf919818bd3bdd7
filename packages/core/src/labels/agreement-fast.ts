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
  const t0 = table[offset]!
  const t1 = table[offset + 1]!
  const t2 = table[offset + 2]!
  const t3 = table[offset + 3]!
  const t4 = table[offset + 4]!
  const t5 = table[offset + 5]!
  const t6 = table[offset + 6]!
  const t7 = table[offset + 7]!
  const t8 = table[offset + 8]!
  const r0 = t0 + t1 + t2
  const r1 = t3 + t4 + t5
  const r2 = t6 + t7 + t8
  const n = r0 + r1 + r2
  if (n === 0) return Number.NaN
  const c0 = t0 + t3 + t6
  const c1 = t1 + t4 + t7
  const c2 = t2 + t5 + t8
  // counts are integers: every sum above is exact, so only this part must follow cohenKappa
  let expectedAgree = 0
  expectedAgree += (r0 * c0) / n
  expectedAgree += (r1 * c1) / n
  expectedAgree += (r2 * c2) / n
  const expectedDisagree = n - expectedAgree
  if (expectedDisagree <= 0) return Number.NaN
  return 1 - (n - (t0 + t4 + t8)) / expectedDisagree
}
