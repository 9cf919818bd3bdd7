import { createRng, shuffle, type Seed } from '../random.ts'
import { auc } from '../stats/auc.ts'
import { LearnInputError } from './errors.ts'
import type { FeatureMatrix } from './features.ts'
import {
  createLogisticSolver,
  predictLogistic,
  type LogisticOptions,
  type LogisticSolver,
} from './logistic.ts'
import { preconditionerFromFactor, type Preconditioner } from './preconditioner.ts'

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

/** One fold fitted: its held-out rows, their scores, and the fold's report. */
export interface FoldFit {
  readonly testRows: Int32Array
  readonly testScores: Float64Array
  readonly report: FoldReport
}

/**
 * What every fold of one cross-validation shares: the checked fold assignment, the rows in a
 * fold, the solver on the matrix and the preconditioner [LR4] built once on all those rows.
 * Made the same way on any thread, it gives every thread the same fits.
 */
export interface CrossValidation {
  /** Number of folds (the largest fold index + 1). */
  readonly k: number
  /** The rows in a fold, in row order. */
  readonly used: Int32Array
  /** The shared preconditioner [LR4] (null when it does not pay), to hand to other threads. */
  readonly preconditioner: Preconditioner | null
  /** Fits fold `fold` (0..k-1) [LR7]-[LR8]. */
  fit(fold: number): FoldFit
}

const aucOrNull = (labels: ArrayLike<number>, scores: ArrayLike<number>): number | null => {
  try {
    return auc(labels, scores)
  } catch {
    return null
  }
}

/** The number of folds and the rows in a fold; throws LearnInputError on a bad assignment. */
function checkFolds(n: number, labels: ArrayLike<number>, folds: ArrayLike<number>): number {
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
  return k
}

/**
 * Prepares the cross-validation of L2 logistic regression on `x` [LR7]: `folds` gives each
 * row's fold (0..K-1, or -1 to leave the row out). The matrix is prepared once for all folds
 * (`createLogisticSolver`), and the preconditioner is built once on every row in a fold.
 */
export function prepareCrossValidation(
  x: FeatureMatrix,
  labels: ArrayLike<number>,
  folds: ArrayLike<number>,
  o: CrossValidationOptions = {},
  /**
   * The preconditioner another thread built for this same cross-validation (its
   * `preconditioner.factor`, or null when it had none): used as is, never built again.
   */
  given?: { readonly factor: Float64Array; readonly size: number } | null,
): CrossValidation {
  const k = checkFolds(x.rows, labels, folds)
  const usedList: number[] = []
  for (let i = 0; i < x.rows; i++) if (folds[i]! >= 0) usedList.push(i)
  const used = Int32Array.from(usedList)
  const solver = createLogisticSolver(x, o.kernels)
  const fitOptions = {
    C: o.C,
    standardize: o.standardize,
    tolerance: o.tolerance,
    maxIterations: o.maxIterations,
  }
  const shared =
    given === undefined
      ? solver.preconditioner(labels, { ...fitOptions, rows: used })
      : given === null
        ? null
        : preconditionerFromFactor(given.factor, given.size)
  return {
    k,
    used,
    preconditioner: shared,
    fit: (fold) => {
      if (!Number.isInteger(fold) || fold < 0 || fold >= k)
        throw new LearnInputError(`fold ${fold} is not one of 0..${k - 1}`)
      return fitFold(solver, x, labels, folds, used, fold, o, shared)
    },
  }
}

function fitFold(
  solver: LogisticSolver,
  x: FeatureMatrix,
  labels: ArrayLike<number>,
  folds: ArrayLike<number>,
  used: Int32Array,
  fold: number,
  o: CrossValidationOptions,
  shared: Preconditioner | null,
): FoldFit {
  const train = used.filter((i) => folds[i] !== fold)
  const test = used.filter((i) => folds[i] === fold)
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
  const model = solver.fit(fitted, {
    C: o.C,
    standardize: o.standardize,
    tolerance: o.tolerance,
    maxIterations: o.maxIterations,
    rows: train,
    precondition: shared ?? 'auto',
  })
  const trainScores = predictLogistic(model, x, train)
  const testScores = predictLogistic(model, x, test)
  const trainLabels = Uint8Array.from(train, (i) => fitted[i]!)
  const testLabels = Uint8Array.from(test, (i) => labels[i]!)
  return {
    testRows: test,
    testScores,
    report: {
      fold,
      train: train.length,
      test: test.length,
      trainPositives: trainLabels.reduce((a, b) => a + b, 0),
      testPositives: testLabels.reduce((a, b) => a + b, 0),
      iterations: model.iterations,
      converged: model.converged,
      trainAuc: aucOrNull(trainLabels, trainScores),
      testAuc: aucOrNull(testLabels, testScores),
    },
  }
}

/**
 * The cross-validation's result from its folds' fits, whatever order or thread they were
 * fitted in: the out-of-fold scores of the n rows, their AUC over the rows in a fold, the mean
 * training AUC, the folds' reports in fold order.
 */
export function combineFolds(
  n: number,
  labels: ArrayLike<number>,
  used: Int32Array,
  fits: readonly FoldFit[],
): CrossValidationResult {
  const scores = new Float64Array(n).fill(NaN)
  const ordered = [...fits].sort((a, b) => a.report.fold - b.report.fold)
  for (const f of ordered) f.testRows.forEach((i, r) => (scores[i] = f.testScores[r]!))
  const reports = ordered.map((f) => f.report)
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

/**
 * Out-of-fold probabilities of L2 logistic regression [LR7]: for each fold k, a model fitted on
 * the rows of the other folds scores the rows of fold k. `folds` gives each row's fold
 * (0..K-1, or -1 to leave the row out). The folds are fitted one after the other here; the
 * probe fits them on worker threads with the same `prepareCrossValidation` and `combineFolds`.
 */
export function crossValidateLogistic(
  x: FeatureMatrix,
  labels: ArrayLike<number>,
  folds: ArrayLike<number>,
  o: CrossValidationOptions = {},
): CrossValidationResult {
  const cv = prepareCrossValidation(x, labels, folds, o)
  const fits: FoldFit[] = []
  for (let fold = 0; fold < cv.k; fold++) fits.push(cv.fit(fold))
  return combineFolds(x.rows, labels, cv.used, fits)
}
