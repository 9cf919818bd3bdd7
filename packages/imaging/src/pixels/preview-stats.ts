import { dctPhash } from './phash.ts'
import { resizeSquare } from './resize.ts'
import { CHEST_REGIONS, intensityStats, regionMean } from './stats.ts'
import type { GreyImage } from './types.ts'

/** The facts taken from an image's pixels (see ImageFacts), rounded as stored. */
export interface PreviewStats {
  readonly mean: number
  readonly borderMean: number
  readonly centreMean: number
  readonly lungMean: number
  readonly mediastinumMean: number
  readonly phash: string
}

/**
 * The pixel facts of a preview: statistics on its 64 x 64 and the perceptual hash on its
 * 32 x 32 area average. Pure, so that a worker thread may take it (see PixelMath).
 */
export function previewStats(reduced: GreyImage): PreviewStats {
  const g = resizeSquare(reduced, 64)
  const hashGrid = resizeSquare(reduced, 32)
  const stats = intensityStats(g, 64, 64)
  const lungMean =
    (regionMean(g, 64, 64, CHEST_REGIONS.rightLung) +
      regionMean(g, 64, 64, CHEST_REGIONS.leftLung)) /
    2
  return {
    mean: round(stats.mean),
    borderMean: round(stats.borderMean),
    centreMean: round(stats.centreMean),
    lungMean: round(lungMean),
    mediastinumMean: round(regionMean(g, 64, 64, CHEST_REGIONS.mediastinum)),
    phash: dctPhash(hashGrid),
  }
}

const round = (v: number): number => Math.round(v * 10000) / 10000
