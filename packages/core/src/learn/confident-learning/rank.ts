import { LearnInputError } from '../errors.ts'
import type { ClassProbabilities } from './joint.ts'

/** cleanlab's label quality scores [CL8]; lower means the label is more likely wrong. */
export const RANKINGS = ['self_confidence', 'normalized_margin'] as const
export type RankBy = (typeof RANKINGS)[number]

/**
 * Label quality per row: `self_confidence` = p[given]; `normalized_margin` =
 * (p[given] - max_{k != given} p[k] + 1) / 2. cleanlab `rank.get_label_quality_scores`.
 */
export function labelQualityScores(
  labels: ArrayLike<number>,
  p: ClassProbabilities,
  method: RankBy,
): Float64Array {
  if (!(RANKINGS as readonly string[]).includes(method)) {
    throw new LearnInputError(`unknown ranking "${method}": use ${RANKINGS.join(' or ')}`)
  }
  const K = p.classes
  const out = new Float64Array(p.rows)
  for (let i = 0; i < p.rows; i++) {
    const given = labels[i]!
    const self = p.data[i * K + given]!
    if (method === 'self_confidence') {
      out[i] = self
      continue
    }
    let other = -Infinity
    for (let k = 0; k < K; k++) if (k !== given) other = Math.max(other, p.data[i * K + k]!)
    out[i] = (self - other + 1) / 2
  }
  return out
}
