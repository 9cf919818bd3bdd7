import { StatsInputError, UndefinedStatisticError } from './errors.ts'

function checkFinite(values: ArrayLike<number>, what: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new StatsInputError(`${what}: value ${i} is not a finite number`)
    }
  }
}

/** The arithmetic mean [S17]; throws ('empty') for no values. */
export function mean(values: ArrayLike<number>): number {
  checkFinite(values, 'mean')
  const n = values.length
  if (n === 0) throw new UndefinedStatisticError('empty', 'mean undefined: no values')
  let sum = 0
  for (let i = 0; i < n; i++) sum += values[i] as number
  const first = sum / n
  // One correction pass (the mean of the residuals) removes most of the rounding of the sum.
  let residual = 0
  for (let i = 0; i < n; i++) residual += (values[i] as number) - first
  return first + residual / n
}

/** The sample variance with divisor n - 1 [S17], two-pass; throws ('too-few-values') for n < 2. */
export function sampleVariance(values: ArrayLike<number>): number {
  const n = values.length
  if (n < 2) {
    throw new UndefinedStatisticError('too-few-values', 'sample SD undefined: fewer than 2 values')
  }
  const m = mean(values)
  let squares = 0
  let residual = 0
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - m
    squares += d * d
    residual += d
  }
  // Corrected two-pass algorithm (Chan, Golub & LeVeque 1983).
  return (squares - (residual * residual) / n) / (n - 1)
}

/** The sample standard deviation with divisor n - 1 (numpy `std(ddof=1)`) [S17]. */
export function sampleSd(values: ArrayLike<number>): number {
  return Math.sqrt(sampleVariance(values))
}

/** A sorted Float64Array copy of finite values. */
function sortedCopy(values: ArrayLike<number>, what: string): Float64Array {
  checkFinite(values, what)
  if (values.length === 0)
    throw new UndefinedStatisticError('empty', `${what} undefined: no values`)
  return Float64Array.from(values).sort()
}

/** The type-7 quantile of ascending `sorted` values: numpy's default `linear` method. */
export function quantileOfSorted(sorted: Float64Array, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new StatsInputError(`quantile level must be in [0, 1], got ${q}`)
  const position = (sorted.length - 1) * q
  const below = Math.floor(position)
  const fraction = position - below
  const low = sorted[below] as number
  if (fraction === 0) return low
  const high = sorted[below + 1] as number
  // numpy's lerp: exact at both ends.
  return fraction >= 0.5 ? high - (high - low) * (1 - fraction) : low + (high - low) * fraction
}

/**
 * The q-quantile by linear interpolation between order statistics, Hyndman & Fan (1996) type 7,
 * numpy's default `quantile(method='linear')` [S17]; q in [0, 1].
 */
export function quantile(values: ArrayLike<number>, q: number): number {
  return quantileOfSorted(sortedCopy(values, 'quantile'), q)
}

/** Several type-7 quantiles, sorting once [S17]. */
export function quantiles(values: ArrayLike<number>, qs: readonly number[]): number[] {
  const sorted = sortedCopy(values, 'quantiles')
  return qs.map((q) => quantileOfSorted(sorted, q))
}

/** The median: the type-7 0.5 quantile. */
export function median(values: ArrayLike<number>): number {
  return quantile(values, 0.5)
}

/** A difference over a zero pooled SD: 0 when the means agree, else +/-Infinity [S18]. */
function standardise(difference: number, pooledVariance: number): number {
  if (pooledVariance > 0) return difference / Math.sqrt(pooledVariance)
  if (difference === 0) return 0
  return difference > 0 ? Infinity : -Infinity
}

/**
 * The standardised mean difference of a continuous covariate [S18]:
 * (mean_a - mean_b) / sqrt((s_a^2 + s_b^2) / 2), s the sample SDs (n - 1).
 * Austin, P. C. (2009). Balance diagnostics for comparing the distribution of baseline covariates
 * between treatment groups in propensity-score matched samples. Statistics in Medicine 28(25),
 * 3083-3107. Each group needs 2 values.
 */
export function smdContinuous(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const pooled = (sampleVariance(a) + sampleVariance(b)) / 2
  return standardise(mean(a) - mean(b), pooled)
}

/**
 * The standardised difference of two proportions [S18]:
 * (p_a - p_b) / sqrt((p_a (1 - p_a) + p_b (1 - p_b)) / 2) (Austin 2009).
 */
export function smdBinary(pa: number, pb: number): number {
  for (const p of [pa, pb]) {
    if (!(p >= 0 && p <= 1)) throw new StatsInputError(`a proportion must be in [0, 1], got ${p}`)
  }
  return standardise(pa - pb, (pa * (1 - pa) + pb * (1 - pb)) / 2)
}
