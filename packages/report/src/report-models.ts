import type { ModelEvalReport, ReaderSpec, ThresholdSpec } from '@cxr-audit/core'
import {
  StoreError,
  evaluateModel,
  galleryReviews,
  type GalleryReview,
  type Store,
} from '@cxr-audit/store'

export type { GalleryReview }

/** A model evaluated for the report [R10]: against the original labels, and the readers. */
export interface ReportModelSection {
  readonly model: string
  /** Against the original labels first, then against the report's reader when there is one. */
  readonly evaluations: readonly ModelEvalReport[]
  /** The model's error galleries (`cxr-audit gallery`) with what their readers found. */
  readonly galleries: readonly GalleryReview[]
}

/**
 * Evaluates each named model on the findings the readers judged (all it scores when none),
 * with ROC and calibration, against the original labels and the report's reader [R10].
 */
export async function buildModelSections(
  store: Store,
  o: {
    readonly models: readonly string[]
    readonly dataset: string
    readonly reader: ReaderSpec | null
    readonly findings: readonly string[]
    readonly threshold?: ThresholdSpec | undefined
  },
): Promise<ReportModelSection[]> {
  const out: ReportModelSection[] = []
  for (const model of o.models) {
    const common = {
      model,
      dataset: o.dataset,
      curves: true,
      ...(o.threshold === undefined ? {} : { threshold: o.threshold }),
    }
    // the judged findings the model scores; all it scores when it scores none of them
    const original = await evaluateModel(store, {
      ...common,
      ...(o.findings.length > 0 ? { findings: o.findings } : {}),
    }).catch(async (e: unknown) => {
      if (!(e instanceof StoreError) || o.findings.length === 0) throw e
      return evaluateModel(store, common)
    })
    const evaluations = [original]
    if (o.reader !== null) {
      try {
        evaluations.push(
          await evaluateModel(store, {
            ...common,
            against: o.reader,
            findings: original.findings.map((f) => f.finding),
          }),
        )
      } catch (e) {
        // the reader judged none of these findings: the original labels alone
        if (!(e instanceof StoreError)) throw e
      }
    }
    out.push({ model, evaluations, galleries: await galleryReviews(store, model, o.dataset) })
  }
  return out
}
