import { LearnInputError } from './errors.ts'

/**
 * A dense feature matrix, row-major: row i is `data[i * cols .. (i + 1) * cols)`. Embeddings
 * come as Float32Array (half the memory traffic of Float64Array, and exact for float32 models);
 * the arithmetic is done in double precision either way.
 */
export interface FeatureMatrix {
  readonly data: Float32Array | Float64Array
  readonly rows: number
  readonly cols: number
}

/** A checked FeatureMatrix: `data.length` must be rows x cols and every value finite. */
export function featureMatrix(
  data: Float32Array | Float64Array,
  rows: number,
  cols: number,
): FeatureMatrix {
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 1) {
    throw new LearnInputError(
      `a feature matrix needs whole rows >= 0 and cols >= 1, got ${rows} x ${cols}`,
    )
  }
  if (data.length !== rows * cols) {
    throw new LearnInputError(
      `${rows} x ${cols} features need ${rows * cols} values, got ${data.length}`,
    )
  }
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      throw new LearnInputError(
        `feature ${i % cols} of row ${Math.floor(i / cols)} is ${data[i]}, not a finite number`,
      )
    }
  }
  return { data, rows, cols }
}

/** The rows `0..n-1` as an index list (what every fit takes to pick its training rows). */
export function allRows(n: number): Int32Array {
  const out = new Int32Array(n)
  for (let i = 0; i < n; i++) out[i] = i
  return out
}

/** Per-column mean and standard deviation over some rows. */
export interface ColumnMoments {
  readonly mean: Float64Array
  /** Population standard deviation (divisor n, as sklearn's StandardScaler); 1 where it is 0. */
  readonly scale: Float64Array
}

/**
 * The mean and the population standard deviation of each column over `rows`, as sklearn's
 * `StandardScaler` computes them (ddof 0; a constant column gets scale 1, so it stays 0 after
 * centring). Two passes (mean, then squared deviations) for accuracy.
 */
export function columnMoments(x: FeatureMatrix, rows: Int32Array): ColumnMoments {
  const d = x.cols
  const data = x.data
  const mean = new Float64Array(d)
  const scale = new Float64Array(d)
  const n = rows.length
  if (n === 0) throw new LearnInputError('no rows to standardise on')
  for (let r = 0; r < n; r++) {
    const o = rows[r]! * d
    for (let j = 0; j < d; j++) mean[j]! += data[o + j]!
  }
  for (let j = 0; j < d; j++) mean[j]! /= n
  for (let r = 0; r < n; r++) {
    const o = rows[r]! * d
    for (let j = 0; j < d; j++) {
      const dev = data[o + j]! - mean[j]!
      scale[j]! += dev * dev
    }
  }
  for (let j = 0; j < d; j++) {
    const sd = Math.sqrt(scale[j]! / n)
    scale[j] = sd === 0 ? 1 : sd
  }
  return { mean, scale }
}
