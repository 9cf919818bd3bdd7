import { StatsInputError, checkSameLength } from './errors.ts'
import type { BinaryLabels } from './roc-input.ts'
import { sortFloat64 } from './sort-float64.ts'
import { splitScores } from './roc-input.ts'

/**
 * The distinct scores in descending order, each with the number of positives (tps) and of
 * negatives (fps) scoring >= it: sklearn's `_binary_clf_curve`, by merging the two sorted
 * classes from the top instead of sorting indices.
 */
export interface CurveCounts {
  readonly thresholds: Float64Array
  readonly tps: Float64Array
  readonly fps: Float64Array
  readonly positives: number
  readonly negatives: number
}

function curveCounts(
  labels: BinaryLabels,
  scores: ArrayLike<number>,
  what: string,
  quantity: string,
  needNegatives: boolean,
): CurveCounts {
  const split = splitScores(labels, scores, what, quantity, needNegatives)
  return curveCountsOfSorted(sortFloat64(split.positives), sortFloat64(split.negatives))
}

/** The curve counts from the positives' and the negatives' scores, each sorted ascending. */
export function curveCountsOfSorted(x: Float64Array, y: Float64Array): CurveCounts {
  const size = x.length + y.length
  const thresholds = new Float64Array(size)
  const tps = new Float64Array(size)
  const fps = new Float64Array(size)
  let i = x.length - 1
  let j = y.length - 1
  let count = 0
  while (i >= 0 || j >= 0) {
    const top = Math.max(
      i >= 0 ? (x[i] as number) : -Infinity,
      j >= 0 ? (y[j] as number) : -Infinity,
    )
    while (i >= 0 && x[i] === top) i--
    while (j >= 0 && y[j] === top) j--
    thresholds[count] = top
    tps[count] = x.length - 1 - i
    fps[count] = y.length - 1 - j
    count++
  }
  return {
    thresholds: thresholds.slice(0, count),
    tps: tps.slice(0, count),
    fps: fps.slice(0, count),
    positives: x.length,
    negatives: y.length,
  }
}

export interface RocCurve {
  /** False positive rate at each threshold, starting at 0. */
  readonly fpr: Float64Array
  /** True positive rate at each threshold, starting at 0. */
  readonly tpr: Float64Array
  /** Descending: Infinity (nothing called positive), then every distinct score. */
  readonly thresholds: Float64Array
}

/**
 * The empirical ROC curve [S14]: one point per distinct score t (descending), calling
 * score >= t positive, after the point (0, 0) at threshold Infinity. Equals sklearn
 * `roc_curve(drop_intermediate=False)` except that sklearn 1.2 puts max(score) + 1 first
 * (sklearn >= 1.3 puts Infinity, as here). Needs both classes.
 */
export function rocCurve(labels: BinaryLabels, scores: ArrayLike<number>): RocCurve {
  return rocCurveOf(curveCounts(labels, scores, 'rocCurve', 'ROC curve', true))
}

/** rocCurve from the curve counts of both classes. */
export function rocCurveOf(c: CurveCounts): RocCurve {
  const size = c.thresholds.length + 1
  const fpr = new Float64Array(size)
  const tpr = new Float64Array(size)
  const thresholds = new Float64Array(size)
  thresholds[0] = Infinity
  for (let k = 1; k < size; k++) {
    fpr[k] = (c.fps[k - 1] as number) / c.negatives
    tpr[k] = (c.tps[k - 1] as number) / c.positives
    thresholds[k] = c.thresholds[k - 1] as number
  }
  return { fpr, tpr, thresholds }
}

export interface PrecisionRecallCurve {
  /** Precision at each threshold (ascending thresholds), then 1. */
  readonly precision: Float64Array
  /** Recall at each threshold (ascending thresholds), then 0. */
  readonly recall: Float64Array
  /** Every distinct score, ascending. */
  readonly thresholds: Float64Array
}

/**
 * The precision-recall curve [S15], equal to sklearn 1.2 `precision_recall_curve`: one point per
 * distinct score in ascending order, then the point (recall 0, precision 1) with no threshold.
 * Needs positives (throws 'no-positives'); negatives may be absent.
 */
export function precisionRecallCurve(
  labels: BinaryLabels,
  scores: ArrayLike<number>,
): PrecisionRecallCurve {
  return precisionRecallCurveOf(
    curveCounts(labels, scores, 'precisionRecallCurve', 'precision-recall curve', false),
  )
}

/** precisionRecallCurve from the curve counts (positives needed). */
export function precisionRecallCurveOf(c: CurveCounts): PrecisionRecallCurve {
  const points = c.thresholds.length
  const precision = new Float64Array(points + 1)
  const recall = new Float64Array(points + 1)
  const thresholds = new Float64Array(points)
  for (let k = 0; k < points; k++) {
    const from = points - 1 - k
    const tp = c.tps[from] as number
    precision[k] = tp / (tp + (c.fps[from] as number))
    recall[k] = tp / c.positives
    thresholds[k] = c.thresholds[from] as number
  }
  precision[points] = 1
  recall[points] = 0
  return { precision, recall, thresholds }
}

/**
 * Average precision [S15]: sum over distinct thresholds of (R_k - R_{k-1}) P_k, the step
 * (not trapezoidal) area under the precision-recall curve; equals sklearn
 * `average_precision_score`. Throws ('no-positives') without positives.
 */
export function averagePrecision(labels: BinaryLabels, scores: ArrayLike<number>): number {
  return averagePrecisionOf(
    curveCounts(labels, scores, 'averagePrecision', 'average precision', false),
  )
}

/** averagePrecision from the curve counts (positives needed). */
export function averagePrecisionOf(c: CurveCounts): number {
  let sum = 0
  let previous = 0
  for (let k = 0; k < c.thresholds.length; k++) {
    const tp = c.tps[k] as number
    if (tp > previous) sum += ((tp - previous) / c.positives) * (tp / (tp + (c.fps[k] as number)))
    previous = tp
  }
  return sum
}

/** An operating point: call score >= threshold positive. */
export interface OperatingPoint {
  readonly threshold: number
  readonly sensitivity: number
  readonly specificity: number
}

/**
 * The threshold maximising Youden's J = sensitivity + specificity - 1 over the distinct scores
 * [S16]; on ties the highest threshold. Youden, W. J. (1950). Index for rating diagnostic tests.
 * Cancer 3(1), 32-35.
 */
export function youdenThreshold(
  labels: BinaryLabels,
  scores: ArrayLike<number>,
): OperatingPoint & { readonly j: number } {
  return youdenThresholdOf(curveCounts(labels, scores, 'youdenThreshold', 'Youden threshold', true))
}

/** youdenThreshold from the curve counts of both classes. */
export function youdenThresholdOf(c: CurveCounts): OperatingPoint & { readonly j: number } {
  let best = 0
  let bestJ = -Infinity
  for (let k = 0; k < c.thresholds.length; k++) {
    const j = (c.tps[k] as number) / c.positives - (c.fps[k] as number) / c.negatives
    if (j > bestJ) {
      bestJ = j
      best = k
    }
  }
  return { ...pointAt(c, best), j: bestJ }
}

function pointAt(c: CurveCounts, k: number): OperatingPoint {
  return {
    threshold: c.thresholds[k] as number,
    sensitivity: (c.tps[k] as number) / c.positives,
    specificity: 1 - (c.fps[k] as number) / c.negatives,
  }
}

/**
 * The highest distinct score t whose sensitivity (score >= t called positive) reaches
 * `target`, in (0, 1] [S16], with the specificity there. Needs both classes.
 */
export function thresholdForSensitivity(
  labels: BinaryLabels,
  scores: ArrayLike<number>,
  target: number,
): OperatingPoint {
  checkTarget(target)
  const c = curveCounts(labels, scores, 'thresholdForSensitivity', 'threshold', true)
  return thresholdForSensitivityOf(c, target)
}

function checkTarget(target: number): void {
  if (!(target > 0 && target <= 1)) {
    throw new StatsInputError(`target sensitivity must be in (0, 1], got ${target}`)
  }
}

/** thresholdForSensitivity from the curve counts of both classes. */
export function thresholdForSensitivityOf(c: CurveCounts, target: number): OperatingPoint {
  checkTarget(target)
  let k = 0
  while ((c.tps[k] as number) / c.positives < target) k++
  return pointAt(c, k)
}

export interface Confusion {
  readonly tp: number
  readonly fp: number
  readonly tn: number
  readonly fn: number
}

/** The confusion counts when score >= threshold is called positive [S16]. */
export function confusionAt(
  labels: BinaryLabels,
  scores: ArrayLike<number>,
  threshold: number,
): Confusion {
  checkSameLength(labels, scores, 'confusionAt')
  let tp = 0
  let fp = 0
  let tn = 0
  let fn = 0
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]
    const score = scores[i] as number
    if (Number.isNaN(score)) throw new StatsInputError(`confusionAt: score ${i} is NaN`)
    const called = score >= threshold
    if (label === 1) {
      if (called) tp++
      else fn++
    } else if (label === 0) {
      if (called) fp++
      else tn++
    } else throw new StatsInputError(`confusionAt: label ${i} is ${label}, not 0 or 1`)
  }
  return { tp, fp, tn, fn }
}
