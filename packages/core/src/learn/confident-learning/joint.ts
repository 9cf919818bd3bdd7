import { LearnInputError } from '../errors.ts'
import { argsortStable, pairwiseSum, roundHalfEven } from './numpy.ts'

/**
 * Predicted class probabilities: N rows of K classes, row-major (`data[i * classes + k]`), out of
 * sample (cross-validated, or a model that never saw these images).
 */
export interface ClassProbabilities {
  readonly data: Float64Array
  readonly rows: number
  readonly classes: number
}

/** cleanlab's constants (cleanlab/internal/constants.py). */
export const FLOATING_POINT_COMPARISON = 1e-6
const THRESHOLD_LOWER_BOUND = 2 * FLOATING_POINT_COMPARISON
const TINY_VALUE = 1e-100
/** The threshold of a class nobody is labelled with: no probability reaches it. */
const MISSING_CLASS_THRESHOLD = 2

/** Checks labels (whole numbers 0..K-1) against the probabilities' shape. */
export function checkInputs(labels: ArrayLike<number>, p: ClassProbabilities): void {
  if (p.data.length !== p.rows * p.classes) {
    throw new LearnInputError(
      `${p.rows} x ${p.classes} probabilities need ${p.rows * p.classes} values`,
    )
  }
  if (labels.length !== p.rows) {
    throw new LearnInputError(`${labels.length} labels but ${p.rows} rows of probabilities`)
  }
  if (p.classes < 2) throw new LearnInputError('confident learning needs at least 2 classes')
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i]!
    if (!Number.isInteger(y) || y < 0 || y >= p.classes) {
      throw new LearnInputError(`label of row ${i} is ${y}, not a class 0..${p.classes - 1}`)
    }
  }
  for (let i = 0; i < p.data.length; i++) {
    if (!Number.isFinite(p.data[i]!)) {
      throw new LearnInputError(
        `probability ${i % p.classes} of row ${Math.floor(i / p.classes)} is ${p.data[i]}`,
      )
    }
  }
}

/** How many rows carry each label (cleanlab's value_counts_fill_missing_classes). */
export function labelCounts(labels: ArrayLike<number>, classes: number): Float64Array {
  const counts = new Float64Array(classes)
  for (let i = 0; i < labels.length; i++) counts[labels[i]!]!++
  return counts
}

/**
 * The per-class thresholds t_k [CL1]: the mean predicted probability of class k over the rows
 * labelled k (the expected self-confidence), at least 2e-6; 2 for a class with no rows.
 * cleanlab `count.get_confident_thresholds`.
 */
export function confidentThresholds(
  labels: ArrayLike<number>,
  p: ClassProbabilities,
): Float64Array {
  const K = p.classes
  const thresholds = new Float64Array(K)
  const column: number[] = []
  for (let k = 0; k < K; k++) {
    column.length = 0
    for (let i = 0; i < p.rows; i++) if (labels[i] === k) column.push(p.data[i * K + k]!)
    const mean = column.length === 0 ? MISSING_CLASS_THRESHOLD : pairwiseSum(column) / column.length
    thresholds[k] = Math.max(mean, THRESHOLD_LOWER_BOUND)
  }
  return thresholds
}

/** Index of the first largest value of row i (np.argmax). */
export function rowArgmax(p: ClassProbabilities, i: number): number {
  const K = p.classes
  const o = i * K
  let best = 0
  for (let k = 1; k < K; k++) if (p.data[o + k]! > p.data[o + best]!) best = k
  return best
}

export interface ConfidentJoint {
  readonly thresholds: Float64Array
  /** K x K counts, row = given label, column = the confidently predicted (true) label. */
  readonly joint: Float64Array
  /** Rows counted off the diagonal (confidently another class), ascending. */
  readonly offDiagonal: Int32Array
}

/**
 * The confident joint C[given][true] (Northcutt, Jiang & Chuang 2021, eq. 1) [CL2]: a row counts
 * for class j when p_j >= t_j - 1e-6; with several such classes, the one of highest probability.
 * Rows confident of no class are not counted. Every diagonal entry is then at least 1, and
 * (calibrate, the default) each row is rescaled to the number of rows with that label and the
 * whole to N, then rounded to whole counts keeping each row's total [CL3]. cleanlab
 * `count.compute_confident_joint`.
 */
export function confidentJoint(
  labels: ArrayLike<number>,
  p: ClassProbabilities,
  calibrate = true,
): ConfidentJoint {
  const K = p.classes
  const thresholds = confidentThresholds(labels, p)
  const cut = thresholds.map((t) => t - 1e-6)
  const joint = new Float64Array(K * K)
  const off: number[] = []
  for (let i = 0; i < p.rows; i++) {
    const o = i * K
    let confident = 0
    let first = -1
    for (let k = 0; k < K; k++) {
      if (p.data[o + k]! >= cut[k]!) {
        confident++
        if (first < 0) first = k
      }
    }
    if (confident === 0) continue
    const guess = confident > 1 ? rowArgmax(p, i) : first
    const given = labels[i]!
    joint[given * K + guess]!++
    if (guess !== given) off.push(i)
  }
  for (let k = 0; k < K; k++) joint[k * K + k] = Math.max(joint[k * K + k]!, 1)
  return {
    thresholds,
    joint: calibrate ? calibrateJoint(joint, labelCounts(labels, K), K) : joint,
    offDiagonal: Int32Array.from(off),
  }
}

/** cleanlab `count.calibrate_confident_joint` [CL3]. */
export function calibrateJoint(joint: Float64Array, counts: Float64Array, K: number): Float64Array {
  const out = new Float64Array(K * K)
  for (let i = 0; i < K; i++) {
    const rowSum = Math.max(pairwiseSum(joint, i * K, K), TINY_VALUE)
    for (let j = 0; j < K; j++) out[i * K + j] = (joint[i * K + j]! / rowSum) * counts[i]!
  }
  const total = Math.max(pairwiseSum(out), TINY_VALUE)
  let n = 0
  for (const c of counts) n += c
  for (let i = 0; i < K * K; i++) out[i] = (out[i]! / total) * n
  return roundPreservingRowTotals(out, K)
}

/**
 * Each row rounded to whole numbers keeping its (rounded) total: cleanlab's
 * `round_preserving_sum` (after iteround) — round half to even, then add one to (or take one
 * from) the entries with the largest (smallest) rounding loss until the total is right.
 */
export function roundPreservingRowTotals(m: Float64Array, K: number): Float64Array {
  const out = new Float64Array(m.length)
  for (let r = 0; r < m.length / K; r++) {
    const floats = m.subarray(r * K, r * K + K)
    const ints = floats.map(roundHalfEven)
    const target = roundHalfEven(pairwiseSum(floats))
    let sum = roundHalfEven(pairwiseSum(ints))
    while (Math.abs(sum - target) > FLOATING_POINT_COMPARISON) {
      const diff = roundHalfEven(target - sum)
      const increment = diff < 0 ? -1 : 1
      const changes = Math.min(Math.abs(diff), K)
      const loss = floats.map((f, i) => f - ints[i]!)
      const order = argsortStable(loss)
      if (increment === 1) order.reverse()
      for (let c = 0; c < changes; c++) ints[order[c]!]! += increment
      sum = roundHalfEven(pairwiseSum(ints))
    }
    out.set(ints, r * K)
  }
  return out
}
