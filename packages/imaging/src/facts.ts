import type { OpenOptions } from './decode/decode-image.ts'
import type { DecodedImage, ImageFormat, Photometric } from './decode/types.ts'
import { loadImage, type LoadedImage } from './loaded-image.ts'
import type { ImageHeader, ReadImage } from './read-image.ts'
import { toDisplay } from './pixels/display.ts'
import { dctPhash } from './pixels/phash.ts'
import { CHEST_REGIONS, intensityStats, regionMean } from './pixels/stats.ts'
import type { GreyImage } from './pixels/types.ts'
import { resizeSquare } from './pixels/resize.ts'
import { makePreview } from './render/render.ts'

/** What the dataset checks need to know about one image. */
export interface ImageFacts {
  readonly width: number
  readonly height: number
  readonly format: ImageFormat
  /** Bits stored per sample (8 or 16 for PNG/JPEG; Bits Stored for DICOM). */
  readonly bitDepth: number
  /** Samples per pixel in the file, alpha included. */
  readonly channels: number
  readonly photometric: Photometric
  /** Mean display intensity, 0 (black) to 1 (white), after the default window and inversion. */
  readonly mean: number
  /** Mean of the outer 10% frame of the display image, 0-1. */
  readonly borderMean: number
  /** Mean of the central half (in width and height) of the display image, 0-1. */
  readonly centreMean: number
  /** Mean of the two lung fields of a frontal film (see CHEST_REGIONS), 0-1. */
  readonly lungMean: number
  /** Mean of the central column (mediastinum, heart, spine), 0-1. */
  readonly mediastinumMean: number
  /** 64-bit DCT perceptual hash of the display image, 16 hex digits (see dctPhash). */
  readonly phash: string
  /** sha-256 of the file's bytes, hex: equal for exact duplicates. */
  readonly contentHash: string
}

/**
 * Facts of a decoded image with the given content hash, from its preview (the default display
 * reduced to 256 px on its long side, see makePreview): made here from the image unless given,
 * so that a batch displays and reduces each image once. The statistics are taken on a 64 x 64
 * and the perceptual hash on a 32 x 32 area average of the preview.
 */
export async function factsOf(
  image: DecodedImage,
  contentHash: string,
  preview?: GreyImage,
): Promise<ImageFacts> {
  const reduced =
    preview ??
    (await makePreview(image.file, {
      width: image.width,
      height: image.height,
      pixels: toDisplay(image),
    }))
  return factsOfPreview(image, contentHash, reduced)
}

/** Facts from an image's header and its preview. */
function factsOfPreview(image: ImageHeader, contentHash: string, reduced: GreyImage): ImageFacts {
  const g = resizeSquare(reduced, 64)
  const hashGrid = resizeSquare(reduced, 32)
  const stats = intensityStats(g, 64, 64)
  const lungMean =
    (regionMean(g, 64, 64, CHEST_REGIONS.rightLung) +
      regionMean(g, 64, 64, CHEST_REGIONS.leftLung)) /
    2
  return {
    width: image.width,
    height: image.height,
    format: image.format,
    bitDepth: image.bitsStored,
    channels: image.channels,
    photometric: image.photometric,
    mean: round(stats.mean),
    borderMean: round(stats.borderMean),
    centreMean: round(stats.centreMean),
    lungMean: round(lungMean),
    mediastinumMean: round(regionMean(g, 64, 64, CHEST_REGIONS.mediastinum)),
    phash: dctPhash(hashGrid),
    contentHash,
  }
}

/** Facts of an image loaded once (see loadImage), from its preview. */
export async function factsOfLoaded(loaded: LoadedImage): Promise<ImageFacts> {
  return factsOf(loaded.image, loaded.contentHash, await loaded.preview())
}

/** Facts of an image read once (see readImage): its header and preview, no full decode when avoidable. */
export async function factsOfRead(read: ReadImage): Promise<ImageFacts> {
  const [header, preview] = await Promise.all([read.header(), read.preview()])
  return factsOfPreview(header, read.contentHash, preview)
}

const round = (v: number): number => Math.round(v * 10000) / 10000

/** Opens `path` inside the roots, decodes it and returns its facts; throws ImageError. */
export async function imageFacts(path: string, options: OpenOptions): Promise<ImageFacts> {
  return factsOfLoaded(await loadImage(path, options))
}

/**
 * A heuristic for a frontal chest film whose photometry looks inverted (bone and mediastinum
 * dark, lungs bright), to list as a candidate for review, never to correct automatically. On a
 * correctly displayed film the mediastinum is brighter than the lung fields; the film is flagged
 * when it is darker than them by more than `margin` (default 0, on the 0-1 display scale).
 *
 * Measured on the 216 shared CXR14 PNGs: the contrast (mediastinum minus lungs) is above 0.008
 * on 214 of them and below -0.03 on the other two, which are genuinely inverted films; every one
 * of the 214 is flagged once inverted. Border versus centre and the overall mean separate poorly
 * (body fills most of the frame), so they are reported but not used. Lateral views, rotated or
 * heavily collimated films can be flagged wrongly.
 */
export function looksInverted(
  facts: Pick<ImageFacts, 'lungMean' | 'mediastinumMean'>,
  margin = 0,
): boolean {
  return facts.mediastinumMean < facts.lungMean - margin
}
