import { LearnInputError } from './errors.ts'
import { allRows, columnMoments, type ColumnMoments, type FeatureMatrix } from './features.ts'
import { createRowKernels, type KernelChoice } from './kernels.ts'
import { lbfgs } from './lbfgs.ts'
import { hessianPreconditioner, type Preconditioner } from './preconditioner.ts'
import type { RowKernels } from './row-kernels.ts'

/**
 * Binary L2-regularised logistic regression, the model of scikit-learn's
 * `LogisticRegression(C, solver='lbfgs')` [LR1]: it minimises
 *   sum_i log(1 + exp(-s_i (x_i . w + b))) + ||w||^2 / (2C),   s_i = +1 / -1,
 * with the intercept b not penalised. Solved by L-BFGS ([LR2]); internally the objective is
 * divided by n (same minimiser, better scaled). With `standardize` the features are centred
 * and scaled by the training rows' mean and population SD first, exactly as
 * `make_pipeline(StandardScaler(), LogisticRegression(C))`, without copying the matrix [LR3].
 */
export interface LogisticOptions {
  /** Inverse regularisation strength, > 0 (sklearn's C); default 1. */
  readonly C?: number | undefined
  /** Standardise the features on the training rows first (the probe does) [LR3]; default false. */
  readonly standardize?: boolean | undefined
  /** The training rows (indices into the matrix); default all. */
  readonly rows?: Int32Array | undefined
  /** Stop when max |gradient of the objective / n| <= tolerance [LR2]; default 1e-8. */
  readonly tolerance?: number | undefined
  /** Default 1000. */
  readonly maxIterations?: number | undefined
  /**
   * 'auto' (default): L-BFGS preconditioned by an approximate Hessian [LR4] when it pays
   * (preconditionPays: enough features, and rows); 'none': plain L-BFGS. Same minimiser either way.
   */
  readonly precondition?: 'auto' | 'none' | Preconditioner | undefined
  /** 'auto' (default): WebAssembly SIMD loops for Float32Array features; 'js': plain loops. */
  readonly kernels?: KernelChoice | undefined
}

/** Below this many features plain L-BFGS converges quickly enough. */
export const PRECONDITION_MIN_COLS = 32

/**
 * With fewer training rows than this many per feature, plain L-BFGS is cheaper: building the
 * preconditioner costs about m d^2 + d^3 / 3 and applying it 2 d^2 per iteration, against
 * 2 n d per pass over the rows; at 4 d rows (5,120 for 1,280 features) the ~10x fewer
 * iterations just repay the build (on 216 films x 1,280 it made 5 folds take 4 s, not 0.3 s).
 */
export const PRECONDITION_MIN_ROWS_PER_COL = 4

/** Whether 'auto' preconditions a fit on `rows` rows of `cols` features [LR4]. */
export const preconditionPays = (rows: number, cols: number): boolean =>
  cols >= PRECONDITION_MIN_COLS && rows >= PRECONDITION_MIN_ROWS_PER_COL * cols

export interface LogisticModel {
  /** Coefficients on the features as given (standardisation folded in): z = x . coef + intercept. */
  readonly coef: Float64Array
  readonly intercept: number
  /** With `standardize`: the coefficients on the standardised features (sklearn's `coef_`). */
  readonly standardizedCoef: Float64Array | null
  readonly standardizedIntercept: number | null
  readonly moments: ColumnMoments | null
  readonly C: number
  readonly iterations: number
  readonly converged: boolean
  /** Max |gradient| of the objective / n at the solution. */
  readonly gradientMaxAbs: number
}

export const DEFAULT_LOGISTIC_TOLERANCE = 1e-7

/** log(1 + exp(z)) without overflow. */
export function log1pExp(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))
}

/** 1 / (1 + exp(-z)) without overflow. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z))
  const e = Math.exp(z)
  return e / (1 + e)
}

function checkLabels(labels: ArrayLike<number>, rows: Int32Array, n: number): void {
  let positives = 0
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r]!
    if (!(i >= 0 && i < n)) throw new LearnInputError(`row ${i} is outside the ${n} rows`)
    const v = labels[i]
    if (v === 1) positives++
    else if (v !== 0) throw new LearnInputError(`label of row ${i} is ${v}, not 0 or 1`)
  }
  if (positives === 0 || positives === rows.length) {
    throw new LearnInputError(
      `logistic regression needs both classes among the ${rows.length} training rows`,
    )
  }
}

/**
 * The objective / n and its gradient, in one pass over the rows (each block's dot products and
 * gradient contributions are computed while the block is in cache). Parameters are
 * [w_0 .. w_{d-1}, b] in the (possibly standardised) feature space.
 */
function objective(
  kernels: RowKernels,
  labels: ArrayLike<number>,
  rows: Int32Array,
  moments: ColumnMoments | null,
  C: number,
): (theta: Float64Array, gradient: Float64Array) => number {
  const d = kernels.cols
  const n = rows.length
  const v = new Float64Array(d) // w in the raw feature space
  const acc = new Float64Array(d) // sum_i r_i x_i (raw features)
  return (theta, gradient) => {
    let shift = theta[d]!
    for (let j = 0; j < d; j++) {
      const wj = theta[j]!
      if (moments === null) v[j] = wj
      else {
        v[j] = wj / moments.scale[j]!
        shift -= moments.mean[j]! * v[j]!
      }
    }
    let loss = 0
    let residualSum = 0
    kernels.pass(rows, v, acc, (z, start, count, coef) => {
      for (let r = 0; r < count; r++) {
        const y = labels[rows[start + r]!]!
        const zr = shift + z[r]!
        loss += log1pExp(zr) - y * zr
        const residual = sigmoid(zr) - y
        residualSum += residual
        coef[r] = residual
      }
    })
    let penalty = 0
    const ridge = 1 / (C * n)
    for (let j = 0; j < d; j++) {
      const wj = theta[j]!
      penalty += wj * wj
      const raw =
        moments === null ? acc[j]! : (acc[j]! - moments.mean[j]! * residualSum) / moments.scale[j]!
      gradient[j] = raw / n + ridge * wj
    }
    gradient[d] = residualSum / n
    return loss / n + 0.5 * ridge * penalty
  }
}

/** A solver bound to one feature matrix: its kernels are made once for many fits (folds). */
export interface LogisticSolver {
  readonly kernels: RowKernels
  fit(labels: ArrayLike<number>, options?: LogisticOptions): LogisticModel
  /**
   * The preconditioner [LR4] for fits on (subsets of) `rows`, to share between the folds of a
   * cross-validation (it only changes the path, so one built on all rows serves every fold).
   * Null when it does not pay (preconditionPays) or when its factorisation fails.
   */
  preconditioner(
    labels: ArrayLike<number>,
    o: Pick<LogisticOptions, 'C' | 'rows' | 'standardize'>,
  ): Preconditioner | null
}

/** Prepares `x` for fitting (with Float32Array features: copies it into the SIMD kernels' memory). */
export function createLogisticSolver(
  x: FeatureMatrix,
  kernels: KernelChoice = 'auto',
): LogisticSolver {
  const k = createRowKernels(x, kernels)
  return {
    kernels: k,
    fit: (labels, options = {}) => fit(x, k, labels, options),
    preconditioner: (labels, o) => {
      const rows = o.rows ?? allRows(x.rows)
      if (!preconditionPays(rows.length, x.cols)) return null
      const moments = o.standardize === true ? columnMoments(x, rows) : null
      return hessianPreconditioner(k, rows, labels, moments, o.C ?? 1)
    },
  }
}

/** Fits the model of [LR1] on `rows` of `x` with 0/1 `labels` (indexed like the rows of x). */
export function fitLogistic(
  x: FeatureMatrix,
  labels: ArrayLike<number>,
  o: LogisticOptions = {},
): LogisticModel {
  return createLogisticSolver(x, o.kernels).fit(labels, o)
}

function fit(
  x: FeatureMatrix,
  kernels: RowKernels,
  labels: ArrayLike<number>,
  o: LogisticOptions,
): LogisticModel {
  const C = o.C ?? 1
  if (!(C > 0 && Number.isFinite(C)))
    throw new LearnInputError(`C must be a positive number, got ${C}`)
  if (labels.length !== x.rows) {
    throw new LearnInputError(`${x.rows} rows of features but ${labels.length} labels`)
  }
  const rows = o.rows ?? allRows(x.rows)
  checkLabels(labels, rows, x.rows)
  const moments = o.standardize === true ? columnMoments(x, rows) : null
  const d = x.cols
  const choice = o.precondition ?? 'auto'
  const precondition =
    typeof choice === 'object'
      ? choice
      : choice === 'auto' && preconditionPays(rows.length, d)
        ? hessianPreconditioner(kernels, rows, labels, moments, C)
        : null
  const result = lbfgs(objective(kernels, labels, rows, moments, C), new Float64Array(d + 1), {
    tolerance: o.tolerance ?? DEFAULT_LOGISTIC_TOLERANCE,
    maxIterations: o.maxIterations ?? 1000,
    precondition: precondition?.apply,
  })
  const theta = result.x
  const coef = new Float64Array(d)
  let intercept = theta[d]!
  for (let j = 0; j < d; j++) {
    if (moments === null) coef[j] = theta[j]!
    else {
      coef[j] = theta[j]! / moments.scale[j]!
      intercept -= moments.mean[j]! * coef[j]!
    }
  }
  return {
    coef,
    intercept,
    standardizedCoef: moments === null ? null : theta.slice(0, d),
    standardizedIntercept: moments === null ? null : theta[d]!,
    moments,
    C,
    iterations: result.iterations,
    converged: result.converged,
    gradientMaxAbs: result.gradientMaxAbs,
  }
}

/** The model's probability of class 1 for `rows` of x (default all), in row order. */
export function predictLogistic(
  model: LogisticModel,
  x: FeatureMatrix,
  rows?: Int32Array,
): Float64Array {
  const d = x.cols
  if (model.coef.length !== d) {
    throw new LearnInputError(`the model has ${model.coef.length} coefficients, the features ${d}`)
  }
  const data = x.data
  const coef = model.coef
  const n = rows === undefined ? x.rows : rows.length
  const out = new Float64Array(n)
  for (let r = 0; r < n; r++) {
    const o = (rows === undefined ? r : rows[r]!) * d
    let z = model.intercept
    for (let j = 0; j < d; j++) z += data[o + j]! * coef[j]!
    out[r] = sigmoid(z)
  }
  return out
}
