/** Intensity summaries of a display image (0 = black, 1 = white). */
export interface IntensityStats {
  /** Mean of all pixels, 0-1. */
  readonly mean: number
  /** Mean of the outer frame (the outer `border` fraction of width and height on each side). */
  readonly borderMean: number
  /** Mean of the central square (the middle half of width and height). */
  readonly centreMean: number
}

/** Mean, border mean and centre mean of an 8-bit grey image, each scaled to 0-1. */
export function intensityStats(
  pixels: Uint8Array,
  width: number,
  height: number,
  border = 0.1,
): IntensityStats {
  const bw = Math.max(1, Math.round(width * border))
  const bh = Math.max(1, Math.round(height * border))
  let all = 0
  let edge = 0
  let edgeN = 0
  let centre = 0
  let centreN = 0
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = pixels[y * width + x] ?? 0
      all += v
      if (x < bw || x >= width - bw || y < bh || y >= height - bh) {
        edge += v
        edgeN++
      }
      if (x >= width / 4 && x < (3 * width) / 4 && y >= height / 4 && y < (3 * height) / 4) {
        centre += v
        centreN++
      }
    }
  }
  const n = Math.max(1, width * height)
  return {
    mean: all / n / 255,
    borderMean: edgeN ? edge / edgeN / 255 : 0,
    centreMean: centreN ? centre / centreN / 255 : 0,
  }
}

/** Mean (0-1) of the rectangle `[x0, x1) x [y0, y1)` given as fractions of width and height. */
export function regionMean(
  pixels: Uint8Array,
  width: number,
  height: number,
  [x0, x1, y0, y1]: readonly [number, number, number, number],
): number {
  let sum = 0
  let n = 0
  for (let y = Math.floor(y0 * height); y < Math.ceil(y1 * height); y++) {
    for (let x = Math.floor(x0 * width); x < Math.ceil(x1 * width); x++) {
      sum += pixels[y * width + x] ?? 0
      n++
    }
  }
  return n ? sum / n / 255 : 0
}

/**
 * Where the lungs and the mediastinum lie on a frontal chest film (fractions of width and
 * height): the two lung fields either side of the midline, and the central column
 * (mediastinum, heart and spine). Rough on purpose: used only to compare their brightness.
 */
export const CHEST_REGIONS = {
  rightLung: [0.15, 0.38, 0.25, 0.65],
  leftLung: [0.62, 0.85, 0.25, 0.65],
  mediastinum: [0.42, 0.58, 0.2, 0.7],
} as const satisfies Record<string, readonly [number, number, number, number]>
