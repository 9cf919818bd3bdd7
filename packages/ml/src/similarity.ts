import ort from 'onnxruntime-node'
import { pairsAboveModel } from './onnx/build.ts'

/** Rows per block of the blockwise product: 2048 x 2048 dot products (16 MB) at a time. */
export const SIMILARITY_BLOCK = 2048

/**
 * Subtracts the mean vector of the rows, then scales each row to unit length ([ML8]). ImageNet
 * features of chest films share a large common part (the median cosine of two unrelated films
 * is about 0.82 on the shared CXR14 images), which centring removes, so that the cosine says how
 * alike two films are compared with the dataset's other films. A zero row stays zero.
 */
export function centreAndNormalise(vectors: Float32Array, n: number, d: number): Float32Array {
  const mean = new Float64Array(d)
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) mean[k]! += vectors[i * d + k]!
  for (let k = 0; k < d; k++) mean[k]! /= Math.max(1, n)
  const out = new Float32Array(n * d)
  for (let i = 0; i < n; i++) {
    let sum = 0
    for (let k = 0; k < d; k++) {
      const v = vectors[i * d + k]! - mean[k]!
      out[i * d + k] = v
      sum += v * v
    }
    const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0
    for (let k = 0; k < d; k++) out[i * d + k]! *= scale
  }
  return out
}

/** The dot product of rows i and j of a row-major matrix. */
export function rowDot(m: Float32Array, d: number, i: number, j: number): number {
  let s = 0
  for (let k = 0; k < d; k++) s += m[i * d + k]! * m[j * d + k]!
  return s
}

/**
 * Every pair of rows (i < j) of `unit` (unit-length rows, see centreAndNormalise) whose cosine
 * is at least `threshold`, by blocks: onnxruntime computes each block's dot products and keeps
 * the indices above the threshold, so memory stays at one block whatever the number of images
 * and only candidate pairs come back to JavaScript, where their cosine is recomputed exactly
 * in double precision (a pair the float32 product puts just below the threshold is missed only
 * within float32 rounding) [ML8].
 */
export async function similarPairs(
  unit: Float32Array,
  n: number,
  d: number,
  threshold: number,
  block = SIMILARITY_BLOCK,
  onProgress?: (done: number, total: number) => void,
): Promise<{ i: number; j: number; cosine: number }[]> {
  const out: { i: number; j: number; cosine: number }[] = []
  if (n < 2) return out
  const session = await ort.InferenceSession.create(pairsAboveModel(d), { logSeverityLevel: 3 })
  // float32 rounding of the product: ask for slightly more, then filter exactly below
  const t = new ort.Tensor('float32', Float32Array.of(threshold - 1e-4), [1])
  const blocks = Math.ceil(n / block)
  const total = (blocks * (blocks + 1)) / 2
  let done = 0
  try {
    for (let r0 = 0; r0 < n; r0 += block) {
      const r1 = Math.min(n, r0 + block)
      const a = new ort.Tensor('float32', unit.subarray(r0 * d, r1 * d), [r1 - r0, d])
      for (let c0 = r0; c0 < n; c0 += block) {
        const c1 = Math.min(n, c0 + block)
        const b = new ort.Tensor('float32', unit.subarray(c0 * d, c1 * d), [c1 - c0, d])
        const result = await session.run({ a, b, t })
        const pairs = result['pairs']!
        const idx = pairs.data as BigInt64Array
        const count = pairs.dims[1] ?? 0
        for (let p = 0; p < count; p++) {
          const i = r0 + Number(idx[p]!)
          const j = c0 + Number(idx[count + p]!)
          if (j <= i) continue
          const cosine = rowDot(unit, d, i, j)
          if (cosine >= threshold) out.push({ i, j, cosine })
        }
        onProgress?.(++done, total)
      }
    }
  } finally {
    await session.release()
  }
  return out.sort((p, q) => q.cosine - p.cosine || p.i - q.i || p.j - q.j)
}
