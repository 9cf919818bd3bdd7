import { LearnInputError } from '../errors.ts'
import { findLabelIssues, type LabelIssueOptions } from './filter.ts'

/**
 * One finding as its own two-class problem [CL10]: labels 0/1 and the probability p of class 1,
 * seen as the rows [1 - p, p] (cleanlab's stack_complement). The label issues of that problem:
 * labelled positives the model doubts, labelled negatives it finds, mixed.
 */
export function findBinaryLabelIssues(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  o: LabelIssueOptions = {},
): Int32Array {
  const n = labels.length
  if (scores.length !== n) throw new LearnInputError(`${n} labels but ${scores.length} scores`)
  const data = new Float64Array(2 * n)
  for (let i = 0; i < n; i++) {
    const s = scores[i]!
    if (!(s >= 0 && s <= 1)) {
      throw new LearnInputError(`score of row ${i} is ${s}, not a probability in [0, 1]`)
    }
    data[2 * i] = 1 - s
    data[2 * i + 1] = s
  }
  return findLabelIssues(labels, { data, rows: n, classes: 2 }, o)
}

/**
 * Multi-label data, one-vs-rest per class [CL10]: cleanlab 2.9.0
 * `multilabel_classification.filter.find_multilabel_issues_per_class`. `labels` is N x K
 * row-major 0/1 (row i has class k when labels[i * K + k] is 1), `scores` N x K independent
 * probabilities. Returns, per class, the rows whose label for that class is likely wrong.
 */
export function findMultilabelIssuesPerClass(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  classes: number,
  o: LabelIssueOptions = {},
): Int32Array[] {
  if (labels.length !== scores.length || labels.length % classes !== 0) {
    throw new LearnInputError(`labels and scores must both be N x ${classes}`)
  }
  const n = labels.length / classes
  const y = new Uint8Array(n)
  const p = new Float64Array(n)
  const out: Int32Array[] = []
  for (let k = 0; k < classes; k++) {
    for (let i = 0; i < n; i++) {
      y[i] = labels[i * classes + k]!
      p[i] = scores[i * classes + k]!
    }
    out.push(findBinaryLabelIssues(y, p, o))
  }
  return out
}
