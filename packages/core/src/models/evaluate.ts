import {
  UndefinedStatisticError,
  auc,
  averagePrecision,
  brierScore,
  delong,
  precisionRecallCurve,
  reliabilityBins,
  rocCurve,
  type ReliabilityBin,
} from '../stats/index.ts'
import { aucInterval, aucOfSorted, delongOfSorted } from '../stats/auc.ts'
import {
  averagePrecisionOf,
  curveCountsOfSorted,
  precisionRecallCurveOf,
  rocCurveOf,
  type CurveCounts,
} from '../stats/curves.ts'
import { sortedClasses, type SplitScores } from '../stats/roc-input.ts'
import { operatingPoint, type OperatingPointReport, type ThresholdSpec } from './threshold.ts'

/** Why a figure is missing: the stats area's reasons (`no-positives`, ...) [M10]. */
export type MissingReason = string

/** Counts and the AUC with its 95% DeLong interval for one set of images [M10], [M11]. */
export interface AucSummary {
  /** Images counted: positives + negatives. */
  readonly n: number
  readonly positives: number
  readonly negatives: number
  /** Mann-Whitney AUC (ties one half); null when there are no positives or no negatives. */
  readonly auc: number | null
  /** 95% DeLong interval; null when the AUC is, or with fewer than 2 positives or negatives. */
  readonly aucLow: number | null
  readonly aucHigh: number | null
  /** DeLong's variance of the AUC. */
  readonly variance: number | null
  /** Why `auc` is null (`empty`, `no-positives`, `no-negatives`). */
  readonly reason?: MissingReason
  /** Why only the interval is null (`too-few-positives`, `too-few-negatives`). */
  readonly intervalReason?: MissingReason
}

const count1 = (labels: ArrayLike<number>): number => {
  let m = 0
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) m++
  return m
}

function reasonOf(e: unknown): MissingReason {
  if (e instanceof UndefinedStatisticError) return e.reason
  throw e
}

/**
 * n, positives, negatives, the AUC and its 95% DeLong interval (pROC's `ci.auc(method =
 * 'delong')`, clipped to [0, 1]) [M10], [M11]. Never throws for a missing class: the AUC is
 * null with a reason, and the interval alone is null with fewer than 2 of a class.
 */
export function aucSummary(labels: ArrayLike<number>, scores: ArrayLike<number>): AucSummary {
  const n = labels.length
  const positives = count1(labels)
  const counts = { n, positives, negatives: n - positives }
  const none = { auc: null, aucLow: null, aucHigh: null, variance: null }
  if (n === 0) return { ...counts, ...none, reason: 'empty' }
  try {
    const d = delong(labels, scores)
    return { ...counts, auc: d.auc, aucLow: d.low, aucHigh: d.high, variance: d.variance }
  } catch (e) {
    const reason = reasonOf(e)
    if (reason === 'too-few-positives' || reason === 'too-few-negatives') {
      return { ...counts, ...none, auc: auc(labels, scores), intervalReason: reason }
    }
    return { ...counts, ...none, reason }
  }
}

/**
 * aucSummary of a non-empty set from its classes' sorted scores: the same figures, by the same
 * arithmetic on the same sorted arrays, without sorting again.
 */
function aucSummaryOfSorted(n: number, sorted: SplitScores): AucSummary {
  const x = sorted.positives
  const y = sorted.negatives
  const counts = { n, positives: x.length, negatives: n - x.length }
  const none = { auc: null, aucLow: null, aucHigh: null, variance: null }
  if (x.length === 0) return { ...counts, ...none, reason: 'no-positives' }
  if (y.length === 0) return { ...counts, ...none, reason: 'no-negatives' }
  if (x.length < 2 || y.length < 2) {
    const reason = x.length < 2 ? 'too-few-positives' : 'too-few-negatives'
    return { ...counts, ...none, auc: aucOfSorted(x, y), intervalReason: reason }
  }
  const { auc: theta, variance } = delongOfSorted(x, y)
  const d = aucInterval(theta, variance, 0.95)
  return { ...counts, auc: d.auc, aucLow: d.low, aucHigh: d.high, variance: d.variance }
}

/** Reliability diagram and Brier score [M13]; null with a reason when scores are not in [0, 1]. */
export interface Calibration {
  readonly brierScore: number | null
  readonly bins: readonly ReliabilityBin[] | null
  readonly reason?: MissingReason
}

export interface Curves {
  /** ROC points at every distinct score (first point at threshold Infinity, written null). */
  readonly roc: {
    readonly fpr: number[]
    readonly tpr: number[]
    readonly thresholds: (number | null)[]
  }
  /** Precision-recall points, ascending thresholds, ending at (recall 0, precision 1). */
  readonly pr: {
    readonly precision: number[]
    readonly recall: number[]
    readonly thresholds: number[]
  }
}

/** Every figure of one finding over one set of images. */
export interface ScoreEvaluation extends AucSummary {
  /** Area under the precision-recall curve, step-wise (sklearn `average_precision_score`). */
  readonly averagePrecision: number | null
  readonly calibration: Calibration
  readonly operatingPoint: OperatingPointReport | null
  readonly curves?: Curves
}

export interface ScoreEvaluationOptions {
  readonly threshold: ThresholdSpec
  /** Include ROC and PR curve points (large: one point per distinct score) [M12]. */
  readonly curves?: boolean
  /** Reliability bins over [0, 1]; 10 by default. */
  readonly calibrationBins?: number
}

/** Runs fn, or returns null when the statistic is undefined for this input. */
function orNull<T>(fn: () => T): T | null {
  try {
    return fn()
  } catch (e) {
    reasonOf(e)
    return null
  }
}

function isProbabilities(scores: ArrayLike<number>): boolean {
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i] as number
    if (!(s >= 0 && s <= 1)) return false
  }
  return true
}

/**
 * AUC with interval, average precision, calibration, the operating point, and optionally the
 * curves, of scores against 0/1 labels [M10]-[M14]. Missing classes give nulls, never throws.
 */
export function evaluateScores(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  options: ScoreEvaluationOptions,
): ScoreEvaluation {
  // one split and sort per set, shared by the AUC, its interval, AP, the threshold and the
  // curves; input they would refuse (a label not 0/1, a NaN) takes their own paths and errors
  const sorted = labels.length === 0 ? null : sortedClasses(labels, scores)
  const summary =
    sorted === null ? aucSummary(labels, scores) : aucSummaryOfSorted(labels.length, sorted)
  const bothClasses = summary.auc !== null
  const counts: CurveCounts | undefined =
    sorted === null || sorted.positives.length === 0
      ? undefined
      : curveCountsOfSorted(sorted.positives, sorted.negatives)
  const calibration: Calibration =
    labels.length === 0
      ? { brierScore: null, bins: null, reason: 'empty' }
      : isProbabilities(scores)
        ? {
            brierScore: brierScore(labels, scores),
            bins: reliabilityBins(labels, scores, options.calibrationBins ?? 10),
          }
        : { brierScore: null, bins: null, reason: 'scores-not-probabilities' }
  const result: ScoreEvaluation = {
    ...summary,
    averagePrecision:
      summary.positives > 0
        ? orNull(() =>
            counts === undefined ? averagePrecision(labels, scores) : averagePrecisionOf(counts),
          )
        : null,
    calibration,
    operatingPoint:
      bothClasses || options.threshold.rule === 'fixed'
        ? orNull(() =>
            operatingPoint(labels, scores, options.threshold, bothClasses ? counts : undefined),
          )
        : null,
  }
  if (options.curves !== true || !bothClasses) return result
  const roc = counts === undefined ? rocCurve(labels, scores) : rocCurveOf(counts)
  const pr =
    counts === undefined ? precisionRecallCurve(labels, scores) : precisionRecallCurveOf(counts)
  return {
    ...result,
    curves: {
      roc: {
        fpr: Array.from(roc.fpr),
        tpr: Array.from(roc.tpr),
        thresholds: Array.from(roc.thresholds, (t) => (Number.isFinite(t) ? t : null)),
      },
      pr: {
        precision: Array.from(pr.precision),
        recall: Array.from(pr.recall),
        thresholds: Array.from(pr.thresholds),
      },
    },
  }
}
