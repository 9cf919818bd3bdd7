import { UndefinedStatisticError, cohenKappa, fleissKappa, type Seed } from '../stats/index.ts'
import { fleissTerm } from './agreement-fast.ts'
import { bootstrapAgreement, type FindingData, type Interval } from './agreement-bootstrap.ts'
import { VERDICTS, type Verdict } from '../verdict.ts'

/** One reader's current verdict on one finding of one image. */
export interface Read {
  readonly image: number | string
  readonly reader: string
  readonly finding: string
  readonly verdict: Verdict
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
  readonly categories: Record<Verdict, number>
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

const CODE: Readonly<Record<Verdict, number>> = { present: 0, absent: 1, uncertain: 2 }
const CATEGORIES = [0, 1, 2] as const

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
  const findingIndex = new Map(findings.map((f, i) => [f, i]))
  const universe = new Map<number | string, number>()
  // per finding, the (image, reader, category) of its reads, as indices
  const coded = findings.map(() => [] as number[])
  for (const r of reads) {
    const ri = readerIndex.get(r.reader)
    if (ri === undefined) continue
    let im = universe.get(r.image)
    if (im === undefined) universe.set(r.image, (im = universe.size))
    const fi = findingIndex.get(r.finding)
    if (fi !== undefined) coded[fi]!.push(im, ri, CODE[r.verdict])
  }
  const data = findings.map((f, fi) => arrange(f, coded[fi]!, readers.length, universe.size))
  const intervals = bootstrapAgreement(data, universe.size, options)
  return data.map((d, fi) => pointEstimates(d, readers, intervals[fi]!))
}

/** `coded`: (image, reader, category) triples of one finding's reads. */
function arrange(finding: string, coded: readonly number[], R: number, N: number): FindingData {
  const codes = new Int8Array(N * R).fill(-1)
  for (let k = 0; k < coded.length; k += 3) codes[coded[k]! * R + coded[k + 1]!] = coded[k + 2]!
  const n = new Int32Array(N)
  const counts = new Int32Array(N * 3)
  const term = new Float64Array(N)
  const pattern = new Int32Array(N)
  const patternId = new Map<string, number>()
  const patterns: { c: readonly [number, number, number]; n: number; term: number }[] = []
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
    pattern[im] = -1
    if (n[im]! >= 2) {
      const c = [counts[im * 3]!, counts[im * 3 + 1]!, counts[im * 3 + 2]!] as const
      term[im] = fleissTerm(...c)
      const key = c.join(',')
      let k = patternId.get(key)
      if (k === undefined) {
        k = patterns.length
        patternId.set(key, k)
        patterns.push({ c, n: n[im]!, term: term[im]! })
      }
      pattern[im] = k
    }
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
    pattern,
    patterns,
    start,
    cells: sortedCells,
    pairs: order.map((p) => pairs[p]!),
    pairCodes: order.map((p) => pairCodes[p]!),
  }
}

function pointEstimates(
  d: FindingData,
  readers: readonly string[],
  intervals: { fleiss: Interval; pairs: Interval[] },
): AgreementRow {
  const rows: number[][] = []
  const readsPerImage: Record<string, number> = {}
  const categories: Record<Verdict, number> = { present: 0, absent: 0, uncertain: 0 }
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
    VERDICTS.forEach((v, j) => (categories[v] += c[j]!))
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
