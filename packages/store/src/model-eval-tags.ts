import {
  UndefinedStatisticError,
  operatingPoint,
  tagComparison,
  type OperatingPointReport,
  type SubgroupBy,
  type TagComparison,
  type TagThresholdSource,
  type ThresholdSpec,
} from '@cxr-audit/core'
import type { ModelData } from './model-data.ts'
import type { FindingSet } from './model-eval.ts'
import type { TagGroups } from './model-truth.ts'

/**
 * The threshold a tag comparison reads sensitivity at [M49]: the finding's operating point when
 * the evaluation set placed one; a fixed --threshold as given; else (a positives-only review
 * against a reader has no negatives) the rule placed against the original labels over every
 * scored film in scope, as `gallery` places it; null when even that has one class.
 */
export function tagThreshold(
  spec: ThresholdSpec,
  point: OperatingPointReport | null,
  original: () => FindingSet,
): { threshold: number | null; from: TagThresholdSource } {
  if (spec.rule === 'fixed') return { threshold: spec.value, from: 'fixed' }
  if (point !== null) return { threshold: point.threshold, from: 'evaluation' }
  const set = original()
  try {
    return {
      threshold: operatingPoint(set.labels, set.scores, spec).threshold,
      from: 'original labels',
    }
  } catch (e) {
    if (!(e instanceof UndefinedStatisticError)) throw e
    return { threshold: null, from: 'none' }
  }
}

/** `eval --by tag:NAME` for one finding: one comparison per tag key [M49]. */
export function tagComparisons(
  data: ModelData,
  set: FindingSet,
  keys: readonly SubgroupBy[],
  tags: TagGroups,
  threshold: { threshold: number | null; from: TagThresholdSource },
): TagComparison[] {
  const out: TagComparison[] = []
  for (const key of keys) {
    if (key.kind !== 'tag') continue
    const tagged = tags.tagged.get(key.tag.toLowerCase())
    const of = Array.from(set.index, (i) => {
      const id = data.images.ids[i]!
      return tags.reviewed.has(id) ? tagged?.has(id) === true : null
    })
    out.push(
      tagComparison(key.tag, set.labels, set.scores, of, threshold.threshold, threshold.from),
    )
  }
  return out
}
