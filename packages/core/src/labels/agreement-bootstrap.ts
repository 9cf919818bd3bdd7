import { createRng, quantiles } from '../stats/index.ts'
import { cohenFromTable, fleissFromSums } from './agreement-fast.ts'
import type { AgreementOptions } from './agreement.ts'

/** One finding's reads arranged for the bootstrap: per image, counts and pair cells. */
export interface FindingData {
  readonly finding: string
  /** Per image (universe index): reads, and the counts of categories 0..2. */
  readonly n: Int32Array
  readonly counts: Int32Array
  readonly term: Float64Array
  /** Per image, its index in `patterns` (-1 when read fewer than twice). */
  readonly pattern: Int32Array
  /** The distinct category counts of images read at least twice. */
  readonly patterns: readonly { c: readonly [number, number, number]; n: number; term: number }[]
  /** Per image, the table cells (pair * 9 + a * 3 + b) it adds to: CSR layout. */
  readonly start: Int32Array
  readonly cells: Int32Array
  /** The reader pairs (i < j) that share at least one image. */
  readonly pairs: readonly (readonly [number, number])[]
  /** Per pair, the two readers' codes on their shared images (for the point estimate). */
  readonly pairCodes: readonly { a: number[]; b: number[] }[]
}

export interface Interval {
  readonly low: number | null
  readonly high: number | null
}

/**
 * The joint percentile bootstrap over images [L13]: each of `replicates` resamples draws as many
 * images as there are in the universe (every image with a read by one of the readers, on any
 * finding), with replacement, index by index from `createRng(seed)` as `bootstrapInterval` does;
 * every kappa of every finding is computed on the same resample; the interval of each is the
 * type-7 alpha/2 and 1 - alpha/2 quantiles over the resamples on which it is defined.
 */
export function bootstrapAgreement(
  data: readonly FindingData[],
  N: number,
  o: AgreementOptions,
): { fleiss: Interval; pairs: Interval[] }[] {
  const { replicates = 1000, confidence = 0.95 } = o
  const fleissValues = data.map(() => new Float64Array(replicates))
  const pairValues = data.map((d) => d.pairs.map(() => new Float64Array(replicates)))
  // Every image adds to a few slots of one accumulator: per finding, its Fleiss pattern and
  // its pairs' table cells. A resample is then one pass over the images drawn.
  const base: { pattern: number; table: number }[] = []
  let size = 0
  for (const d of data) {
    base.push({ pattern: size, table: size + d.patterns.length })
    size += d.patterns.length + d.pairs.length * 9
  }
  const start = new Int32Array(N + 1)
  const slots: number[] = []
  for (let im = 0; im < N; im++) {
    start[im] = slots.length
    data.forEach((d, fi) => {
      if (d.pattern[im]! < 0) return
      slots.push(base[fi]!.pattern + d.pattern[im]!)
      for (let e = d.start[im]!; e < d.start[im + 1]!; e++)
        slots.push(base[fi]!.table + d.cells[e]!)
    })
  }
  start[N] = slots.length
  const slot = Int32Array.from(slots)
  const acc = new Int32Array(size)
  // how often each image is drawn: the statistics depend on the resample only through this
  const times = new Int32Array(N)
  const rng = createRng(o.seed)
  const draws = new Int32Array(N)
  for (let r = 0; r < replicates && N > 0; r++) {
    times.fill(0)
    rng.fillInts(N, draws)
    for (let k = 0; k < N; k++) times[draws[k]!]!++
    acc.fill(0)
    for (let im = 0; im < N; im++) {
      const m = times[im]!
      if (m === 0) continue
      for (let e = start[im]!, end = start[im + 1]!; e < end; e++) acc[slot[e]!]! += m
    }
    for (let fi = 0; fi < data.length; fi++) {
      const patterns = data[fi]!.patterns
      const at = base[fi]!.pattern
      let items = 0
      let reads = 0
      let agreement = 0
      let c0 = 0
      let c1 = 0
      let c2 = 0
      for (let k = 0; k < patterns.length; k++) {
        const w = acc[at + k]!
        if (w === 0) continue
        const p = patterns[k]!
        items += w
        reads += p.n * w
        agreement += p.term * w
        c0 += p.c[0] * w
        c1 += p.c[1] * w
        c2 += p.c[2] * w
      }
      fleissValues[fi]![r] = fleissFromSums(items, reads, agreement, c0, c1, c2)
      const values = pairValues[fi]!
      const table = base[fi]!.table
      for (let p = 0; p < values.length; p++) values[p]![r] = cohenFromTable(acc, table + p * 9)
    }
  }
  const alpha = 1 - confidence
  const interval = (values: Float64Array): Interval => {
    const defined = values.filter((v) => !Number.isNaN(v))
    if (defined.length === 0) return { low: null, high: null }
    const [low, high] = quantiles(defined, [alpha / 2, 1 - alpha / 2]) as [number, number]
    return { low, high }
  }
  return data.map((_, fi) => ({
    fleiss: interval(fleissValues[fi]!),
    pairs: pairValues[fi]!.map(interval),
  }))
}
