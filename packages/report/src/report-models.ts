import type { ModelEvalReport, ReaderSpec, ThresholdSpec } from '@cxr-audit/core'
import {
  StoreError,
  evaluateModel,
  findDataset,
  labelAccuracy,
  listAudits,
  type GalleryPlan,
  type Store,
} from '@cxr-audit/store'

/** One reviewed error gallery of a model: the model's call against the reader's verdicts [R10]. */
export interface GalleryReview {
  readonly audit: number
  readonly finding: string
  /** tp, fp, tn, fn at the gallery's threshold. */
  readonly cell: string
  readonly threshold: number
  readonly drawn: number
  readonly judged: number
  readonly present: number
  readonly absent: number
  readonly uncertain: number
  /** Films on which the reader agrees with the model's call (present for tp/fp, absent for tn/fn). */
  readonly modelRight: number
  readonly readers: readonly string[]
}

/** A model evaluated for the report [R10]: against the original labels, and the readers. */
export interface ReportModelSection {
  readonly model: string
  /** Against the original labels first, then against the report's reader when there is one. */
  readonly evaluations: readonly ModelEvalReport[]
  /** The model's error galleries (`cxr-audit gallery`) with what their readers found. */
  readonly galleries: readonly GalleryReview[]
}

/** Each gallery audit of the model, with its readers' verdicts (consensus of all). */
async function galleryReviews(
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
