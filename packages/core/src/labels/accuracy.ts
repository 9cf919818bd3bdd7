import { clopperPearsonInterval, wilsonInterval } from '../stats/index.ts'
import type { Verdict } from '../verdict.ts'

export type IntervalMethod = 'wilson' | 'clopper-pearson'
export const INTERVAL_METHODS: readonly IntervalMethod[] = ['wilson', 'clopper-pearson']

/** One judged (image, finding): the original label (1, 0, or -1 uncertain) and the verdict. */
export interface JudgedItem {
  readonly label: number
  readonly verdict: Verdict
}

/** The 3 x 3 table of original label against verdict [L3]. */
export interface AccuracyCounts {
  /** Every judged (image, finding), whatever its original label. */
  readonly judged: number
  readonly labelledPositive: number
  readonly present: number
  readonly absent: number
  readonly uncertain: number
  readonly labelledNegative: number
  readonly negativePresent: number
  readonly negativeAbsent: number
  readonly negativeUncertain: number
  /** Original label uncertain (-1, CheXpert-style): counted, but in no proportion. */
  readonly labelledUncertain: number
}

/** Counts a finding's judged items [L3]. */
export function countJudged(items: Iterable<JudgedItem>): AccuracyCounts {
  const c = { p: [0, 0, 0], n: [0, 0, 0], u: 0, judged: 0 }
  const at = (v: Verdict): number => (v === 'present' ? 0 : v === 'absent' ? 1 : 2)
  for (const item of items) {
    c.judged++
    if (item.label === 1) c.p[at(item.verdict)]!++
    else if (item.label === -1) c.u++
    else c.n[at(item.verdict)]!++
  }
  const [present, absent, uncertain] = c.p as [number, number, number]
  const [negativePresent, negativeAbsent, negativeUncertain] = c.n as [number, number, number]
  return {
    judged: c.judged,
    labelledPositive: present + absent + uncertain,
    present,
    absent,
    uncertain,
    labelledNegative: negativePresent + negativeAbsent + negativeUncertain,
    negativePresent,
    negativeAbsent,
    negativeUncertain,
    labelledUncertain: c.u,
  }
}

/** A proportion with its interval; all null when the denominator is 0. */
export interface Estimate {
  readonly value: number | null
  readonly low: number | null
  readonly high: number | null
}

/** k / n with its interval by the chosen method [L5]; nulls when n = 0. */
export function proportion(k: number, n: number, ci: IntervalMethod, confidence = 0.95): Estimate {
  if (n === 0) return { value: null, low: null, high: null }
  const interval =
    ci === 'wilson' ? wilsonInterval(k, n, confidence) : clopperPearsonInterval(k, n, confidence)
  return { value: k / n, low: interval.low, high: interval.high }
}

/** Every number of a label-accuracy row [L4]; null where a denominator is 0. */
export interface AccuracyStats extends AccuracyCounts {
  readonly ppv: number | null
  readonly ppvLow: number | null
  readonly ppvHigh: number | null
  readonly ppvLenient: number | null
  readonly ppvLenientLow: number | null
  readonly ppvLenientHigh: number | null
  readonly npv: number | null
  readonly npvLow: number | null
  readonly npvHigh: number | null
  readonly npvLenient: number | null
  readonly npvLenientLow: number | null
  readonly npvLenientHigh: number | null
  readonly sensitivity: number | null
  readonly sensitivityLow: number | null
  readonly sensitivityHigh: number | null
  readonly specificity: number | null
  readonly specificityLow: number | null
  readonly specificityHigh: number | null
  /**
   * Strata with no judged film [L23]: `negatives` (no labelled negative: NPV, sensitivity and
   * specificity are null, "not sampled") and `positives` (no labelled positive: PPV,
   * sensitivity and specificity null). Empty when both were sampled.
   */
  readonly notSampled: readonly ('positives' | 'negatives')[]
}

/**
 * The label-accuracy numbers of one finding [L4]:
 * - ppv = present / labelledPositive; ppvLenient = (present + uncertain) / labelledPositive;
 * - npv = negativeAbsent / labelledNegative; npvLenient = (negativeAbsent + negativeUncertain) /
 *   labelledNegative;
 * - sensitivity of the original label with the reader as truth = present / (present +
 *   negativePresent); specificity = negativeAbsent / (absent + negativeAbsent); uncertain
 *   verdicts are in neither (the truth is unknown); both null unless labelled positives and
 *   labelled negatives were judged [L23].
 * Each with its interval by `ci` at `confidence` [L5].
 */
export function accuracyStats(
  counts: AccuracyCounts,
  ci: IntervalMethod,
  confidence = 0.95,
): AccuracyStats {
  const c = counts
  const ppv = proportion(c.present, c.labelledPositive, ci, confidence)
  const lenient = proportion(c.present + c.uncertain, c.labelledPositive, ci, confidence)
  const npv = proportion(c.negativeAbsent, c.labelledNegative, ci, confidence)
  const npvLenient = proportion(
    c.negativeAbsent + c.negativeUncertain,
    c.labelledNegative,
    ci,
    confidence,
  )
  // sensitivity and specificity need both strata: from positives alone they read 100% and 0%
  const notSampled = [
    ...(c.labelledPositive === 0 ? (['positives'] as const) : []),
    ...(c.labelledNegative === 0 ? (['negatives'] as const) : []),
  ]
  const both = notSampled.length === 0
  const sens = both
    ? proportion(c.present, c.present + c.negativePresent, ci, confidence)
    : NOT_SAMPLED
  const spec = both
    ? proportion(c.negativeAbsent, c.absent + c.negativeAbsent, ci, confidence)
    : NOT_SAMPLED
  return {
    ...c,
    ppv: ppv.value,
    ppvLow: ppv.low,
    ppvHigh: ppv.high,
    ppvLenient: lenient.value,
    ppvLenientLow: lenient.low,
    ppvLenientHigh: lenient.high,
    npv: npv.value,
    npvLow: npv.low,
    npvHigh: npv.high,
    npvLenient: npvLenient.value,
    npvLenientLow: npvLenient.low,
    npvLenientHigh: npvLenient.high,
    sensitivity: sens.value,
    sensitivityLow: sens.low,
    sensitivityHigh: sens.high,
    specificity: spec.value,
    specificityLow: spec.low,
    specificityHigh: spec.high,
    notSampled,
  }
}

const NOT_SAMPLED: Estimate = { value: null, low: null, high: null }
