/**
 * The few pieces of the WebAssembly binary format (WebAssembly Core Specification 2.0, chapter 5)
 * that the row kernels need, so a small SIMD module can be written here as code instead of
 * shipping an opaque .wasm file. Only what row-kernels.ts uses is defined.
 */

export type Bytes = number[]

/** Unsigned LEB128. */
export function uleb(n: number): Bytes {
  const out: Bytes = []
  do {
    let b = n & 0x7f
    n >>>= 7
    if (n !== 0) b |= 0x80
    out.push(b)
  } while (n !== 0)
  return out
}

/** Signed LEB128 (i32 constants). */
export function sleb(n: number): Bytes {
  const out: Bytes = []
  for (;;) {
    const b = n & 0x7f
    n >>= 7
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b)
      return out
    }
    out.push(b | 0x80)
  }
}

const vector = (items: readonly Bytes[]): Bytes => [...uleb(items.length), ...items.flat()]
const name = (s: string): Bytes => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))]
const section = (id: number, body: Bytes): Bytes => [id, ...uleb(body.length), ...body]

export const I32 = 0x7f
export const F64 = 0x7c
export const V128 = 0x7b

/** Instructions, by the names of the specification. */
export const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number): Bytes => [0x0c, ...uleb(depth)],
  brIf: (depth: number): Bytes => [0x0d, ...uleb(depth)],
  get: (local: number): Bytes => [0x20, ...uleb(local)],
  set: (local: number): Bytes => [0x21, ...uleb(local)],
  tee: (local: number): Bytes => [0x22, ...uleb(local)],
  i32: (value: number): Bytes => [0x41, ...sleb(value)],
  i32Add: [0x6a],
  i32Mul: [0x6c],
  i32And: [0x71],
  i32Shl: [0x74],
  i32GeS: [0x4e],
  /** i32.load with a 4-byte alignment hint. */
  i32Load: (offset = 0): Bytes => [0x28, 2, ...uleb(offset)],
  f32Load: (offset = 0): Bytes => [0x2a, 2, ...uleb(offset)],
  f64Load: (offset = 0): Bytes => [0x2b, 3, ...uleb(offset)],
  f64Store: (offset = 0): Bytes => [0x39, 3, ...uleb(offset)],
  f64Const0: [0x44, 0, 0, 0, 0, 0, 0, 0, 0],
  f64Add: [0xa0],
  f64Mul: [0xa2],
  f64PromoteF32: [0xbb],
  /** v128.load / store; the alignment hint is 4 bytes (rows need not be 16-byte aligned). */
  v128Load: (offset = 0): Bytes => [0xfd, 0x00, 2, ...uleb(offset)],
  v128Store: (offset = 0): Bytes => [0xfd, 0x0b, 2, ...uleb(offset)],
  v128Zero: [0xfd, 0x0c, ...new Array<number>(16).fill(0)],
  /** i8x16.shuffle moving the high 8 bytes to the low half (then promote_low reads them). */
  highToLow: [0xfd, 0x0d, 8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15],
  f64x2Splat: [0xfd, 0x14],
  f64x2ExtractLane: (lane: number): Bytes => [0xfd, 0x21, lane],
  f64x2Add: [0xfd, ...uleb(0xf0)],
  f64x2Mul: [0xfd, ...uleb(0xf2)],
  f64x2PromoteLowF32x4: [0xfd, ...uleb(0x5f)],
} as const

export interface WasmFunction {
  readonly name: string
  readonly params: readonly number[]
  readonly results: readonly number[]
  /** Extra locals, by type, after the parameters. */
  readonly locals: readonly number[]
  readonly body: Bytes
}

/** A module importing `env.memory` and exporting the functions. */
export function wasmModule(functions: readonly WasmFunction[]): Uint8Array {
  const types = functions.map((f) => [
    0x60,
    ...vector(f.params.map((t) => [t])),
    ...vector(f.results.map((t) => [t])),
  ])
  const code = functions.map((f) => {
    const body = [...vector(f.locals.map((t) => [1, t])), ...f.body, ...op.end]
    return [...uleb(body.length), ...body]
  })
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    1,
    0,
    0,
    0,
    ...section(1, vector(types)),
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, 0x01]])),
    ...section(3, vector(functions.map((_, i) => uleb(i)))),
    ...section(7, vector(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vector(code)),
  ])
}
