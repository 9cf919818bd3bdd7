import type { GreyPixels, WindowLevel } from './types.ts'

/** Smallest and largest value in `pixels` (NaN is skipped); `[0, 0]` when empty. */
export function minMax(pixels: GreyPixels): readonly [number, number] {
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i] ?? 0
    if (v < min) min = v
    if (v > max) max = v
  }
  return min <= max ? [min, max] : [0, 0]
}

/**
 * The LINEAR window (PS3.3 C.11.2.1.2.1) that maps `low` to 0 and `high` to 255: solving
 * `c - 0.5 - (w-1)/2 = low` and `c - 0.5 + (w-1)/2 = high` gives `w = high - low + 1`,
 * `c = (low + high) / 2 + 0.5`. For 0..255 that is the classic identity window 128/256.
 */
export function windowForRange(low: number, high: number): WindowLevel {
  const hi = Math.max(high, low)
  return { center: (low + hi) / 2 + 0.5, width: hi - low + 1 }
}

export interface AutoWindowOptions {
  /** Lower percentile (0-100); 0 means the minimum. Default 0.5. */
  readonly lowPercentile?: number
  /** Upper percentile (0-100); 100 means the maximum. Default 99.5. */
  readonly highPercentile?: number
}

/**
 * A window from the value distribution when the file gives none: from the `lowPercentile` to the
 * `highPercentile` value (a 4096-bin histogram for wide or fractional data), so that burned-in
 * labels and collimator edges do not flatten the lungs the way a plain min/max window does.
 */
export function autoWindow(pixels: GreyPixels, options: AutoWindowOptions = {}): WindowLevel {
  const lowP = options.lowPercentile ?? 0.5
  const highP = options.highPercentile ?? 99.5
  const [min, max] = minMax(pixels)
  if (pixels.length === 0 || min === max) return windowForRange(min, max)
  const integral = !(pixels instanceof Float32Array)
  const bins = integral ? Math.min(4096, max - min + 1) : 4096
  const scale = (bins - 1) / (max - min)
  const histogram = new Float64Array(bins)
  for (let i = 0; i < pixels.length; i++) {
    const bin = Math.round(((pixels[i] ?? 0) - min) * scale)
    histogram[bin] = (histogram[bin] ?? 0) + 1
  }
  const valueAt = (percentile: number): number => {
    const target = (percentile / 100) * pixels.length
    let seen = 0
    for (let b = 0; b < bins; b++) {
      seen += histogram[b] ?? 0
      if (seen > target || (seen >= target && target > 0)) return min + b / scale
    }
    return max
  }
  const low = lowP <= 0 ? min : valueAt(lowP)
  const high = highP >= 100 ? max : valueAt(highP)
  return windowForRange(low, high > low ? high : max)
}
