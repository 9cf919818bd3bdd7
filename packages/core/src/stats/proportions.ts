import { betaQuantile, zCritical } from './distributions.ts'
import { StatsInputError, UndefinedStatisticError, checkConfidence } from './errors.ts'

/** A two-sided confidence interval. */
export interface Interval {
  readonly low: number
  readonly high: number
}

function checkCounts(k: number, n: number): void {
  if (!Number.isInteger(k) || !Number.isInteger(n) || k < 0 || n < 0 || k > n) {
    throw new StatsInputError(`need integers 0 <= k <= n, got k = ${k}, n = ${n}`)
  }
  if (n === 0) {
    throw new UndefinedStatisticError('empty', 'proportion undefined: n = 0')
  }
}

/**
 * The Wilson score interval for a proportion at the observed fraction `p` of `n` trials (p may
 * be any number in [0, 1]; used by the sample-size planner with p not a multiple of 1/n).
 * Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
 * JASA 22(158), 209-212. Same arithmetic as statsmodels `proportion_confint(method='wilson')`.
 */
export function wilsonAt(p: number, n: number, z: number): Interval {
  const z2 = z * z
  const denominator = 1 + z2 / n
  const center = (p + z2 / (2 * n)) / denominator
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator
  return {
    low: p === 0 ? 0 : Math.max(0, center - half),
    high: p === 1 ? 1 : Math.min(1, center + half),
  }
}

/**
 * The Wilson score interval for k successes in n trials [S3] (Wilson 1927; equals statsmodels
 * `proportion_confint(k, n, method='wilson')`). 0/n has low = 0 and n/n has high = 1 exactly.
 * Throws `UndefinedStatisticError` ('empty') for n = 0 [S2].
 */
export function wilsonInterval(k: number, n: number, confidence = 0.95): Interval {
  checkCounts(k, n)
  checkConfidence(confidence)
  return wilsonAt(k / n, n, zCritical(confidence))
}

/**
 * The Clopper-Pearson "exact" interval [S4]: the alpha/2 and 1 - alpha/2 quantiles of
 * Beta(k, n - k + 1) and Beta(k + 1, n - k); low = 0 when k = 0, high = 1 when k = n.
 * Clopper, C. J. & Pearson, E. S. (1934). The use of confidence or fiducial limits illustrated in
 * the case of the binomial. Biometrika 26(4), 404-413. Equals statsmodels
 * `proportion_confint(k, n, method='beta')`. Throws ('empty') for n = 0 [S2].
 */
export function clopperPearsonInterval(k: number, n: number, confidence = 0.95): Interval {
  checkCounts(k, n)
  checkConfidence(confidence)
  const alpha = 1 - confidence
  return {
    low: k === 0 ? 0 : betaQuantile(alpha / 2, k, n - k + 1),
    high: k === n ? 1 : betaQuantile(1 - alpha / 2, k + 1, n - k),
  }
}

/** The inputs of the sample-size planner. */
export interface PlanInput {
  /** The proportion expected in the review, in [0, 1]. */
  readonly expected: number
  /** The wanted half-width of the interval, in (0, 1). */
  readonly halfWidth: number
  /** Defaults to 0.95. */
  readonly confidence?: number
}

function checkExpected(expected: number): void {
  if (!(expected >= 0 && expected <= 1)) {
    throw new StatsInputError(`expected proportion must be in [0, 1], got ${expected}`)
  }
}

/**
 * The half-width (high - low) / 2 of the Wilson interval that n reviews give when the observed
 * proportion equals `expected` exactly [S5]: z sqrt(p(1-p)/n + z^2/(4n^2)) / (1 + z^2/n).
 */
export function expectedHalfWidth(input: {
  readonly expected: number
  readonly n: number
  readonly confidence?: number
}): number {
  const { expected, n, confidence = 0.95 } = input
  checkExpected(expected)
  checkConfidence(confidence)
  if (!Number.isInteger(n) || n < 1) {
    throw new StatsInputError(`n must be a positive integer, got ${n}`)
  }
  const interval = wilsonAt(expected, n, zCritical(confidence))
  return (interval.high - interval.low) / 2
}

/**
 * The smallest n whose Wilson interval, computed at the observed proportion = `expected`
 * exactly, has half-width <= `halfWidth` [S5]. The half-width falls strictly as n grows, so this
 * is a doubling search then a bisection on `expectedHalfWidth`; the planner and its reverse
 * agree by construction.
 */
export function plannedSampleSize(input: PlanInput): number {
  const { expected, halfWidth, confidence = 0.95 } = input
  checkExpected(expected)
  checkConfidence(confidence)
  if (!(halfWidth > 0 && halfWidth < 1)) {
    throw new StatsInputError(`halfWidth must be in (0, 1), got ${halfWidth}`)
  }
  const fits = (n: number): boolean => expectedHalfWidth({ expected, n, confidence }) <= halfWidth
  let high = 1
  while (!fits(high)) {
    high *= 2
    if (high > 2 ** 52) throw new StatsInputError(`halfWidth ${halfWidth} is too small to plan`)
  }
  let low = Math.floor(high / 2) // fits(low) is false unless low = 0
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2)
    if (fits(middle)) high = middle
    else low = middle
  }
  return high
}
