import { StatsInputError, UndefinedStatisticError, checkSameLength } from './errors.ts'
import type { BinaryLabels } from './roc-input.ts'

function checkProbabilities(labels: BinaryLabels, scores: ArrayLike<number>, what: string): void {
  checkSameLength(labels, scores, what)
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]
    if (label !== 0 && label !== 1) {
      throw new StatsInputError(`${what}: label ${i} is ${label}, not 0 or 1`)
    }
    const score = scores[i] as number
    if (!(score >= 0 && score <= 1)) {
      throw new StatsInputError(`${what}: score ${i} is ${score}, not a probability in [0, 1]`)
    }
  }
}

/**
 * The Brier score: the mean of (score - label)^2 over cases [S19]; equals sklearn
 * `brier_score_loss`. Brier, G. W. (1950). Verification of forecasts expressed in terms of
 * probability. Monthly Weather Review 78(1), 1-3. Scores must be probabilities.
 */
export function brierScore(labels: BinaryLabels, scores: ArrayLike<number>): number {
  checkProbabilities(labels, scores, 'brierScore')
  if (labels.length === 0)
    throw new UndefinedStatisticError('empty', 'Brier score undefined: no cases')
  let sum = 0
  for (let i = 0; i < labels.length; i++) {
    const d = (scores[i] as number) - (labels[i] as number)
    sum += d * d
  }
  return sum / labels.length
}

export interface ReliabilityBin {
  /** The bin's edges: scores in (low, high], the first bin also holding 0. */
  readonly low: number
  readonly high: number
  readonly count: number
  /** Mean score in the bin; null when the bin is empty. */
  readonly meanPredicted: number | null
  /** Fraction of positives in the bin; null when the bin is empty. */
  readonly observedFraction: number | null
}

/**
 * A reliability diagram's bins [S19]: `bins` uniform bins over [0, 1] with edges e_i = i (1 /
 * bins) (numpy `linspace`), a score s in bin i when e_i < s <= e_{i+1} (0 in the first bin),
 * so the non-empty bins equal sklearn `calibration_curve(strategy='uniform')` (prob_pred,
 * prob_true). Every bin is returned, empty ones with count 0 and null means.
 */
export function reliabilityBins(
  labels: BinaryLabels,
  scores: ArrayLike<number>,
  bins = 10,
): ReliabilityBin[] {
  if (!Number.isInteger(bins) || bins < 1) {
    throw new StatsInputError(`bins must be a positive integer, got ${bins}`)
  }
  checkProbabilities(labels, scores, 'reliabilityBins')
  const step = 1 / bins
  const edge = (i: number): number => (i === bins ? 1 : i * step)
  const counts = new Float64Array(bins)
  const scoreSums = new Float64Array(bins)
  const positiveCounts = new Float64Array(bins)
  for (let i = 0; i < labels.length; i++) {
    const score = scores[i] as number
    let bin = Math.min(bins - 1, Math.max(0, Math.ceil(score * bins) - 1))
    // Settle rounding at the edges: the bin is the number of inner edges strictly below s.
    while (bin > 0 && score <= edge(bin)) bin--
    while (bin < bins - 1 && score > edge(bin + 1)) bin++
    counts[bin] = (counts[bin] as number) + 1
    scoreSums[bin] = (scoreSums[bin] as number) + score
    positiveCounts[bin] = (positiveCounts[bin] as number) + (labels[i] as number)
  }
  const result: ReliabilityBin[] = []
  for (let b = 0; b < bins; b++) {
    const count = counts[b] as number
    result.push({
      low: edge(b),
      high: edge(b + 1),
      count,
      meanPredicted: count > 0 ? (scoreSums[b] as number) / count : null,
      observedFraction: count > 0 ? (positiveCounts[b] as number) / count : null,
    })
  }
  return result
}
