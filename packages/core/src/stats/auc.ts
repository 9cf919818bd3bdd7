import { zCritical } from './distributions.ts'
import { UndefinedAucError, checkConfidence } from './errors.ts'
import type { BinaryLabels } from './roc-input.ts'
import { sortFloat64 } from './sort-float64.ts'
import { lowerBound, splitScores, upperBound } from './roc-input.ts'

/**
 * The Mann-Whitney AUC of ascending positive scores X against ascending negative scores Y:
 * sum over pairs of [x > y] + [x = y] / 2, over m n, by one merge walk over runs of tied values
 * (the midrank idea of Sun & Xu 2014). The sum is kept in whole half-pairs, so it is exact.
 */
export function aucOfSorted(x: Float64Array, y: Float64Array): number {
  const m = x.length
  const n = y.length
  let below = 0 // negatives < current x
  let twiceSum = 0
  let i = 0
  while (i < m) {
    const value = x[i] as number
    let end = i + 1
    while (end < m && x[end] === value) end++
    while (below < n && (y[below] as number) < value) below++
    let tiedEnd = below
    while (tiedEnd < n && y[tiedEnd] === value) tiedEnd++
    twiceSum += (end - i) * (below + tiedEnd)
    i = end
  }
  return twiceSum / (2 * m * n)
}

/**
 * The AUC: the probability that a random positive scores above a random negative, ties counted
 * one half (Mann-Whitney U / (m n)) [S10]; equals sklearn `roc_auc_score` and pROC with
 * direction '<'. Labels are 0/1. Throws UndefinedAucError ('no-positives' / 'no-negatives') when
 * a class is missing. O(n log n) or better: two radix sorts and one merge walk.
 * Hanley, J. A. & McNeil, B. J. (1982). Radiology 143(1), 29-36.
 */
export function auc(labels: BinaryLabels, scores: ArrayLike<number>): number {
  const { positives, negatives } = splitScores(labels, scores, 'auc')
  return aucOfSorted(sortFloat64(positives), sortFloat64(negatives))
}

export interface DelongResult {
  readonly auc: number
  /** DeLong's variance of the AUC (pROC `var(roc, method='delong')`). */
  readonly variance: number
  readonly low: number
  readonly high: number
}

/**
 * Sum of squared deviations from theta of the placements of the sorted `from` values among the
 * sorted `among` values: placement = (count below + ties / 2) / |among| when `upper` is false
 * (the positives' V10), (count above + ties / 2) / |among| when true (the negatives' V01).
 */
function placementSquares(
  from: Float64Array,
  among: Float64Array,
  theta: number,
  upper: boolean,
): number {
  const size = from.length
  const total = among.length
  let below = 0
  let squares = 0
  let i = 0
  while (i < size) {
    const value = from[i] as number
    let end = i + 1
    while (end < size && from[end] === value) end++
    while (below < total && (among[below] as number) < value) below++
    let tiedEnd = below
    while (tiedEnd < total && among[tiedEnd] === value) tiedEnd++
    const strict = upper ? total - tiedEnd : below
    const placement = (2 * strict + (tiedEnd - below)) / (2 * total)
    const deviation = placement - theta
    squares += (end - i) * deviation * deviation
    i = end
  }
  return squares
}

function checkForVariance(m: number, n: number): void {
  if (m < 2) {
    throw new UndefinedAucError(
      'too-few-positives',
      'AUC variance undefined: fewer than 2 positives',
    )
  }
  if (n < 2) {
    throw new UndefinedAucError(
      'too-few-negatives',
      'AUC variance undefined: fewer than 2 negatives',
    )
  }
}

/** DeLong's S = S10 / m + S01 / n from sorted positives and negatives, and the AUC. */
export function delongOfSorted(
  x: Float64Array,
  y: Float64Array,
): { auc: number; variance: number } {
  const m = x.length
  const n = y.length
  checkForVariance(m, n)
  const theta = aucOfSorted(x, y)
  const s10 = placementSquares(x, y, theta, false) / (m - 1)
  const s01 = placementSquares(y, x, theta, true) / (n - 1)
  return { auc: theta, variance: s10 / m + s01 / n }
}

/**
 * The AUC with DeLong's variance and the Wald interval auc +/- z sqrt(variance), clipped to
 * [0, 1] [S11], equal to pROC `var(method='delong')` and `ci.auc(method='delong')` with
 * direction '<'. AUC = 1 gives variance 0 and [1, 1]. Computed with the placement values of
 * Sun & Xu's fast algorithm in O(n log n), without per-element allocation.
 * DeLong, E. R., DeLong, D. M. & Clarke-Pearson, D. L. (1988). Comparing the areas under two or
 * more correlated receiver operating characteristic curves: a nonparametric approach.
 * Biometrics 44(3), 837-845. Sun, X. & Xu, W. (2014). Fast implementation of DeLong's algorithm
 * for comparing the areas under correlated receiver operating characteristic curves. IEEE Signal
 * Processing Letters 21(11), 1389-1393. Throws UndefinedAucError with fewer than 2 positives or
 * 2 negatives (pROC: NA).
 */
export function delong(
  labels: BinaryLabels,
  scores: ArrayLike<number>,
  confidence = 0.95,
): DelongResult {
  checkConfidence(confidence)
  const { positives, negatives } = splitScores(labels, scores, 'delong')
  const { auc: theta, variance } = delongOfSorted(sortFloat64(positives), sortFloat64(negatives))
  return aucInterval(theta, variance, confidence)
}

/** The normal interval auc +/- z sqrt(variance), clipped to [0, 1]. */
export function aucInterval(theta: number, variance: number, confidence: number): DelongResult {
  const spread = zCritical(confidence) * Math.sqrt(variance)
  return {
    auc: theta,
    variance,
    low: Math.max(0, theta - spread),
    high: Math.min(1, theta + spread),
  }
}

/** Per-case placements in input order, for the paired test. */
export interface Placements {
  readonly auc: number
  /** V10 of each positive, in input order. */
  readonly positives: Float64Array
  /** V01 of each negative, in input order. */
  readonly negatives: Float64Array
}

/**
 * DeLong's placement values of every case in input order: for a positive, the fraction of
 * negatives scored below it (ties 1/2); for a negative, the fraction of positives scored above
 * it (ties 1/2). Their means are both the AUC. Needs 2 positives and 2 negatives, as the
 * variances built from them do.
 */
export function placements(labels: BinaryLabels, scores: ArrayLike<number>): Placements {
  const { positives, negatives } = splitScores(labels, scores, 'placements')
  checkForVariance(positives.length, negatives.length)
  const sortedPositives = sortFloat64(positives.slice())
  const sortedNegatives = sortFloat64(negatives.slice())
  const m = positives.length
  const n = negatives.length
  const v10 = new Float64Array(m)
  const v01 = new Float64Array(n)
  for (let i = 0; i < m; i++) {
    const value = positives[i] as number
    const low = lowerBound(sortedNegatives, value)
    const high = upperBound(sortedNegatives, value)
    v10[i] = (low + high) / (2 * n)
  }
  for (let j = 0; j < n; j++) {
    const value = negatives[j] as number
    const low = lowerBound(sortedPositives, value)
    const high = upperBound(sortedPositives, value)
    v01[j] = (2 * m - low - high) / (2 * m)
  }
  return { auc: aucOfSorted(sortedPositives, sortedNegatives), positives: v10, negatives: v01 }
}
