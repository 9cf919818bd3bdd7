import { delongOfSorted, placements } from './auc.ts'
import { normalTwoSidedP, studentTwoSidedP } from './distributions.ts'
import { checkSameLength } from './errors.ts'
import type { BinaryLabels } from './roc-input.ts'
import { sortFloat64 } from './sort-float64.ts'
import { splitScores } from './roc-input.ts'

export interface PairedTestResult {
  /** (aucA - aucB) / sd of the difference. */
  readonly z: number
  /** Two-sided p-value 2 P(Z > |z|). */
  readonly p: number
  readonly aucA: number
  readonly aucB: number
}

/** Sum over i of ((a_i - ta) - (b_i - tb))^2. */
function differenceSquares(a: Float64Array, b: Float64Array, ta: number, tb: number): number {
  let sum = 0
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - ta - ((b[i] as number) - tb)
    sum += d * d
  }
  return sum
}

/** z and p from a difference and its variance, with pROC's rule for 0 / 0 [S12]. */
function zTest(difference: number, variance: number): { z: number; p: number } {
  if (variance > 0) {
    const z = difference / Math.sqrt(variance)
    return { z, p: normalTwoSidedP(z) }
  }
  if (difference === 0) return { z: 0, p: 1 }
  return { z: difference > 0 ? Infinity : -Infinity, p: 0 }
}

/**
 * DeLong's test for two correlated AUCs (two scores on the same cases) [S12]: z = (A - B) /
 * sqrt(var A + var B - 2 cov(A, B)) from the placement values, p = 2 P(Z > |z|); equals pROC
 * `roc.test(paired = TRUE, method = 'delong')`. When both the difference and its variance are 0
 * (identical curves, or both AUCs 1) z = 0 and p = 1 as in pROC; a nonzero difference with
 * variance 0 gives z = +/-Infinity and p = 0. DeLong, DeLong & Clarke-Pearson (1988).
 */
export function delongPairedTest(
  labels: BinaryLabels,
  scoresA: ArrayLike<number>,
  scoresB: ArrayLike<number>,
): PairedTestResult {
  checkSameLength(scoresA, scoresB, 'delongPairedTest')
  const a = placements(labels, scoresA)
  const b = placements(labels, scoresB)
  const m = a.positives.length
  const n = a.negatives.length
  const variance =
    differenceSquares(a.positives, b.positives, a.auc, b.auc) / (m - 1) / m +
    differenceSquares(a.negatives, b.negatives, a.auc, b.auc) / (n - 1) / n
  return { ...zTest(a.auc - b.auc, variance), aucA: a.auc, aucB: b.auc }
}

export interface UnpairedTestResult {
  /** (aucA - aucB) / sqrt(var A + var B). */
  readonly D: number
  /** Welch-Satterthwaite degrees of freedom; Infinity when both variances are 0. */
  readonly df: number
  /** Two-sided p-value 2 P(T_df > |D|). */
  readonly p: number
  readonly aucA: number
  readonly aucB: number
}

/** Labels and scores of one ROC curve. */
export interface RocSample {
  readonly labels: BinaryLabels
  readonly scores: ArrayLike<number>
}

/**
 * DeLong's test for two AUCs on different cases [S13], as pROC `roc.test(paired = FALSE,
 * method = 'delong')`: D = (A - B) / sqrt(S_A + S_B), S the DeLong variances, referred to
 * Student's t with df = (S_A + S_B)^2 / (S_A^2 / (N_A - 1) + S_B^2 / (N_B - 1)), N the number of
 * cases of each curve. When S_A + S_B = 0 (e.g. both AUCs 1) pROC gives NaN; here D and p follow
 * the paired rule (D = 0, p = 1 for equal AUCs, else +/-Infinity and 0) with df = Infinity.
 */
export function delongUnpairedTest(a: RocSample, b: RocSample): UnpairedTestResult {
  const first = splitScores(a.labels, a.scores, 'delongUnpairedTest (first)')
  const second = splitScores(b.labels, b.scores, 'delongUnpairedTest (second)')
  const r = delongOfSorted(sortFloat64(first.positives), sortFloat64(first.negatives))
  const s = delongOfSorted(sortFloat64(second.positives), sortFloat64(second.negatives))
  const total = r.variance + s.variance
  const difference = r.auc - s.auc
  if (!(total > 0)) {
    const { z, p } = zTest(difference, 0)
    return { D: z, df: Infinity, p, aucA: r.auc, aucB: s.auc }
  }
  const casesA = a.labels.length
  const casesB = b.labels.length
  const df =
    (total * total) /
    ((r.variance * r.variance) / (casesA - 1) + (s.variance * s.variance) / (casesB - 1))
  const D = difference / Math.sqrt(total)
  return { D, df, p: studentTwoSidedP(D, df), aucA: r.auc, aucB: s.auc }
}
