import type { GreyImage } from './types.ts'

/** Source taps and weights of each output index along one axis (weights sum to 1). */
interface Taps {
  readonly first: Int32Array
  readonly count: Int32Array
  readonly offset: Int32Array
  readonly weight: Float64Array
}

/**
 * Taps for resampling `from` samples to `to`. Shrinking averages the area each output sample
 * covers (a box of `from / to` input samples, partial samples weighted by their overlap: the
 * INTER_AREA of image libraries, free of aliasing); enlarging (or the same size) interpolates
 * linearly between the two nearest samples, pixel centres aligned.
 */
function taps(from: number, to: number): Taps {
  const first = new Int32Array(to)
  const count = new Int32Array(to)
  const offset = new Int32Array(to)
  const weights: number[] = []
  const scale = from / to
  for (let i = 0; i < to; i++) {
    offset[i] = weights.length
    if (to < from) {
      const start = i * scale
      const end = start + scale
      const lo = Math.floor(start)
      const hi = Math.min(from, Math.ceil(end))
      for (let s = lo; s < hi; s++)
        weights.push((Math.min(end, s + 1) - Math.max(start, s)) / scale)
      first[i] = lo
      count[i] = hi - lo
    } else {
      const x = Math.min(from - 1, Math.max(0, (i + 0.5) * scale - 0.5))
      const lo = Math.min(Math.floor(x), Math.max(0, from - 2))
      const f = x - lo
      first[i] = lo
      count[i] = from > 1 ? 2 : 1
      weights.push(from > 1 ? 1 - f : 1)
      if (from > 1) weights.push(f)
    }
  }
  return { first, count, offset, weight: Float64Array.from(weights) }
}

/**
 * `image` resampled to `width` x `height` (0-255 values as floats, not rounded): area averages
 * when shrinking, linear interpolation when enlarging, each axis on its own. Pure and
 * deterministic, so the same pixels give the same result on every machine and library version.
 */
export function resample(image: GreyImage, width: number, height: number): Float32Array {
  return resampleInto(image, width, height)
}

/**
 * Arrays kept between calls for values that are only a step on the way (the two-pass resample's
 * rows; the floats of a uint8 resizeSquare): as fresh arrays each time they would be fresh
 * memory from the system, page faults and all (decision 055). Calls run one at a time, so one
 * of each serves them all.
 */
const kept = { rows: new Float32Array(0), values: new Float32Array(0) }
const keptArray = (name: keyof typeof kept, length: number): Float32Array => {
  if (kept[name].length < length) kept[name] = new Float32Array(length)
  return kept[name].subarray(0, length)
}

/** Output rows made together, from the source rows they need (see resampleInto; decision 056). */
const BAND = 16

/**
 * resample, written into `into` (width * height values, every one written) or a new array; with
 * `bytes`, the values are stored there instead, rounded to 0-255 as they are made (resizeSquare's
 * uint8), and `into` is only a scratch array (written when the factors are powers of two).
 */
function resampleInto(
  image: GreyImage,
  width: number,
  height: number,
  into?: Float32Array,
  bytes?: Uint8Array,
): Float32Array {
  for (const [name, v] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 16384)
      throw new RangeError(`resample ${name} must be a whole number from 1 to 16384, got ${v}`)
  }
  const { width: w, height: h, pixels } = image
  if (w < 1 || h < 1 || pixels.length !== w * h)
    throw new RangeError(`resample needs ${w} x ${h} pixels, got ${pixels.length}`)
  const out = into ?? new Float32Array(width * height)
  const fx = boxFactor(w, width)
  const fy = boxFactor(h, height)
  if (fx !== 0 && fy !== 0) {
    boxAverage(image, fx, fy, out)
    if (bytes !== undefined) for (let i = 0; i < out.length; i++) bytes[i] = toByte(out[i]!)
    return out
  }
  // typed arrays in locals: the loops below run over every source pixel
  const { first: xFirst, count: xCount, offset: xOffset, weight: xWeight } = taps(w, width)
  const { first: yFirst, count: yCount, offset: yOffset, weight: yWeight } = taps(h, height)
  // rows first, then columns, a band of BAND output rows at a time: the band's source rows
  // resampled across (h' x width), then down. Each output value is the same sum, taken in the
  // same order and rounded the same way (float64 products and sums, rounded to float32 where
  // stored): only the loops are arranged for speed. A band's rows stay in the core's own cache
  // (the whole h x width pass did not: 230 KB for a 224 model input, evicted by libvips'
  // decodes on the same core); the source row shared by two bands is resampled twice.
  for (let j0 = 0; j0 < height; j0 += BAND) {
    const j1 = Math.min(height, j0 + BAND)
    // first and first + count only grow with j: the band needs source rows y0 to y1 - 1
    const y0 = yFirst[j0]!
    const y1 = yFirst[j1 - 1]! + yCount[j1 - 1]!
    const rows = keptArray('rows', (y1 - y0) * width)
    for (let i = 0; i < width; i++) {
      const n = xCount[i]!
      const o = xOffset[i]!
      const f = y0 * w + xFirst[i]!
      if (n === 2) {
        const w0 = xWeight[o]!
        const w1 = xWeight[o + 1]!
        for (let y = y0, src = f, dst = i; y < y1; y++, src += w, dst += width)
          rows[dst] = pixels[src]! * w0 + pixels[src + 1]! * w1
      } else {
        for (let y = y0, src = f, dst = i; y < y1; y++, src += w, dst += width) {
          let sum = 0
          for (let k = 0; k < n; k++) sum += pixels[src + k]! * xWeight[o + k]!
          rows[dst] = sum
        }
      }
    }
    for (let j = j0; j < j1; j++) {
      const dst = j * width
      const o = yOffset[j]!
      const n = yCount[j]!
      const first = (yFirst[j]! - y0) * width
      if (n === 2) {
        // two taps (most rows when shrinking by less than 2): the loop below, unrolled
        const w0 = yWeight[o]!
        const w1 = yWeight[o + 1]!
        if (bytes === undefined)
          for (let i = 0, a = first, b = first + width; i < width; i++, a++, b++)
            out[dst + i] = Math.fround(Math.fround(rows[a]! * w0) + rows[b]! * w1)
        else
          for (let i = 0, a = first, b = first + width; i < width; i++, a++, b++)
            bytes[dst + i] = toByte(Math.fround(Math.fround(rows[a]! * w0) + rows[b]! * w1))
        continue
      }
      for (let i = 0; i < width; i++) {
        // float32 after every tap, as a Float32Array accumulator would be
        let acc = 0
        for (let k = 0, src = first + i; k < n; k++, src += width)
          acc = Math.fround(acc + rows[src]! * yWeight[o + k]!)
        if (bytes === undefined) out[dst + i] = acc
        else bytes[dst + i] = toByte(acc)
      }
    }
  }
  return out
}

/** Math.round, clamped to 0-255: v + 0.5 is exact for a float32 value this small. */
function toByte(v: number): number {
  const r = Math.floor(v + 0.5)
  return r > 255 ? 255 : r < 0 ? 0 : r
}

/**
 * `from / to` when it is a whole power of two up to 256 (each output sample averages exactly
 * that many whole input samples, with weights 1 / factor), else 0.
 */
function boxFactor(from: number, to: number): number {
  const f = from / to
  return Number.isInteger(f) && f <= 256 && (f & (f - 1)) === 0 ? f : 0
}

/**
 * resample's area average for power-of-two factors (a 256-pixel preview to the facts' 64 x 64
 * and 32 x 32): the sum of each block of whole pixels times 1 / (fx * fy). Bit for bit what the
 * general loops give: with weights that are powers of two every product and partial sum there
 * is exact in float32 (at most 8 + 16 significant bits), so both are the exact mean.
 */
function boxAverage(image: GreyImage, fx: number, fy: number, out: Float32Array): Float32Array {
  const { width: w, pixels } = image
  const width = w / fx
  const height = image.height / fy
  const scale = 1 / (fx * fy)
  const sums = new Uint32Array(width)
  for (let j = 0; j < height; j++) {
    sums.fill(0)
    for (let y = j * fy, end = y + fy; y < end; y++) {
      for (let i = 0, src = y * w; i < width; i++) {
        let sum = 0
        for (let k = 0; k < fx; k++) sum += pixels[src++]!
        sums[i]! += sum
      }
    }
    for (let i = 0, dst = j * width; i < width; i++) out[dst + i] = sums[i]! * scale
  }
  return out
}

export interface ResizeOptions {
  /** `uint8`: 0-255, rounded (default); `float32`: 0-1, not rounded. */
  readonly as?: 'uint8' | 'float32'
}

/**
 * A display raster (what the reader sees, 0 black) resized to `size` x `size`, row-major,
 * stretched when it is not square (no crop, no padding), by {@link resample}: the input of the
 * pixel facts (64 x 64 statistics, 32 x 32 perceptual hash) and of models (e.g. 224 x 224
 * `float32` for an ONNX network), from the one decoded image.
 */
export function resizeSquare(
  image: GreyImage,
  size: number,
  options?: ResizeOptions & { as?: 'uint8' },
): Uint8Array
export function resizeSquare(
  image: GreyImage,
  size: number,
  options: ResizeOptions & { as: 'float32' },
): Float32Array
export function resizeSquare(
  image: GreyImage,
  size: number,
  options: ResizeOptions = {},
): Uint8Array | Float32Array {
  if (options.as === 'float32') {
    const values = resample(image, size, size)
    for (let i = 0; i < values.length; i++) values[i] = Math.min(1, Math.max(0, values[i]! / 255))
    return values
  }
  const out = new Uint8Array(size * size)
  resampleInto(image, size, size, keptArray('values', size * size), out)
  return out
}
