import { createRng, shuffle, type Seed } from '../random.ts'
import { LearnInputError } from './errors.ts'

export interface GroupedFoldsOptions {
  /** Number of folds, 2 or more (and at most the number of groups); default 5. */
  readonly folds?: number | undefined
  readonly seed: Seed
}

/**
 * Patient-grouped stratified K-fold [LR6]: every row of a group (all films of a patient) lands
 * in one fold, and each class is spread over the folds as evenly as whole groups allow. The
 * algorithm of scikit-learn's StratifiedGroupKFold(shuffle=True) with this project's seeded
 * generator: the groups, sorted by key, are shuffled with createRng(seed), then stably sorted by
 * the standard deviation of their class counts, largest first (groups of one class go first);
 * each group in turn joins the fold that leaves the per-class shares of the folds least spread
 * (the mean over classes of the SD across folds of fold count / class total), ties going to the
 * fold with fewer rows, then to the lower fold. The result depends on the rows' groups and
 * labels, never on their order. Returns the fold (0..K-1) of each row.
 */
export function groupedStratifiedFolds(
  labels: ArrayLike<number>,
  groups: ArrayLike<string | number>,
  o: GroupedFoldsOptions,
): Int32Array {
  const k = o.folds ?? 5
  const n = labels.length
  if (groups.length !== n) throw new LearnInputError(`${n} labels but ${groups.length} groups`)
  if (!Number.isInteger(k) || k < 2)
    throw new LearnInputError(`folds must be a whole number >= 2, got ${k}`)
  let classes = 0
  for (let i = 0; i < n; i++) {
    const y = labels[i]!
    if (!Number.isInteger(y) || y < 0)
      throw new LearnInputError(`label of row ${i} is ${y}, not a class 0, 1, ...`)
    classes = Math.max(classes, y + 1)
  }
  const byKey = new Map<string, number[]>()
  for (let i = 0; i < n; i++) {
    const key = String(groups[i])
    const rows = byKey.get(key)
    if (rows === undefined) byKey.set(key, [i])
    else rows.push(i)
  }
  if (byKey.size < k)
    throw new LearnInputError(`${k} folds need at least ${k} groups, got ${byKey.size}`)
  const keys = [...byKey.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const order = shuffle(keys, createRng(o.seed)).map((key) => {
    const counts = new Float64Array(classes)
    for (const i of byKey.get(key)!) counts[labels[i]!]!++
    return { rows: byKey.get(key)!, counts, spread: sd(counts) }
  })
  order.sort((a, b) => b.spread - a.spread) // stable: ties keep the shuffled order
  const total = new Float64Array(classes)
  for (let i = 0; i < n; i++) total[labels[i]!]!++
  const perFold = Array.from({ length: k }, () => new Float64Array(classes))
  const sizes = new Float64Array(k)
  const out = new Int32Array(n)
  const shares = new Float64Array(k)
  for (const g of order) {
    let best = 0
    let bestEval = Infinity
    for (let f = 0; f < k; f++) {
      let evaluation = 0
      for (let c = 0; c < classes; c++) {
        if (total[c] === 0) continue
        for (let h = 0; h < k; h++) {
          shares[h] = (perFold[h]![c]! + (h === f ? g.counts[c]! : 0)) / total[c]!
        }
        evaluation += sd(shares)
      }
      evaluation /= classes
      const close = Math.abs(evaluation - bestEval) <= 1e-8 + 1e-5 * Math.abs(bestEval)
      if ((evaluation < bestEval && !close) || (close && sizes[f]! < sizes[best]!)) {
        best = f
        bestEval = evaluation
      }
    }
    for (let c = 0; c < classes; c++) perFold[best]![c]! += g.counts[c]!
    sizes[best]! += g.rows.length
    for (const i of g.rows) out[i] = best
  }
  return out
}

/** Population standard deviation (numpy's np.std). */
function sd(values: Float64Array): number {
  let mean = 0
  for (const v of values) mean += v
  mean /= values.length
  let s = 0
  for (const v of values) s += (v - mean) * (v - mean)
  return Math.sqrt(s / values.length)
}
