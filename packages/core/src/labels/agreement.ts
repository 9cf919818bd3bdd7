import {
  UndefinedStatisticError,
  cohenKappa,
  createRng,
  fleissKappa,
  quantiles,
  type Seed,
} from '../stats/index.ts'
import { cohenFromTable, fleissFromSums, fleissTerm } from './agreement-fast.ts'
import { LABEL_VERDICTS, type LabelVerdict } from './verdict-values.ts'

/** One reader's current verdict on one finding of one image. */
export interface Read {
  readonly image: number | string
  readonly reader: string
  readonly finding: string
  readonly verdict: LabelVerdict
}

export interface AgreementOptions {
  /** Seeds the bootstrap [L13]. */
  readonly seed: Seed
  /** Bootstrap resamples (default 1000). */
  readonly replicates?: number
  readonly confidence?: number
}

export interface AgreementPair {
  readonly a: string
  readonly b: string
  /** Images both readers judged. */
  readonly images: number
  readonly cohenKappa: number | null
  readonly cohenKappaLow: number | null
  readonly cohenKappaHigh: number | null
  readonly percentAgreement: number
  readonly note: string | null
}

export interface AgreementRow {
  readonly finding: string
  /** Images with at least two reads (the ones Fleiss' kappa is computed on). */
  readonly images: number
  /** Reads on those images. */
  readonly reads: number
  /** Images read once: in no statistic. */
  readonly singleReadImages: number
  /** Number of images by number of reads, e.g. {"2": 25, "3": 2387}. */
  readonly readsPerImage: Record<string, number>
  /** Reads per category over the images with at least two reads. */
  readonly categories: Record<LabelVerdict, number>
  readonly fleissKappa: number | null
  readonly fleissKappaLow: number | null
  readonly fleissKappaHigh: number | null
  /** Mean over images of the fraction of agreeing reader pairs (Fleiss' P-bar). */
  readonly percentAgreement: number | null
  /** Fraction of images on which every read agrees. */
  readonly unanimous: number | null
  readonly note: string | null
  readonly pairs: readonly AgreementPair[]
}

const CODE: Readonly<Record<LabelVerdict, number>> = { present: 0, absent: 1, uncertain: 2 }
const CATEGORIES = [0, 1, 2] as const

/** One finding's reads arranged for the bootstrap: per image, counts and pair cells. */
interface FindingData {
  readonly finding: string
  /** Per image (universe index): reads, and the counts of categories 0..2. */
  readonly n: Int32Array
  readonly counts: Int32Array
  readonly term: Float64Array
  /** Per image, the table cells (pair * 9 + a * 3 + b) it adds to: CSR layout. */
  readonly start: Int32Array
  readonly cells: Int32Array
  /** The reader pairs (i < j) that share at least one image. */
  readonly pairs: readonly (readonly [number, number])[]
  /** Per pair, the two readers' codes on their shared images (for the point estimate). */
  readonly pairCodes: readonly { a: number[]; b: number[] }[]
}

/**
 * Agreement between readers, per finding [L11]-[L13]. Categories are present, absent and
 * uncertain. Fleiss' kappa is over the images with at least two reads, every image weighted
 * equally whatever its number of reads (`fleissKappa`'s documented handling of varying reads);
 * images read once are counted and left out. Each pair of readers gets Cohen's kappa and percent
 * agreement on the images both judged. Intervals: one percentile bootstrap over images shared by
 * every statistic (see `bootstrapAgreement`).
 */
export function agreementTable(
  reads: readonly Read[],
  readers: readonly string[],
  findings: readonly string[],
  options: AgreementOptions,
): AgreementRow[] {
  const readerIndex = new Map(readers.map((r, i) => [r, i]))
  const universe = new Map<number | string, number>()
  for (const r of reads) {
    if (readerIndex.has(r.reader) && !universe.has(r.image)) universe.set(r.image, universe.size)
  }
  const data = findings.map((f) => arrange(f, reads, readerIndex, universe))
  const intervals = bootstrapAgreement(data, universe.size, options)
  return data.map((d, fi) => pointEstimates(d, readers, intervals[fi]!))
}

function arrange(
  finding: string,
  reads: readonly Read[],
  readerIndex: ReadonlyMap<string, number>,
  universe: ReadonlyMap<number | string, number>,
): FindingData {
  const R = readerIndex.size
  const N = universe.size
  const codes = new Int8Array(N * R).fill(-1)
  for (const r of reads) {
    const ri = readerIndex.get(r.reader)
    if (r.finding !== finding || ri === undefined) continue
    codes[universe.get(r.image)! * R + ri] = CODE[r.verdict]
  }
  const n = new Int32Array(N)
  const counts = new Int32Array(N * 3)
  const term = new Float64Array(N)
  const start = new Int32Array(N + 1)
  const cells: number[] = []
  const pairId = new Map<number, number>()
  const pairs: [number, number][] = []
  const pairCodes: { a: number[]; b: number[] }[] = []
  for (let im = 0; im < N; im++) {
    start[im] = cells.length
    for (let i = 0; i < R; i++) {
      const ci = codes[im * R + i]!
      if (ci < 0) continue
      n[im]!++
      counts[im * 3 + ci]!++
      for (let j = i + 1; j < R; j++) {
        const cj = codes[im * R + j]!
        if (cj < 0) continue
        let p = pairId.get(i * R + j)
        if (p === undefined) {
          p = pairs.length
          pairId.set(i * R + j, p)
          pairs.push([i, j])
          pairCodes.push({ a: [], b: [] })
        }
        pairCodes[p]!.a.push(ci)
        pairCodes[p]!.b.push(cj)
        cells.push(p * 9 + ci * 3 + cj)
      }
    }
    if (n[im]! >= 2)
      term[im] = fleissTerm(counts[im * 3]!, counts[im * 3 + 1]!, counts[im * 3 + 2]!)
  }
  start[N] = cells.length
  // pairs in reader order, not in order of first shared image
  const order = pairs
    .map((_, p) => p)
    .sort((x, y) => pairs[x]![0] - pairs[y]![0] || pairs[x]![1] - pairs[y]![1])
  const rank = new Int32Array(pairs.length)
  order.forEach((p, k) => (rank[p] = k))
  const sortedCells = Int32Array.from(cells, (c) => rank[Math.floor(c / 9)]! * 9 + (c % 9))
  return {
    finding,
    n,
    counts,
    term,
    start,
    cells: sortedCells,
    pairs: order.map((p) => pairs[p]!),
    pairCodes: order.map((p) => pairCodes[p]!),
  }
}

interface Interval {
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
function bootstrapAgreement(
  data: readonly FindingData[],
  N: number,
  o: AgreementOptions,
): { fleiss: Interval; pairs: Interval[] }[] {
  const { replicates = 1000, confidence = 0.95 } = o
  const fleissValues = data.map(() => new Float64Array(replicates))
  const pairValues = data.map((d) => d.pairs.map(() => new Float64Array(replicates)))
  const tables = data.map((d) => new Int32Array(d.pairs.length * 9))
  // how often each image is drawn: the statistics depend on the resample only through this
  const times = new Int32Array(N)
  const rng = createRng(o.seed)
  for (let r = 0; r < replicates && N > 0; r++) {
    times.fill(0)
    for (let k = 0; k < N; k++) times[rng.int(N)]!++
    for (let fi = 0; fi < data.length; fi++) {
      const d = data[fi]!
      const table = tables[fi]!
      table.fill(0)
      const { n, counts, term, start, cells } = d
      // Fleiss' running sums (FleissSums), kept in locals for speed
      let items = 0
      let reads = 0
      let agreement = 0
      let t0 = 0
      let t1 = 0
      let t2 = 0
      for (let im = 0; im < N; im++) {
        const m = times[im]!
        if (m === 0) continue
        const ni = n[im]!
        if (ni < 2) continue
        items += m
        reads += ni * m
        agreement += term[im]! * m
        t0 += counts[im * 3]! * m
        t1 += counts[im * 3 + 1]! * m
        t2 += counts[im * 3 + 2]! * m
        for (let e = start[im]!, end = start[im + 1]!; e < end; e++) table[cells[e]!]! += m
      }
      fleissValues[fi]![r] = fleissFromSums(items, reads, agreement, t0, t1, t2)
      const values = pairValues[fi]!
      for (let p = 0; p < values.length; p++) values[p]![r] = cohenFromTable(table, p * 9)
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

function pointEstimates(
  d: FindingData,
  readers: readonly string[],
  intervals: { fleiss: Interval; pairs: Interval[] },
): AgreementRow {
  const rows: number[][] = []
  const readsPerImage: Record<string, number> = {}
  const categories: Record<LabelVerdict, number> = { present: 0, absent: 0, uncertain: 0 }
  let single = 0
  let reads = 0
  let agree = 0
  let unanimous = 0
  for (let im = 0; im < d.n.length; im++) {
    const n = d.n[im]!
    if (n === 0) continue
    readsPerImage[String(n)] = (readsPerImage[String(n)] ?? 0) + 1
    if (n < 2) {
      single++
      continue
    }
    const c = [d.counts[im * 3]!, d.counts[im * 3 + 1]!, d.counts[im * 3 + 2]!]
    rows.push(c)
    reads += n
    LABEL_VERDICTS.forEach((v, j) => (categories[v] += c[j]!))
    agree += d.term[im]!
    if (c.includes(n)) unanimous++
  }
  let fleiss: number | null = null
  let note: string | null = rows.length === 0 ? 'no image has two reads' : null
  if (rows.length > 0) {
    try {
      fleiss = fleissKappa(rows)
    } catch (e) {
      if (!(e instanceof UndefinedStatisticError)) throw e
      note = e.message
    }
  }
  const pairs = d.pairs.map(([i, j], p): AgreementPair => {
    const { a, b } = d.pairCodes[p]!
    let same = 0
    for (let k = 0; k < a.length; k++) if (a[k] === b[k]) same++
    let kappa: number | null = null
    let pairNote: string | null = null
    try {
      kappa = cohenKappa(a, b, CATEGORIES)
    } catch (e) {
      if (!(e instanceof UndefinedStatisticError)) throw e
      pairNote = e.message
    }
    const iv = intervals.pairs[p]!
    return {
      a: readers[i]!,
      b: readers[j]!,
      images: a.length,
      cohenKappa: kappa,
      cohenKappaLow: kappa === null ? null : iv.low,
      cohenKappaHigh: kappa === null ? null : iv.high,
      percentAgreement: same / a.length,
      note: pairNote,
    }
  })
  return {
    finding: d.finding,
    images: rows.length,
    reads,
    singleReadImages: single,
    readsPerImage,
    categories,
    fleissKappa: fleiss,
    fleissKappaLow: fleiss === null ? null : intervals.fleiss.low,
    fleissKappaHigh: fleiss === null ? null : intervals.fleiss.high,
    percentAgreement: rows.length === 0 ? null : agree / rows.length,
    unanimous: rows.length === 0 ? null : unanimous / rows.length,
    note,
    pairs,
  }
}
