import { StatsInputError, UndefinedAucError, checkSameLength } from './errors.ts'

/** Binary labels: 1 = positive (case), 0 = negative (control); any other value is an error. */
export type BinaryLabels = ArrayLike<number>

/** The scores of the positives and of the negatives, each in input order. */
export interface SplitScores {
  readonly positives: Float64Array
  readonly negatives: Float64Array
}

/**
 * Splits scores by label, checking that labels are 0 or 1 and scores are not NaN, and throws
 * UndefinedAucError ('no-positives' / 'no-negatives') when a class is missing [S10]; `what`
 * names the caller in input errors, `quantity` the statistic in 'undefined' messages; with
 * `needNegatives` false only positives are required.
 */
export function splitScores(
  labels: BinaryLabels,
  scores: ArrayLike<number>,
  what: string,
  quantity = 'AUC',
  needNegatives = true,
): SplitScores {
  checkSameLength(labels, scores, what)
  const length = labels.length
  let m = 0
  for (let i = 0; i < length; i++) {
    const label = labels[i]
    if (label === 1) m++
    else if (label !== 0) throw new StatsInputError(`${what}: label ${i} is ${label}, not 0 or 1`)
    if (Number.isNaN(scores[i])) throw new StatsInputError(`${what}: score ${i} is NaN`)
  }
  if (m === 0) throw new UndefinedAucError('no-positives', `${quantity} undefined: no positives`)
  if (m === length && needNegatives) {
    throw new UndefinedAucError('no-negatives', `${quantity} undefined: no negatives`)
  }
  const positives = new Float64Array(m)
  const negatives = new Float64Array(length - m)
  let p = 0
  let q = 0
  for (let i = 0; i < length; i++) {
    if (labels[i] === 1) positives[p++] = scores[i] as number
    else negatives[q++] = scores[i] as number
  }
  return { positives, negatives }
}

/**
 * The scores of the positives and of the negatives, each sorted ascending (either may be empty),
 * or null when splitScores would refuse the input for another reason than a missing class (a
 * label not 0 or 1, a NaN score, lengths that differ): the one sort that the AUC, its interval,
 * the curves and the thresholds of a set can share.
 */
export function sortedClasses(labels: BinaryLabels, scores: ArrayLike<number>): SplitScores | null {
  const length = labels.length
  if (scores.length !== length) return null
  let m = 0
  for (let i = 0; i < length; i++) {
    const label = labels[i]
    if (label === 1) m++
    else if (label !== 0) return null
    if (Number.isNaN(scores[i])) return null
  }
  const positives = new Float64Array(m)
  const negatives = new Float64Array(length - m)
  let p = 0
  let q = 0
  for (let i = 0; i < length; i++) {
    if (labels[i] === 1) positives[p++] = scores[i] as number
    else negatives[q++] = scores[i] as number
  }
  // the built-in sort, not sortFloat64 (the same order): a command sorts each set once, before
  // the JIT has warmed the radix sort up; cold, the built-in takes half its time (decisions/045)
  return { positives: positives.sort(), negatives: negatives.sort() }
}

/** The first index of ascending `sorted` whose value is >= x. */
export function lowerBound(sorted: Float64Array, x: number): number {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if ((sorted[middle] as number) < x) low = middle + 1
    else high = middle
  }
  return low
}

/** The first index of ascending `sorted` whose value is > x. */
export function upperBound(sorted: Float64Array, x: number): number {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if ((sorted[middle] as number) <= x) low = middle + 1
    else high = middle
  }
  return low
}
