import type { GalleryCounts } from '@cxr-audit/core'
import { listAudits } from './audits.ts'
import { findDataset } from './datasets.ts'
import { labelAccuracy } from './label-accuracy.ts'
import type { GalleryPlan } from './model-gallery.ts'
import { StoreError, type Store } from './store.ts'

/** One error gallery of a model with what its readers found [R10][M45]. */
export interface GalleryReview extends GalleryCounts {
  readonly audit: number
  readonly drawn: number
  /** Films on which the reader agrees with the model's call (present for tp/fp, absent for tn/fn). */
  readonly modelRight: number
  readonly readers: readonly string[]
}

/**
 * Each gallery audit of the model (`cxr-audit gallery`, the models page's TP/FP/TN/FN buttons),
 * newest last, with its readers' verdicts (the consensus of all of them; unfinished pages do not
 * count [L25]). A gallery nobody has reviewed is listed with no verdicts.
 */
export async function galleryReviews(
  store: Store,
  model: string,
  dataset: string,
): Promise<GalleryReview[]> {
  const ds = await findDataset(store.db, dataset)
  const out: GalleryReview[] = []
  for (const a of (await listAudits(store.db, ds.id)).reverse()) {
    const g = (a.plan as unknown as { gallery?: GalleryPlan }).gallery
    if (g === undefined || g.model !== model) continue
    let counts = { judged: 0, present: 0, absent: 0, uncertain: 0, readers: [] as string[] }
    try {
      const acc = await labelAccuracy(store.db, { auditId: a.id })
      const f = acc.findings[0]
      if (f !== undefined) {
        const positive = g.cell === 'tp' || g.cell === 'fn'
        counts = {
          judged: f.judged,
          present: positive ? f.present : f.negativePresent,
          absent: positive ? f.absent : f.negativeAbsent,
          uncertain: positive ? f.uncertain : f.negativeUncertain,
          readers: [...acc.readers],
        }
      }
    } catch (e) {
      // a gallery nobody has reviewed yet: listed with no verdicts
      if (!(e instanceof StoreError)) throw e
    }
    const calledPositive = g.cell === 'tp' || g.cell === 'fp'
    out.push({
      audit: a.id,
      finding: g.finding,
      cell: g.cell,
      threshold: g.threshold.value,
      drawn: a.items,
      ...counts,
      modelRight: calledPositive ? counts.present : counts.absent,
    })
  }
  return out
}
