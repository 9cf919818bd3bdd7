import type { GreyPixels, LookupTable, Rescale } from './types.ts'

/** True when the rescale changes nothing (slope 1, intercept 0). */
export function isIdentityRescale(rescale: Rescale | undefined): boolean {
  return rescale === undefined || (rescale.slope === 1 && rescale.intercept === 0)
}

/**
 * Modality LUT by Rescale Slope and Intercept, PS3.3 C.11.1.1.2:
 * `output = slope * stored + intercept`. Returns `pixels` unchanged for the identity, else a new
 * Float32Array (the output is in Modality units, e.g. Hounsfield, and may be negative or
 * fractional).
 */
export function applyRescale(pixels: GreyPixels, rescale: Rescale): GreyPixels {
  if (isIdentityRescale(rescale)) return pixels
  const out = new Float32Array(pixels.length)
  const { slope, intercept } = rescale
  for (let i = 0; i < pixels.length; i++) out[i] = slope * (pixels[i] ?? 0) + intercept
  return out
}

/**
 * Looks `value` up in `lut`, PS3.3 C.11.1.1.1 and C.11.2.1.1: inputs below the first mapped
 * value take the first entry, inputs past the last take the last entry.
 */
export function lookUp(lut: LookupTable, value: number): number {
  const data = lut.data
  const index = Math.round(value) - lut.firstMapped
  if (index <= 0) return data[0] ?? 0
  if (index >= data.length) return data[data.length - 1] ?? 0
  return data[index] ?? 0
}

/** Modality LUT Sequence (0028,3000), PS3.3 C.11.1: every pixel through the table. */
export function applyModalityLut(pixels: GreyPixels, lut: LookupTable): Uint16Array {
  const out = new Uint16Array(pixels.length)
  for (let i = 0; i < pixels.length; i++) out[i] = lookUp(lut, pixels[i] ?? 0)
  return out
}
