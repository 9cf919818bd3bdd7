import { LearnInputError } from '../errors.ts'
import {
  FLOATING_POINT_COMPARISON,
  checkInputs,
  confidentJoint,
  labelCounts,
  rowArgmax,
  roundPreservingRowTotals,
  type ClassProbabilities,
} from './joint.ts'
import { argsortNumpy, firstOfArgsort } from './numpy.ts'
import { labelQualityScores, type RankBy } from './rank.ts'

/** cleanlab's `filter_by` methods [CL4]-[CL7]; prune_by_noise_rate is the default. */
export const FILTERS = [
  'prune_by_noise_rate',
  'prune_by_class',
  'both',
  'confident_learning',
  'predicted_neq_given',
] as const
export type FilterBy = (typeof FILTERS)[number]

export interface LabelIssueOptions {
  /** Default prune_by_noise_rate. */
  readonly filterBy?: FilterBy | undefined
  /** Rank the issues, most likely wrong first [CL8]; without it, ascending row order. */
  readonly rankBy?: RankBy | undefined
  /** Classes with at most this many rows are not pruned (cleanlab's default 1). */
  readonly minExamplesPerClass?: number | undefined
}

/**
 * cleanlab's `_keep_at_least_n_per_class` with frac_noise 1 [CL4]: the transposed confident
 * joint (row = true class, column = given label) with each diagonal entry raised to at least
 * `n`, the increase taken evenly from the column's non-zero off-diagonal entries, then rounded
 * keeping row totals.
 */
function pruneCounts(joint: Float64Array, K: number, n: number): Float64Array {
  const m = new Float64Array(K * K)
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) m[i * K + j] = joint[j * K + i]!
  for (let j = 0; j < K; j++) {
    const diagonal = m[j * K + j]!
    const raised = Math.max(diagonal, n)
    let nonZero = 0
    for (let i = 0; i < K; i++) if (m[i * K + j] !== 0) nonZero++
    const share = (raised - diagonal) / Math.max(nonZero - 1, 1)
    for (let i = 0; i < K; i++) {
      const v = m[i * K + j]! - share
      m[i * K + j] = i === j ? raised : v < 0 ? 0 : v
    }
  }
  // _reduce_prune_counts with frac_noise 1 keeps the matrix and casts it to integers
  for (let i = 0; i < m.length; i++) m[i] = Math.trunc(m[i]!)
  return roundPreservingRowTotals(m, K)
}

/** The rows of each given label, ascending. */
function rowsByLabel(labels: ArrayLike<number>, K: number): Int32Array[] {
  const counts = labelCounts(labels, K)
  const out = Array.from(counts, (c) => new Int32Array(c))
  const filled = new Int32Array(K)
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i]!
    out[y]![filled[y]!++] = i
  }
  return out
}

/** prune_by_class [CL5]: in each label k, the rows least likely to be k, as many as C says are not. */
function pruneByClass(
  p: ClassProbabilities,
  byLabel: Int32Array[],
  prune: Float64Array,
  minimum: number,
  mask: Uint8Array,
): void {
  const K = p.classes
  byLabel.forEach((rows, k) => {
    if (rows.length <= minimum || rows.length <= 1) return // cleanlab skips masks of one row
    const issues = rows.length - prune[k * K + k]!
    if (issues < 1) return
    const own = new Float64Array(rows.length)
    for (let r = 0; r < rows.length; r++) own[r] = p.data[rows[r]! * K + k]!
    for (const r of firstOfArgsort(own, issues)) mask[rows[r]!] = 1
  })
}

/**
 * prune_by_noise_rate [CL4]: in each label k and for each other class j, the
 * prune[j][k] rows with the largest margin p_j - p_k.
 */
function pruneByNoiseRate(
  p: ClassProbabilities,
  byLabel: Int32Array[],
  prune: Float64Array,
  minimum: number,
  mask: Uint8Array,
): void {
  const K = p.classes
  byLabel.forEach((rows, k) => {
    if (rows.length <= minimum || rows.length <= 1) return // cleanlab skips masks of one row
    for (let j = 0; j < K; j++) {
      const count = prune[j * K + k]!
      if (j === k || count <= 0) continue
      const negativeMargin = new Float64Array(rows.length)
      for (let r = 0; r < rows.length; r++) {
        const o = rows[r]! * K
        negativeMargin[r] = -(p.data[o + j]! - p.data[o + k]!)
      }
      for (const r of firstOfArgsort(negativeMargin, count)) mask[rows[r]!] = 1
    }
  })
}

/**
 * The rows whose given label is likely wrong: cleanlab 2.9.0 `filter.find_label_issues(labels,
 * pred_probs, filter_by=..., return_indices_ranked_by=...)` [CL4]-[CL8]. Labels are classes
 * 0..K-1. Whatever the filter, a row whose given label's probability (plus 1e-6) is the row's
 * largest is never an issue. Returns row indices: ascending, or ranked by `rankBy` (lowest label
 * quality first; ties in row order).
 */
export function findLabelIssues(
  labels: ArrayLike<number>,
  p: ClassProbabilities,
  o: LabelIssueOptions = {},
): Int32Array {
  checkInputs(labels, p)
  const K = p.classes
  const filterBy = o.filterBy ?? 'prune_by_noise_rate'
  if (!(FILTERS as readonly string[]).includes(filterBy)) {
    throw new LearnInputError(`unknown filter "${filterBy}": use ${FILTERS.join(', ')}`)
  }
  const minimum = o.minExamplesPerClass ?? 1
  const mask = new Uint8Array(p.rows)
  if (filterBy === 'confident_learning') {
    for (const i of confidentJoint(labels, p).offDiagonal) mask[i] = 1
  } else if (filterBy === 'predicted_neq_given') {
    for (let i = 0; i < p.rows; i++) if (rowArgmax(p, i) !== labels[i]) mask[i] = 1
  } else {
    const prune = pruneCounts(confidentJoint(labels, p).joint, K, minimum)
    const byLabel = rowsByLabel(labels, K)
    if (filterBy === 'prune_by_class') pruneByClass(p, byLabel, prune, minimum, mask)
    else pruneByNoiseRate(p, byLabel, prune, minimum, mask)
    if (filterBy === 'both') {
      const byClass = new Uint8Array(p.rows)
      pruneByClass(p, byLabel, prune, minimum, byClass)
      for (let i = 0; i < p.rows; i++) mask[i]! &= byClass[i]!
    }
  }
  // cleanlab's _reduce_issues: the given label (+ 1e-6) is the first largest: not an issue
  for (let i = 0; i < p.rows; i++) {
    if (mask[i] === 0) continue
    const o2 = i * K
    const given = labels[i]!
    const own = p.data[o2 + given]! + FLOATING_POINT_COMPARISON
    let best = given
    let bestValue = own
    for (let k = 0; k < K; k++) {
      const v = k === given ? own : p.data[o2 + k]!
      if (v > bestValue || (v === bestValue && k < best)) {
        best = k
        bestValue = v
      }
    }
    if (best === given) mask[i] = 0
  }
  const issues: number[] = []
  for (let i = 0; i < p.rows; i++) if (mask[i] === 1) issues.push(i)
  const out = Int32Array.from(issues)
  if (o.rankBy === undefined) return out
  const scores = labelQualityScores(labels, p, o.rankBy)
  const issueScores = Float64Array.from(out, (i) => scores[i]!)
  return Int32Array.from(argsortNumpy(issueScores), (r) => out[r]!)
}
