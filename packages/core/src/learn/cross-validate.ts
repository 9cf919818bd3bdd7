import { createRng, shuffle, type Seed } from '../random.ts'
import { auc } from '../stats/auc.ts'
import { LearnInputError } from './errors.ts'
import type { FeatureMatrix } from './features.ts'
import { createLogisticSolver, predictLogistic, type LogisticOptions } from './logistic.ts'

export interface CrossValidationOptions extends Pick<
  LogisticOptions,
  'C' | 'standardize' | 'tolerance' | 'maxIterations' | 'kernels'
> {
  /**
   * The null model [LR8]: in each fold, the training rows' labels are permuted with
   * createRng(`${shuffleSeed}:fold:${k}`) before fitting; the out-of-fold scores are still
   * judged against the true labels.
   */
  readonly shuffleSeed?: Seed | undefined
}

export interface FoldReport {
  readonly fold: number
  readonly train: number
  readonly test: number
  readonly trainPositives: number
  readonly testPositives: number
  readonly iterations: number
  readonly converged: boolean
  /** AUC of the fold's model on its own training rows, against the labels it was fitted to. */
  readonly trainAuc: number | null
  /** AUC of the fold's model on its held-out rows (null when they hold one class only). */
  readonly testAuc: number | null
}

export interface CrossValidationResult {
  /** Out-of-fold probability of each row; NaN for rows outside every fold (fold -1). */
  readonly scores: Float64Array
  /** AUC of the out-of-fold scores against the labels, over the rows in a fold. */
  readonly auc: number
  /** Mean of the folds' training AUCs: with `auc`, the memorisation gap. */
  readonly trainAuc: number | null
  readonly folds: readonly FoldReport[]
}

const aucOrNull = (labels: ArrayLike<number>, scores: ArrayLike<number>): number | null => {
  try {
    return auc(labels, scores)
  } catch {
    return null
  }
}

/**
 * Out-of-fold probabilities of L2 logistic regression [LR7]: for each fold k, a model fitted on
 * the rows of the other folds scores the rows of fold k. `folds` gives each row's fold
 * (0..K-1, or -1 to leave the row out). The matrix is prepared once for all folds, and the
 * L-BFGS preconditioner [LR4] is built once on every row in a fold.
 */
export function crossValidateLogistic(
  x: FeatureMatrix,
  labels: ArrayLike<number>,
  folds: ArrayLike<number>,
  o: CrossValidationOptions = {},
): CrossValidationResult {
  const n = x.rows
  if (labels.length !== n || folds.length !== n) {
    throw new LearnInputError(`${n} rows, ${labels.length} labels and ${folds.length} folds`)
  }
  let k = 0
  for (let i = 0; i < n; i++) {
    const f = folds[i]!
    if (!Number.isInteger(f) || f < -1) throw new LearnInputError(`fold of row ${i} is ${f}`)
    k = Math.max(k, f + 1)
  }
  if (k < 2) throw new LearnInputError('cross-validation needs at least 2 folds')
  const used: number[] = []
  for (let i = 0; i < n; i++) if (folds[i]! >= 0) used.push(i)
  const solver = createLogisticSolver(x, o.kernels)
  const fitOptions = {
    C: o.C,
    standardize: o.standardize,
    tolerance: o.tolerance,
    maxIterations: o.maxIterations,
  }
  const shared = solver.preconditioner(labels, { ...fitOptions, rows: Int32Array.from(used) })
  const scores = new Float64Array(n).fill(NaN)
  const reports: FoldReport[] = []
  for (let fold = 0; fold < k; fold++) {
    const train = Int32Array.from(used.filter((i) => folds[i] !== fold))
    const test = Int32Array.from(used.filter((i) => folds[i] === fold))
    let fitted: ArrayLike<number> = labels
    if (o.shuffleSeed !== undefined) {
      const permuted = Float64Array.from(labels as ArrayLike<number>)
      const values = shuffle(
        Array.from(train, (i) => labels[i]!),
        createRng(`${o.shuffleSeed}:fold:${fold}`),
      )
      train.forEach((i, r) => (permuted[i] = values[r]!))
      fitted = permuted
    }
    const model = solver.fit(fitted, { ...fitOptions, rows: train, precondition: shared ?? 'auto' })
    const trainScores = predictLogistic(model, x, train)
    const testScores = predictLogistic(model, x, test)
    test.forEach((i, r) => (scores[i] = testScores[r]!))
    const trainLabels = Uint8Array.from(train, (i) => fitted[i]!)
    const testLabels = Uint8Array.from(test, (i) => labels[i]!)
    reports.push({
      fold,
      train: train.length,
      test: test.length,
      trainPositives: trainLabels.reduce((a, b) => a + b, 0),
      testPositives: testLabels.reduce((a, b) => a + b, 0),
      iterations: model.iterations,
      converged: model.converged,
      trainAuc: aucOrNull(trainLabels, trainScores),
      testAuc: aucOrNull(testLabels, testScores),
    })
  }
  const trainAucs = reports.map((r) => r.trainAuc).filter((a): a is number => a !== null)
  return {
    scores,
    auc: auc(
      Uint8Array.from(used, (i) => labels[i]!),
      Float64Array.from(used, (i) => scores[i]!),
    ),
    trainAuc:
      trainAucs.length === 0 ? null : trainAucs.reduce((a, b) => a + b, 0) / trainAucs.length,
    folds: reports,
  }
}
