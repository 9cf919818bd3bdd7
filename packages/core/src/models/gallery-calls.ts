import { wilsonInterval } from '../stats/proportions.ts'
import { GALLERY_CELLS, type GalleryCell } from './gallery.ts'

/** What the readers found in one reviewed gallery (one cell of one model, finding, threshold). */
export interface GalleryCounts {
  readonly finding: string
  readonly cell: GalleryCell
  readonly threshold: number
  /** Films with a verdict (on finished pages), and how they were judged. */
  readonly judged: number
  readonly present: number
  readonly absent: number
  readonly uncertain: number
}

/** The reader's verdicts on the films the model called one way [M45]. */
export interface CallRow {
  readonly judged: number
  readonly present: number
  readonly absent: number
  readonly uncertain: number
}

/** The model's call against the reader's verdict over its four reviewed galleries [M45]. */
export interface GalleryCallTable {
  readonly finding: string
  readonly threshold: number
  /** Cells with at least one judged film, in TP, FP, TN, FN order. */
  readonly reviewed: readonly GalleryCell[]
  /** All four cells reviewed: the table is complete. */
  readonly complete: boolean
  /** TP and FP galleries: the model called the finding present. */
  readonly calledPositive: CallRow
  /** TN and FN galleries: the model called it absent. */
  readonly calledNegative: CallRow
  /** present / (present + absent) of the films called positive; uncertain verdicts left out. */
  readonly ppv: number | null
  readonly ppvLow: number | null
  readonly ppvHigh: number | null
  /** absent / (present + absent) of the films called negative. */
  readonly npv: number | null
  readonly npvLow: number | null
  readonly npvHigh: number | null
  readonly confidence: number
}

const sum = (rows: readonly GalleryCounts[]): CallRow => ({
  judged: rows.reduce((s, r) => s + r.judged, 0),
  present: rows.reduce((s, r) => s + r.present, 0),
  absent: rows.reduce((s, r) => s + r.absent, 0),
  uncertain: rows.reduce((s, r) => s + r.uncertain, 0),
})

function share(k: number, n: number, confidence: number) {
  if (n === 0) return { value: null, low: null, high: null }
  const { low, high } = wilsonInterval(k, n, confidence)
  return { value: k / n, low, high }
}

/**
 * One table per (finding, threshold) of a model's reviewed galleries [M45]: the films the model
 * called positive (TP and FP galleries) and negative (TN and FN) against the reader's verdict,
 * with the model's PPV and NPV against the reader and their Wilson intervals. The proportions are
 * over the reviewed gallery films as drawn (each cell's gallery is a sample of that cell, not
 * weighted by the cell's size), so they describe the reviewed films, not the whole dataset.
 */
export function galleryCallTables(
  galleries: readonly GalleryCounts[],
  confidence = 0.95,
): GalleryCallTable[] {
  const groups = new Map<string, GalleryCounts[]>()
  for (const g of galleries) {
    const key = `${g.finding}\u0000${g.threshold}`
    const list = groups.get(key)
    if (list === undefined) groups.set(key, [g])
    else list.push(g)
  }
  const out: GalleryCallTable[] = []
  for (const rows of groups.values()) {
    const judged = rows.filter((r) => r.judged > 0)
    const reviewed = GALLERY_CELLS.filter((c) => judged.some((r) => r.cell === c))
    const positive = sum(judged.filter((r) => r.cell === 'tp' || r.cell === 'fp'))
    const negative = sum(judged.filter((r) => r.cell === 'tn' || r.cell === 'fn'))
    const ppv = share(positive.present, positive.present + positive.absent, confidence)
    const npv = share(negative.absent, negative.present + negative.absent, confidence)
    out.push({
      finding: rows[0]!.finding,
      threshold: rows[0]!.threshold,
      reviewed,
      complete: reviewed.length === GALLERY_CELLS.length,
      calledPositive: positive,
      calledNegative: negative,
      ppv: ppv.value,
      ppvLow: ppv.low,
      ppvHigh: ppv.high,
      npv: npv.value,
      npvLow: npv.low,
      npvHigh: npv.high,
      confidence,
    })
  }
  return out
}
