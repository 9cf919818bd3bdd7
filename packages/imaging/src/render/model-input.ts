import { ImageError } from '../errors.ts'
import type { LoadedImage } from '../loaded-image.ts'
import type { ReadImage } from '../read-image.ts'
import { resizeSquare } from '../pixels/resize.ts'
import type { GreyImage } from '../pixels/types.ts'
import { PREVIEW_SIZE } from './render.ts'

/**
 * The input size of the shipped embedding model (ImageNet MobileNetV2): the model input that
 * `thumbnails` keeps for every film, so that `embed` need not decode it again [I26].
 */
export const MODEL_INPUT_SIZE = 224

/**
 * A film as a square model input of `size` x `size` grey values [I26] (docs/SPEC-ml.md [ML3]):
 * the default display (what the reader sees) reduced by area averages (resizeSquare, pure and
 * the same on every machine), stretched when not square. Inputs up to PREVIEW_SIZE come from the
 * 256-pixel preview that the thumbnail and the pixel facts are made from, so the same film gives
 * the same input whichever command decoded it; larger ones from the full display.
 */
export async function modelInputOf(
  image: LoadedImage | ReadImage,
  size: number,
): Promise<GreyImage> {
  if (!Number.isInteger(size) || size < 1 || size > 4096)
    throw new RangeError(`a model input size must be a whole number from 1 to 4096, got ${size}`)
  const from =
    size <= PREVIEW_SIZE
      ? await image.preview()
      : 'display' in image
        ? image.display
        : (await image.loaded()).display
  return { width: size, height: size, pixels: resizeSquare(from, size) }
}

/**
 * A grey raster as binary PGM (Netpbm P5, maxval 255): a lossless file any image tool opens,
 * read back with no decoding at all (a model input is 50 KB for 224 x 224).
 */
export function encodePgm(image: GreyImage): Uint8Array {
  const head = new TextEncoder().encode(`P5\n${image.width} ${image.height}\n255\n`)
  const out = new Uint8Array(head.length + image.pixels.length)
  out.set(head)
  out.set(image.pixels, head.length)
  return out
}

/** Reads what encodePgm wrote; a file of another shape or size is an ImageError (corrupt). */
export function decodePgm(file: string, bytes: Uint8Array): GreyImage {
  const head = /^P5\n(\d{1,5}) (\d{1,5})\n255\n/.exec(
    new TextDecoder('latin1').decode(bytes.subarray(0, 32)),
  )
  const width = Number(head?.[1])
  const height = Number(head?.[2])
  if (head === null || bytes.length !== head[0].length + width * height)
    throw new ImageError('corrupt', file, 'not a P5 PGM of 8-bit grey written by cxr-audit')
  return { width, height, pixels: bytes.subarray(head[0].length) }
}
