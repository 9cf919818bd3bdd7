import type { Against } from '@cxr-audit/core'
import { loadModelData, resolveModelFindings } from './model-data.ts'
import { originalSet, readerSet, scopeOf } from './model-eval.ts'
import { findModel } from './model-predictions.ts'
import { loadReaderTruth } from './model-truth.ts'
import type { Store } from './store.ts'

/** The images, 0/1 truths and scores an evaluation of one finding used [M8], [R9]. */
export interface EvaluationSet {
  readonly finding: string
  readonly images: readonly string[]
  readonly truths: readonly number[]
  readonly scores: readonly number[]
}

/**
 * Exactly the sets `evaluateModel` scores (same images, same order, uncertain truths left out),
 * for a report's re-check bundle: every model figure can be recomputed from them alone.
 */
export async function modelEvaluationSets(
  store: Store,
  o: {
    readonly model: string
    readonly dataset?: string | undefined
    readonly against: Against
    readonly findings: readonly string[]
  },
): Promise<EvaluationSet[]> {
  const { model, dataset } = await findModel(store.db, o.model, o.dataset)
  const data = await loadModelData(store.db, model, dataset)
  const truth =
    o.against === 'original' ? null : await loadReaderTruth(store.db, o.against, data.scorable)
  // the report evaluates every scored film, negatives of any kind (eval's defaults)
  const scope = scopeOf(data, null, 'all')
  return resolveModelFindings(data, o.findings).map((f) => {
    const set = truth === null ? originalSet(data, f, scope) : readerSet(data, f, truth, scope)
    return {
      finding: f.name,
      images: Array.from(set.index, (i) => data.images.names[i]!),
      truths: Array.from(set.labels),
      scores: Array.from(set.scores),
    }
  })
}
