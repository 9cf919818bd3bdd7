/** Why a statistic has no value for the data it was given (see docs/SPEC-stats.md [S2]). */
export type UndefinedReason =
  | 'empty'
  | 'no-positives'
  | 'no-negatives'
  | 'too-few-positives'
  | 'too-few-negatives'
  | 'chance-agreement-is-one'
  | 'too-few-raters'
  | 'too-few-values'
  | 'zero-margin'
  | 'no-defined-replicates'

/** Bad input to a statistic: lengths differ, a count is negative, a label is not 0 or 1, ... */
export class StatsInputError extends Error {
  override readonly name = 'StatsInputError'
}

/**
 * The statistic is undefined for this (valid) input, e.g. an AUC without positives. Callers
 * report `message` ("AUC undefined: no positives") instead of printing NaN.
 */
export class UndefinedStatisticError extends Error {
  override readonly name: string = 'UndefinedStatisticError'
  readonly reason: UndefinedReason

  constructor(reason: UndefinedReason, message: string) {
    super(message)
    this.reason = reason
  }
}

/** An AUC (or its DeLong variance) is undefined: no positives, no negatives, or too few. */
export class UndefinedAucError extends UndefinedStatisticError {
  override readonly name: string = 'UndefinedAucError'
}

/** Throws a StatsInputError unless `confidence` is in (0, 1). */
export function checkConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) {
    throw new StatsInputError(`confidence must be in (0, 1), got ${confidence}`)
  }
}

/** Throws a StatsInputError unless both arrays have the same length. */
export function checkSameLength(a: ArrayLike<unknown>, b: ArrayLike<unknown>, what: string): void {
  if (a.length !== b.length) {
    throw new StatsInputError(`${what}: lengths differ (${a.length} and ${b.length})`)
  }
}
