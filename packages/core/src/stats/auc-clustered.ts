import { aucInterval, placements } from './auc.ts'
import { StatsInputError, UndefinedAucError, checkConfidence, checkSameLength } from './errors.ts'

export interface ClusteredAucResult {
  readonly auc: number
  /** Obuchowski's variance of the AUC: S10 / m + S01 / n + 2 S11 / (m n). */
  readonly variance: number
  readonly low: number
  readonly high: number
  /** Clusters (e.g. patients) among the cases. */
  readonly clusters: number
  /** Clusters with at least one positive (I10) and with at least one negative (I01). */
  readonly clustersWithPositives: number
  readonly clustersWithNegatives: number
  /** Clusters with more than one case. */
  readonly repeatedClusters: number
}

/**
 * The AUC with Obuchowski's nonparametric variance for clustered ROC data, cases of one cluster
 * (a patient's films) being correlated, and the normal interval auc +/- z sqrt(variance) clipped
 * to [0, 1] [M44]. With one case per cluster it is DeLong's variance. The components are
 * DeLong's placements summed per cluster: V10(X_i.) over a cluster's positives, V01(Y_i.) over
 * its negatives, and with m positives, n negatives, I clusters, I10 of them with a positive and
 * I01 with a negative:
 *   S10 = I10 / ((I10 - 1) m) sum_i (V10(X_i.) - m_i A)^2
 *   S01 = I01 / ((I01 - 1) n) sum_i (V01(Y_i.) - n_i A)^2
 *   S11 = I / (I - 1) sum_i (V10(X_i.) - m_i A)(V01(Y_i.) - n_i A).
 * Obuchowski, N. A. (1997). Nonparametric analysis of clustered ROC curve data. Biometrics
 * 53(2), 567-578. Throws UndefinedAucError when a class is missing or fewer than 2 clusters hold
 * a positive ('too-few-positives') or a negative ('too-few-negatives').
 */
export function obuchowski(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  clusters: ArrayLike<string | number>,
  confidence = 0.95,
): ClusteredAucResult {
  checkConfidence(confidence)
  checkSameLength(labels, clusters, 'obuchowski')
  const p = placements(labels, scores)
  const theta = p.auc
  const m = p.positives.length
  const n = p.negatives.length
  const index = new Map<string | number, number>()
  const sizes: number[] = []
  const ids = new Int32Array(labels.length)
  for (let i = 0; i < labels.length; i++) {
    const c = clusters[i]
    if (c === undefined || c === null || (typeof c === 'number' && Number.isNaN(c)))
      throw new StatsInputError(`obuchowski: cluster ${i} is missing`)
    let k = index.get(c)
    if (k === undefined) {
      k = sizes.length
      index.set(c, k)
      sizes.push(0)
    }
    sizes[k]!++
    ids[i] = k
  }
  const count = sizes.length
  const v10 = new Float64Array(count) // sum of the cluster's positives' placements
  const v01 = new Float64Array(count)
  const mi = new Float64Array(count)
  const ni = new Float64Array(count)
  let a = 0
  let b = 0
  for (let i = 0; i < labels.length; i++) {
    const k = ids[i]!
    if (labels[i] === 1) {
      v10[k]! += p.positives[a++]!
      mi[k]!++
    } else {
      v01[k]! += p.negatives[b++]!
      ni[k]!++
    }
  }
  let i10 = 0
  let i01 = 0
  let s10 = 0
  let s01 = 0
  let s11 = 0
  for (let k = 0; k < count; k++) {
    const dx = v10[k]! - mi[k]! * theta
    const dy = v01[k]! - ni[k]! * theta
    if (mi[k]! > 0) i10++
    if (ni[k]! > 0) i01++
    s10 += dx * dx
    s01 += dy * dy
    s11 += dx * dy
  }
  if (i10 < 2)
    throw new UndefinedAucError(
      'too-few-positives',
      'AUC variance undefined: fewer than 2 clusters with a positive',
    )
  if (i01 < 2)
    throw new UndefinedAucError(
      'too-few-negatives',
      'AUC variance undefined: fewer than 2 clusters with a negative',
    )
  s10 *= i10 / ((i10 - 1) * m)
  s01 *= i01 / ((i01 - 1) * n)
  s11 *= count / (count - 1)
  const variance = Math.max(0, s10 / m + s01 / n + (2 * s11) / (m * n))
  return {
    ...aucInterval(theta, variance, confidence),
    clusters: count,
    clustersWithPositives: i10,
    clustersWithNegatives: i01,
    repeatedClusters: sizes.filter((s) => s > 1).length,
  }
}
