import { F64, I32, V128, op, wasmModule, type WasmFunction } from './wasm-asm.ts'

/**
 * The two loops every fit spends its time in, over the rows of a feature matrix: z = X v and
 * acc += X' c [LR4]. For a Float32Array the matrix is copied once into WebAssembly memory and
 * the loops run as 128-bit SIMD (float32 values widened to float64, products and sums in double
 * precision, about 4x the plain loops); a Float64Array, or a runtime without WebAssembly SIMD,
 * uses the plain JavaScript loops. Both give the same numbers up to the order of additions.
 */
export interface RowKernels {
  readonly kind: 'wasm-simd' | 'js'
  readonly rows: number
  readonly cols: number
  /**
   * One pass over `rows`, in blocks of up to BLOCK rows so that each block is still in cache
   * for the second loop: z = X_block v, then `between(z, start, count, coef)` (z and coef are
   * indexed 0..count-1 for rows[start .. start + count)) fills coef, then, when `acc` is given,
   * acc += X_block' coef.
   */
  pass(
    rows: Int32Array,
    v: Float64Array,
    acc: Float64Array | null,
    between: (z: Float64Array, start: number, count: number, coef: Float64Array) => void,
  ): void
  /**
   * S'S (a full D x D Float64Array, D = cols + 1) of S = the sample rows centred by `mean` and
   * divided by `scale` (when given) with a last column of ones.
   */
  gram(sample: Int32Array, mean: Float64Array | null, scale: Float64Array | null): Float64Array
  /** The Cholesky factor L (lower triangle, row-major) of a D x D matrix, in place; false if not positive definite. */
  cholesky(a: Float64Array, size: number): boolean
}

export const BLOCK = 128

// dotRows(data, stride, d, rows, count, v, out): out[r] = sum_j data[rows[r] * stride + j] * v[j]
const P = { data: 0, stride: 1, d: 2, rows: 3, count: 4, vec: 5, out: 6 } as const

function rowPointer(r: number, p: number): number[] {
  // p = data + rows[r] * stride * 4
  // prettier-ignore
  return [
    ...op.get(P.rows), ...op.get(r), ...op.i32(2), ...op.i32Shl, ...op.i32Add, ...op.i32Load(),
    ...op.get(P.stride), ...op.i32Mul, ...op.i32(2), ...op.i32Shl, ...op.get(P.data), ...op.i32Add,
    ...op.set(p),
  ]
}

const add = (local: number, n: number): number[] => [
  ...op.get(local),
  ...op.i32(n),
  ...op.i32Add,
  ...op.set(local),
]
const exitIfGe = (a: number, b: number): number[] => [
  ...op.get(a),
  ...op.get(b),
  ...op.i32GeS,
  ...op.brIf(1),
]

function dotRows(): WasmFunction {
  const [r, p, j, vp, d8, a0, a1, a2, a3, x, s] = [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]
  const accumulate = (acc: number, high: boolean, vOffset: number): number[] => [
    ...op.get(acc),
    ...op.get(x),
    ...(high ? [...op.get(x), ...op.highToLow] : []),
    ...op.f64x2PromoteLowF32x4,
    ...op.get(vp),
    ...op.v128Load(vOffset),
    ...op.f64x2Mul,
    ...op.f64x2Add,
    ...op.set(acc),
  ]
  return {
    name: 'dotRows',
    params: [I32, I32, I32, I32, I32, I32, I32],
    results: [],
    locals: [I32, I32, I32, I32, I32, V128, V128, V128, V128, V128, F64],
    // prettier-ignore
    body: [
      ...op.get(P.d), ...op.i32(-8), ...op.i32And, ...op.set(d8),
      ...op.i32(0), ...op.set(r),
      ...op.block, ...op.loop,
      ...exitIfGe(r, P.count),
      ...rowPointer(r, p),
      ...op.v128Zero, ...op.tee(a0), ...op.tee(a1), ...op.tee(a2), ...op.set(a3),
      ...op.i32(0), ...op.set(j), ...op.get(P.vec), ...op.set(vp),
      ...op.block, ...op.loop,
      ...exitIfGe(j, d8),
      ...op.get(p), ...op.v128Load(0), ...op.set(x),
      ...accumulate(a0, false, 0), ...accumulate(a1, true, 16),
      ...op.get(p), ...op.v128Load(16), ...op.set(x),
      ...accumulate(a2, false, 32), ...accumulate(a3, true, 48),
      ...add(p, 32), ...add(vp, 64), ...add(j, 8),
      ...op.br(0), ...op.end, ...op.end,
      ...op.get(a0), ...op.get(a1), ...op.f64x2Add, ...op.get(a2), ...op.get(a3), ...op.f64x2Add,
      ...op.f64x2Add, ...op.tee(x), ...op.f64x2ExtractLane(0), ...op.get(x), ...op.f64x2ExtractLane(1),
      ...op.f64Add, ...op.set(s),
      ...op.block, ...op.loop,
      ...exitIfGe(j, P.d),
      ...op.get(s), ...op.get(p), ...op.f32Load(), ...op.f64PromoteF32, ...op.get(vp), ...op.f64Load(),
      ...op.f64Mul, ...op.f64Add, ...op.set(s),
      ...add(p, 4), ...add(vp, 8), ...add(j, 1),
      ...op.br(0), ...op.end, ...op.end,
      ...op.get(P.out), ...op.get(r), ...op.i32(3), ...op.i32Shl, ...op.i32Add, ...op.get(s), ...op.f64Store(),
      ...add(r, 1),
      ...op.br(0), ...op.end, ...op.end,
    ],
  }
}

// axpyRows(data, stride, d, rows, count, coef, acc): acc[j] += sum_r coef[r] * data[rows[r] * stride + j]
// (coef and acc are the 6th and 7th parameters, P.vec and P.out)
function axpyRows(): WasmFunction {
  const [r, p, j, ap, d4, c, x, cs] = [7, 8, 9, 10, 11, 12, 13, 14]
  const update = (offset: number, high: boolean): number[] => [
    ...op.get(ap),
    ...op.get(ap),
    ...op.v128Load(offset),
    ...op.get(c),
    ...op.get(x),
    ...(high ? [...op.get(x), ...op.highToLow] : []),
    ...op.f64x2PromoteLowF32x4,
    ...op.f64x2Mul,
    ...op.f64x2Add,
    ...op.v128Store(offset),
  ]
  return {
    name: 'axpyRows',
    params: [I32, I32, I32, I32, I32, I32, I32],
    results: [],
    locals: [I32, I32, I32, I32, I32, V128, V128, F64],
    // prettier-ignore
    body: [
      ...op.get(P.d), ...op.i32(-4), ...op.i32And, ...op.set(d4),
      ...op.i32(0), ...op.set(r),
      ...op.block, ...op.loop,
      ...exitIfGe(r, P.count),
      ...rowPointer(r, p),
      ...op.get(P.vec), ...op.get(r), ...op.i32(3), ...op.i32Shl, ...op.i32Add, ...op.f64Load(),
      ...op.tee(cs), ...op.f64x2Splat, ...op.set(c),
      ...op.i32(0), ...op.set(j), ...op.get(P.out), ...op.set(ap),
      ...op.block, ...op.loop,
      ...exitIfGe(j, d4),
      ...op.get(p), ...op.v128Load(0), ...op.set(x),
      ...update(0, false), ...update(16, true),
      ...add(p, 16), ...add(ap, 32), ...add(j, 4),
      ...op.br(0), ...op.end, ...op.end,
      ...op.block, ...op.loop,
      ...exitIfGe(j, P.d),
      ...op.get(ap), ...op.get(ap), ...op.f64Load(), ...op.get(cs), ...op.get(p), ...op.f32Load(),
      ...op.f64PromoteF32, ...op.f64Mul, ...op.f64Add, ...op.f64Store(),
      ...add(p, 4), ...add(ap, 8), ...add(j, 1),
      ...op.br(0), ...op.end, ...op.end,
      ...add(r, 1),
      ...op.br(0), ...op.end, ...op.end,
    ],
  }
}

// dot64(a, b, n) -> sum_i a[i] * b[i] over float64 arrays
function dot64(): WasmFunction {
  const [a, b, n, j, n4, a0, a1, x, s] = [0, 1, 2, 3, 4, 5, 6, 7, 8]
  const term = (acc: number, offset: number): number[] => [
    ...op.get(acc),
    ...op.get(a),
    ...op.v128Load(offset),
    ...op.get(b),
    ...op.v128Load(offset),
    ...op.f64x2Mul,
    ...op.f64x2Add,
    ...op.set(acc),
  ]
  return {
    name: 'dot64',
    params: [I32, I32, I32],
    results: [F64],
    locals: [I32, I32, V128, V128, V128, F64],
    // prettier-ignore
    body: [
      ...op.get(n), ...op.i32(-4), ...op.i32And, ...op.set(n4),
      ...op.i32(0), ...op.set(j),
      ...op.v128Zero, ...op.tee(a0), ...op.set(a1),
      ...op.block, ...op.loop,
      ...exitIfGe(j, n4),
      ...term(a0, 0), ...term(a1, 16),
      ...add(a, 32), ...add(b, 32), ...add(j, 4),
      ...op.br(0), ...op.end, ...op.end,
      ...op.get(a0), ...op.get(a1), ...op.f64x2Add, ...op.tee(x), ...op.f64x2ExtractLane(0),
      ...op.get(x), ...op.f64x2ExtractLane(1), ...op.f64Add, ...op.set(s),
      ...op.block, ...op.loop,
      ...exitIfGe(j, n),
      ...op.get(s), ...op.get(a), ...op.f64Load(), ...op.get(b), ...op.f64Load(), ...op.f64Mul,
      ...op.f64Add, ...op.set(s),
      ...add(a, 8), ...add(b, 8), ...add(j, 1),
      ...op.br(0), ...op.end, ...op.end,
      ...op.get(s),
    ],
  }
}

/** The kernels' WebAssembly module (a few hundred bytes, built when first needed). */
export function kernelModule(): Uint8Array {
  return wasmModule([dotRows(), axpyRows(), dot64()])
}
