import { proportion, type AccuracyCounts, type IntervalMethod } from '../labels/accuracy.ts'

/**
 * How a reader's review went for the labels a label-issue audit flagged (one finding) [LI4].
 * A flag is confirmed when the verdict contradicts the original label (a labelled positive
 * judged absent, a labelled negative judged present), refuted when it agrees (which includes
 * a label left unmarked on a finished page: an implied confirmation of the label), open when
 * uncertain.
 */
export interface FlagReviewStats {
  /** Flagged labels with a (current) verdict. */
  readonly judged: number
  readonly confirmedWrong: number
  readonly confirmedRight: number
  readonly uncertain: number
  /** The flag's precision: confirmedWrong / judged (uncertain counts as not confirmed). */
  readonly precision: number | null
  readonly precisionLow: number | null
  readonly precisionHigh: number | null
  /** (confirmedWrong + uncertain) / judged. */
  readonly precisionLenient: number | null
  readonly precisionLenientLow: number | null
  readonly precisionLenientHigh: number | null
  /** The same split by the original label: flags on positives and on negatives. */
  readonly positives: { readonly judged: number; readonly confirmedWrong: number }
  readonly negatives: { readonly judged: number; readonly confirmedWrong: number }
}

/** The flag's precision with its interval (Wilson by default) from the accuracy counts [LI4]. */
export function flagReviewStats(
  c: AccuracyCounts,
  ci: IntervalMethod = 'wilson',
  confidence = 0.95,
): FlagReviewStats {
  const judged = c.labelledPositive + c.labelledNegative
  const confirmedWrong = c.absent + c.negativePresent
  const uncertain = c.uncertain + c.negativeUncertain
  const strict = proportion(confirmedWrong, judged, ci, confidence)
  const lenient = proportion(confirmedWrong + uncertain, judged, ci, confidence)
  return {
    judged,
    confirmedWrong,
    confirmedRight: c.present + c.negativeAbsent,
    uncertain,
    precision: strict.value,
    precisionLow: strict.low,
    precisionHigh: strict.high,
    precisionLenient: lenient.value,
    precisionLenientLow: lenient.low,
    precisionLenientHigh: lenient.high,
    positives: { judged: c.labelledPositive, confirmedWrong: c.absent },
    negatives: { judged: c.labelledNegative, confirmedWrong: c.negativePresent },
  }
}
