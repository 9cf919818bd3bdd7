import { delong } from '../stats/auc.ts'
import type { CrossValidationResult } from './cross-validate.ts'
import { LearnInputError } from './errors.ts'

/** What a probe reports about its out-of-fold scores [PR3]-[PR4]. */
export interface ProbeSummary {
  /** Out-of-fold AUC (Mann-Whitney) against the true labels. */
  readonly auc: number
  /** DeLong's 95% interval of `auc` (pROC `ci.auc(method = 'delong')`). */
  readonly aucLow: number
  readonly aucHigh: number
  /** Mean AUC of the folds' models on their own training rows (the labels they were fitted to). */
  readonly trainAuc: number | null
  /** trainAuc - auc: what the model memorised beyond what generalises. */
  readonly memorisationGap: number | null
  /** Folds whose L-BFGS stopped before its tolerance. */
  readonly unconverged: number[]
  /** Why the numbers need a second look (null: nothing to say). */
  readonly warning: string | null
}

/** Chance: the AUC of scores that carry no information about the labels. */
export const CHANCE_AUC = 0.5

/**
 * The summary of a probe's cross-validation [PR3]-[PR4]: the out-of-fold AUC over the rows in
 * a fold with DeLong's interval, the mean training-fold AUC and the gap between them, and a
 * warning when something is off. For the shuffled-label null (`shuffled`) the out-of-fold AUC
 * must sit near 0.5: when its interval excludes 0.5 the warning says so (the labels' order
 * leaked into the features, the folds are not independent - e.g. a patient on both sides - or
 * the interval is one of the 5% that miss). Folds that did not converge are named too.
 */
export function summariseProbe(
  labels: ArrayLike<number>,
  cv: CrossValidationResult,
  shuffled: boolean,
  confidence = 0.95,
): ProbeSummary {
  if (labels.length !== cv.scores.length)
    throw new LearnInputError(`${labels.length} labels but ${cv.scores.length} scores`)
  const y: number[] = []
  const s: number[] = []
  for (let i = 0; i < labels.length; i++) {
    if (Number.isNaN(cv.scores[i]!)) continue
    y.push(labels[i]!)
    s.push(cv.scores[i]!)
  }
  const d = delong(y, s, confidence)
  const unconverged = cv.folds.filter((f) => !f.converged).map((f) => f.fold)
  const warnings: string[] = []
  const interval = `${d.low.toFixed(3)}-${d.high.toFixed(3)}`
  if (shuffled && (d.low > CHANCE_AUC || d.high < CHANCE_AUC)) {
    warnings.push(
      `the shuffled-label null scored AUC ${d.auc.toFixed(3)} (95% CI ${interval}), whose interval excludes 0.5: ` +
        'with permuted labels nothing can be learnt, so check for leakage between folds (a patient on both sides, duplicated films) or repeat with another --seed',
    )
  }
  if (unconverged.length > 0) {
    warnings.push(
      `L-BFGS did not reach its tolerance in fold${unconverged.length > 1 ? 's' : ''} ${unconverged.join(', ')}`,
    )
  }
  return {
    auc: d.auc,
    aucLow: d.low,
    aucHigh: d.high,
    trainAuc: cv.trainAuc,
    memorisationGap: cv.trainAuc === null ? null : cv.trainAuc - d.auc,
    unconverged,
    warning: warnings.length === 0 ? null : warnings.join('; '),
  }
}
