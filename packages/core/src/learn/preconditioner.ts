import type { ColumnMoments } from './features.ts'
import type { RowKernels } from './row-kernels.ts'

/** Rows in the sample the Hessian approximation is built from [LR4]. */
export const PRECONDITIONER_SAMPLE = 2000

/**
 * Share of the mean eigenvalue added to the approximation's diagonal: a sample of rows cannot
 * see every direction of 1,280 features, and a direction it misses must not get an enormous
 * step. 0.2 was the best of 0.001-1 on correlated embedding-like data (40 L-BFGS iterations
 * instead of 380; bench/logistic-probe.bench.ts: 42 with 2,000 rows, 50 with 1,000).
 */
const SHRINK = 0.2

/**
 * An approximate inverse Hessian of the logistic objective / n, applied in place [LR4]: the
 * Hessian (1/n) sum_i p_i (1 - p_i) x_i x_i' + I / (C n) with every p_i (1 - p_i) replaced by
 * its value at the training prevalence and the sum taken over an evenly spaced sample of the
 * rows, plus a small multiple of the identity; factored once by Cholesky. It only changes the
 * path of L-BFGS, never the minimiser. Null when the factorisation fails.
 */
export interface Preconditioner {
  /** v <- (approximate Hessian)^-1 v, in place. */
  readonly apply: (v: Float64Array) => void
  /**
   * Its Cholesky factor L (lower triangle, row-major, size x size): what another thread needs
   * to apply the very same preconditioner (preconditionerFromFactor) without building it again.
   */
  readonly factor: Float64Array
  readonly size: number
}

/** The preconditioner of a Cholesky factor made by hessianPreconditioner (on any thread). */
export function preconditionerFromFactor(factor: Float64Array, size: number): Preconditioner {
  if (factor.length !== size * size)
    throw new RangeError(`a ${size} x ${size} factor needs ${size * size} values`)
  const h = factor
  const apply = (v: Float64Array): void => {
    // L y = v, then L' x = y, in place
    for (let i = 0; i < size; i++) {
      const o = i * size
      let s = v[i]!
      for (let k = 0; k < i; k++) s -= h[o + k]! * v[k]!
      v[i] = s / h[o + i]!
    }
    for (let i = size - 1; i >= 0; i--) {
      const o = i * size
      const xi = v[i]! / h[o + i]!
      v[i] = xi
      for (let k = 0; k < i; k++) v[k]! -= xi * h[o + k]!
    }
  }
  return { apply, factor, size }
}

export function hessianPreconditioner(
  kernels: RowKernels,
  rows: Int32Array,
  labels: ArrayLike<number>,
  moments: ColumnMoments | null,
  C: number,
): Preconditioner | null {
  const m = Math.min(PRECONDITIONER_SAMPLE, rows.length)
  const sample = new Int32Array(m)
  for (let r = 0; r < m; r++) sample[r] = rows[Math.floor((r * rows.length) / m)]!
  let positives = 0
  for (let r = 0; r < rows.length; r++) positives += labels[rows[r]!]!
  const share = positives / rows.length
  const weight = Math.max(share * (1 - share), 1e-3) / m
  const d = kernels.cols
  const size = d + 1
  const h = kernels.gram(sample, moments?.mean ?? null, moments?.scale ?? null)
  let trace = 0
  for (let i = 0; i < size * size; i++) h[i]! *= weight
  for (let j = 0; j < d; j++) trace += h[j * size + j]!
  const shrink = (SHRINK * trace) / d
  for (let j = 0; j < size; j++) h[j * size + j]! += shrink + (j < d ? 1 / (C * rows.length) : 0)
  if (!kernels.cholesky(h, size)) return null
  return preconditionerFromFactor(h, size)
}
