import type { Rng } from '../random.ts'
import { quantileOfSorted } from './descriptives.ts'
import { StatsInputError, UndefinedStatisticError, checkConfidence } from './errors.ts'

export interface BootstrapOptions {
  /** The seeded generator that draws the resamples (see createRng). */
  readonly rng: Rng
  /** Number of resamples; defaults to 1000. */
  readonly replicates?: number
  /** Defaults to 0.95. */
  readonly confidence?: number
}

export interface BootstrapResult {
  /** The statistic on the items themselves. */
  readonly estimate: number
  readonly low: number
  readonly high: number
  /** Resamples on which the statistic was defined (the interval comes from these). */
  readonly replicates: number
  /** Resamples on which it was undefined (threw UndefinedStatisticError or gave NaN). */
  readonly undefinedReplicates: number
}

/**
 * The percentile bootstrap interval of `statistic` over items [S9]: `replicates` resamples of
 * n items drawn with replacement (index = rng.int(n), item by item, resample by resample), and
 * the type-7 alpha/2 and 1 - alpha/2 quantiles of the statistic over the resamples.
 * Efron, B. & Tibshirani, R. J. (1993). An Introduction to the Bootstrap, ch. 13. Resamples on
 * which the statistic is undefined are left out and counted; an undefined estimate throws.
 * The array passed to `statistic` is reused between resamples: copy it to keep it.
 */
export function bootstrapInterval<T>(
  items: readonly T[],
  statistic: (sample: readonly T[]) => number,
  options: BootstrapOptions,
): BootstrapResult {
  const { rng, replicates = 1000, confidence = 0.95 } = options
  checkConfidence(confidence)
  if (!Number.isInteger(replicates) || replicates < 1) {
    throw new StatsInputError(`replicates must be a positive integer, got ${replicates}`)
  }
  const n = items.length
  if (n === 0) throw new UndefinedStatisticError('empty', 'bootstrap undefined: no items')
  const estimate = statistic(items)
  const values = new Float64Array(replicates)
  let defined = 0
  const sample: T[] = new Array<T>(n)
  for (let r = 0; r < replicates; r++) {
    for (let i = 0; i < n; i++) sample[i] = items[rng.int(n)] as T
    let value: number
    try {
      value = statistic(sample)
    } catch (error) {
      if (error instanceof UndefinedStatisticError) continue
      throw error
    }
    if (!Number.isNaN(value)) values[defined++] = value
  }
  return percentileResult(estimate, values, defined, replicates, confidence)
}

/** The percentile interval over the first `defined` replicate values; none defined throws. */
export function percentileResult(
  estimate: number,
  values: Float64Array,
  defined: number,
  replicates: number,
  confidence: number,
): BootstrapResult {
  if (defined === 0) {
    throw new UndefinedStatisticError(
      'no-defined-replicates',
      'bootstrap undefined: the statistic was undefined on every resample',
    )
  }
  const sorted = values.subarray(0, defined).sort()
  const alpha = 1 - confidence
  return {
    estimate,
    low: quantileOfSorted(sorted, alpha / 2),
    high: quantileOfSorted(sorted, 1 - alpha / 2),
    replicates: defined,
    undefinedReplicates: replicates - defined,
  }
}
