import { aucSummary, compareLabelings, type FindingReport } from '@cxr-audit/core'
import type { FindingRow } from './datasets.ts'
import type { ModelData } from './model-data.ts'
import type { ClusterBy } from './model-eval-cluster.ts'
import type { EvaluateModelOptions, FindingSet } from './model-eval.ts'

/**
 * `--compare-original` [M16]: the original labels on the reader's films, and AUC(reader) -
 * AUC(original) by a paired bootstrap that resamples films, or patients with `--cluster patient`
 * [M50].
 */
export function compareWithOriginal(
  data: ModelData,
  f: FindingRow,
  set: FindingSet,
  options: EvaluateModelOptions,
  cluster: ClusterBy | null,
): Pick<FindingReport, 'original' | 'comparison'> {
  const original = data.labels(f)
  const keep: number[] = []
  let uncertain = 0
  set.index.forEach((i, k) => {
    if (original[i] === -1) uncertain++
    else keep.push(k)
  })
  const reader = Uint8Array.from(keep, (k) => set.labels[k]!)
  const labels = Uint8Array.from(keep, (k) => original[set.index[k]!]!)
  const scores = Float64Array.from(keep, (k) => set.scores[k]!)
  return {
    original: { ...aucSummary(labels, scores), excludedUncertain: uncertain },
    comparison: compareLabelings(reader, labels, scores, {
      seed: options.seed ?? 1,
      ...(options.replicates === undefined ? {} : { replicates: options.replicates }),
      // [M50] patients, not films, are resampled
      ...(cluster === null
        ? {}
        : { clusters: Array.from(keep, (k) => data.images.patient[set.index[k]!]!) }),
    }),
  }
}
