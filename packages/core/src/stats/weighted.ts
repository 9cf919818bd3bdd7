import type { Rng } from '../random.ts'
import { percentileResult } from './bootstrap.ts'
import {
  StatsInputError,
  UndefinedAucError,
  UndefinedStatisticError,
  checkConfidence,
  checkSameLength,
} from './errors.ts'
import type { BinaryLabels } from './roc-input.ts'

function checkWeights(w: ArrayLike<number>, what: string): void {
  for (let i = 0; i < w.length; i++) {
    const v = w[i]!
    if (!(v >= 0) || !Number.isFinite(v))
      throw new StatsInputError(`${what}: weight ${i} must be a finite number >= 0, got ${v}`)
  }
}

/**
 * The weighted mean sum(w x) / sum(w) [S22]: with x in {0, 1}, the weighted proportion, as
 * statsmodels `DescrStatsW(x, weights=w).mean`. Throws UndefinedStatisticError('empty') when the
 * weights sum to 0.
 */
export function weightedMean(x: ArrayLike<number>, w: ArrayLike<number>): number {
  checkSameLength(x, w, 'weightedMean')
  checkWeights(w, 'weightedMean')
  let sw = 0
  let swx = 0
  for (let i = 0; i < x.length; i++) {
    sw += w[i]!
    swx += w[i]! * x[i]!
  }
  if (sw === 0) throw new UndefinedStatisticError('empty', 'weighted mean undefined: no weight')
  return swx / sw
}

/**
 * The weighted Mann-Whitney AUC [S23]: sum over (positive i, negative j) of w_i w_j ([s_i > s_j]
 * + [s_i = s_j] / 2), over (sum of positive weights)(sum of negative weights). It is the area
 * under the weighted ROC curve, so it equals sklearn `roc_auc_score(y, s, sample_weight=w)`.
 * One sort and one walk over runs of tied scores: O(n log n). Throws UndefinedAucError when the
 * positives or the negatives carry no weight.
 */
export function weightedAuc(
  labels: BinaryLabels,
  scores: ArrayLike<number>,
  weights: ArrayLike<number>,
): number {
  checkSameLength(labels, scores, 'weightedAuc')
  checkSameLength(labels, weights, 'weightedAuc')
  checkWeights(weights, 'weightedAuc')
  const n = labels.length
  const order = Array.from({ length: n }, (_, i) => i)
  for (let i = 0; i < n; i++) {
    if (labels[i] !== 0 && labels[i] !== 1)
      throw new StatsInputError(`weightedAuc: label ${i} must be 0 or 1, got ${labels[i]}`)
    if (Number.isNaN(scores[i]!)) throw new StatsInputError(`weightedAuc: score ${i} is NaN`)
  }
  order.sort((a, b) => scores[a]! - scores[b]!)
  let negBelow = 0
  let posTotal = 0
  let sum = 0
  let k = 0
  while (k < n) {
    const value = scores[order[k]!]!
    let pos = 0
    let neg = 0
    while (k < n && scores[order[k]!] === value) {
      const i = order[k]!
      if (labels[i] === 1) pos += weights[i]!
      else neg += weights[i]!
      k++
    }
    sum += pos * (negBelow + neg / 2)
    negBelow += neg
    posTotal += pos
  }
  if (posTotal === 0)
    throw new UndefinedAucError('no-positives', 'AUC undefined: no weighted positives')
  if (negBelow === 0)
    throw new UndefinedAucError('no-negatives', 'AUC undefined: no weighted negatives')
  return sum / (posTotal * negBelow)
}

export interface StratifiedBootstrapOptions {
  readonly rng: Rng
  /** Resamples; defaults to 2000. */
  readonly replicates?: number
  readonly confidence?: number
}

export interface StratifiedBootstrapResult {
  readonly estimate: number
  readonly low: number
  readonly high: number
  /** Resamples on which the statistic was defined. */
  readonly replicates: number
  readonly undefinedReplicates: number
}

/**
 * The stratified percentile bootstrap [S24]: each resample draws, stratum by stratum in the
 * given order, as many items as the stratum has, with replacement (index = rng.int(n_h)), so
 * every resample keeps the design's stratum sizes; the interval is the type-7 alpha/2 and
 * 1 - alpha/2 quantiles of the statistic over the resamples on which it is defined (the others
 * are counted). An empty stratum contributes nothing. An undefined estimate throws.
 */
export function stratifiedBootstrap<T>(
  strata: readonly (readonly T[])[],
  statistic: (sample: readonly T[]) => number,
  options: StratifiedBootstrapOptions,
): StratifiedBootstrapResult {
  const { rng, replicates = 2000, confidence = 0.95 } = options
  checkConfidence(confidence)
  if (!Number.isInteger(replicates) || replicates < 1)
    throw new StatsInputError(`replicates must be a positive integer, got ${replicates}`)
  const all = strata.flat()
  if (all.length === 0) throw new UndefinedStatisticError('empty', 'bootstrap undefined: no items')
  const estimate = statistic(all)
  const values = new Float64Array(replicates)
  let defined = 0
  const sample: T[] = new Array<T>(all.length)
  for (let r = 0; r < replicates; r++) {
    let at = 0
    for (const s of strata) {
      const n = s.length
      for (let i = 0; i < n; i++) sample[at++] = s[rng.int(n)]!
    }
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

/** Items grouped by their `stratum`, strata in sorted order, items in input order [S24]. */
export function byStratum<T extends { readonly stratum: string }>(items: readonly T[]): T[][] {
  const strata = new Map<string, T[]>()
  for (const j of items) {
    const list = strata.get(j.stratum)
    if (list === undefined) strata.set(j.stratum, [j])
    else list.push(j)
  }
  return [...strata.keys()].sort().map((k) => strata.get(k)!)
}
