import { lookUp } from './rescale.ts'
import type { GreyPixels, LookupTable, VoiLutFunction, WindowLevel } from './types.ts'

export interface WindowOptions {
  /** Invert the output (MONOCHROME1, or Presentation LUT Shape INVERSE): `y' = 255 - y`. */
  readonly invert?: boolean
  /** VOI LUT Function (0028,1056); LINEAR when absent. */
  readonly fn?: VoiLutFunction
}

/**
 * The VOI window function mapping one Modality value to 0..255 (before any inversion).
 *
 * - LINEAR, PS3.3 C.11.2.1.2.1: `x <= c - 0.5 - (w-1)/2` gives 0, `x > c - 0.5 + (w-1)/2`
 *   gives 255, otherwise `((x - (c - 0.5)) / (w-1) + 0.5) * 255`. Needs `w >= 1`.
 * - LINEAR_EXACT, PS3.3 C.11.2.1.3.2: `x <= c - w/2` gives 0, `x > c + w/2` gives 255,
 *   otherwise `((x - c) / w + 0.5) * 255`. Needs `w > 0`.
 * - SIGMOID, PS3.3 C.11.2.1.3.1: `255 / (1 + exp(-4 (x - c) / w))`.
 */
export function windowFunction(
  window: WindowLevel,
  fn: VoiLutFunction = 'LINEAR',
): (x: number) => number {
  const { center: c, width: w } = window
  if (!Number.isFinite(c) || !Number.isFinite(w))
    throw new RangeError('window center and width must be finite')
  if (fn === 'SIGMOID') {
    if (w <= 0) throw new RangeError(`SIGMOID window width must be > 0, got ${w}`)
    return (x) => 255 / (1 + Math.exp((-4 * (x - c)) / w))
  }
  if (fn === 'LINEAR_EXACT') {
    if (w <= 0) throw new RangeError(`LINEAR_EXACT window width must be > 0, got ${w}`)
    return (x) => (x <= c - w / 2 ? 0 : x > c + w / 2 ? 255 : ((x - c) / w + 0.5) * 255)
  }
  if (w < 1) throw new RangeError(`LINEAR window width must be >= 1, got ${w}`)
  if (w === 1) return (x) => (x <= c - 0.5 ? 0 : 255)
  const low = c - 0.5 - (w - 1) / 2
  const high = c - 0.5 + (w - 1) / 2
  return (x) => (x <= low ? 0 : x > high ? 255 : ((x - (c - 0.5)) / (w - 1) + 0.5) * 255)
}

/** Applies `f` (values 0..255) to every pixel, with a lookup table for integer pixel types. */
function mapTo8(pixels: GreyPixels, f: (x: number) => number, invert: boolean): Uint8Array {
  const out = new Uint8Array(pixels.length)
  const finish = (y: number): number => {
    const v = Math.round(Math.min(255, Math.max(0, y)))
    return invert ? 255 - v : v
  }
  if (pixels instanceof Float32Array) {
    for (let i = 0; i < pixels.length; i++) out[i] = finish(f(pixels[i] ?? 0))
    return out
  }
  const offset = pixels instanceof Int16Array ? 32768 : 0
  const size = pixels instanceof Uint8Array ? 256 : 65536
  const table = new Uint8Array(size)
  for (let v = 0; v < size; v++) table[v] = finish(f(v - offset))
  // the hot loop of every render: no per-pixel fallbacks or offset unless the type needs one
  if (offset === 0) for (let i = 0; i < pixels.length; i++) out[i] = table[pixels[i]!]!
  else for (let i = 0; i < pixels.length; i++) out[i] = table[pixels[i]! + offset]!
  return out
}

/**
 * True when `window` (with `fn`) maps every 8-bit value to itself, as the default window of
 * 8-bit data does (LINEAR 128/256): the display is then the stored pixels, with no copy.
 */
export function isIdentityWindow8(window: WindowLevel, fn: VoiLutFunction = 'LINEAR'): boolean {
  const f = windowFunction(window, fn)
  for (let v = 0; v < 256; v++) if (Math.round(Math.min(255, Math.max(0, f(v)))) !== v) return false
  return true
}

/**
 * Windows Modality values to 8-bit display values, PS3.3 C.11.2.1.2.1 (see {@link windowFunction}),
 * then inverts when asked (MONOCHROME1 is displayed inverted, PS3.3 C.7.6.3.1.2).
 */
export function applyWindow(
  pixels: GreyPixels,
  window: WindowLevel,
  options: WindowOptions = {},
): Uint8Array {
  return mapTo8(pixels, windowFunction(window, options.fn), options.invert === true)
}

/**
 * Applies a VOI LUT (0028,3010), PS3.3 C.11.2.1.1, and scales its output range
 * `0..2^bits - 1` to 0..255. Some writers declare 16 bits for tables whose entries never exceed
 * 12 bits (or the reverse); the output range used is the larger of the declared one and the
 * table's actual maximum, so a table can never overflow the display.
 */
export function applyVoiLut(
  pixels: GreyPixels,
  lut: LookupTable,
  options: { invert?: boolean } = {},
): Uint8Array {
  let max = 0
  for (const v of lut.data) if (v > max) max = v
  let top = 2 ** lut.bits - 1
  while (top < max) top = top * 2 + 1
  return mapTo8(pixels, (x) => (lookUp(lut, x) / top) * 255, options.invert === true)
}
