import sharp from 'sharp'
import { sharpInput } from './decode/raster.ts'
import { fromSharpError } from './decode/sharp-errors.ts'
import { pngSize, sniffFormat } from './decode/sniff.ts'
import type { DecodedImage } from './decode/types.ts'
import { checkPixels, withTimeout, type ImageLimits } from './limits.ts'
import { loadBytes, type LoadedImage } from './loaded-image.ts'
import type { GreyImage } from './pixels/types.ts'
import { PREVIEW_SIZE } from './render/render.ts'

/** What an image's facts say about it besides its pixels. */
export type ImageHeader = Pick<
  DecodedImage,
  'file' | 'format' | 'width' | 'height' | 'bitsStored' | 'channels' | 'photometric'
>

/**
 * An image file read once (its bytes and their hash), decoded only as far as asked: its preview
 * (the default thumbnail and the pixel facts come from it), its header, or the full decode
 * (`loaded()`, for views and model inputs). Each is made at most once.
 */
export interface ReadImage {
  /** The real path that was read. */
  readonly file: string
  /** sha-256 of the bytes (hex). */
  readonly contentHash: string
  /** The image decoded in full, with its default display (see loadBytes). */
  loaded(): Promise<LoadedImage>
  /** The default display reduced to PREVIEW_SIZE on its long side (see makePreview). */
  preview(): Promise<GreyImage>
  header(): Promise<ImageHeader>
}

/**
 * An 8-bit grey PNG without alpha (the common chest film), whose preview libvips can make in
 * one pipeline straight from the file, never holding the full-size pixels in JavaScript: the
 * default display of such a file is its stored values, and the result is byte-identical to
 * reducing the full decode (checked on the 216 shared films, and in the tests). Left out:
 * alpha (sharp resizes before it extracts a channel, premultiplied), colour, 16 bits (windowed
 * in JavaScript), JPEG (libvips would shrink it while decoding, which changes the pixels).
 */
function directLayout(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (sniffFormat(bytes) !== 'png') return undefined
  const size = pngSize(bytes)
  if (size === undefined || bytes[24] !== 8 || bytes[25] !== 0) return undefined
  return size
}

export function readImage(
  file: string,
  bytes: Uint8Array,
  contentHash: string,
  limits: ImageLimits,
): ReadImage {
  let loaded: Promise<LoadedImage> | undefined
  let preview: Promise<GreyImage> | undefined
  const direct = directLayout(bytes)
  const load = (): Promise<LoadedImage> => (loaded ??= loadBytes(file, bytes, contentHash, limits))
  return {
    file,
    contentHash,
    loaded: load,
    preview: () =>
      (preview ??=
        // once decoded in full (a view was asked for first), reduce what is there
        direct !== undefined && loaded === undefined
          ? withTimeout(file, limits, pngPreview(file, bytes, direct, limits))
          : load().then((l) => l.preview())),
    header: async () => {
      if (direct === undefined) return headerOf((await load()).image)
      return {
        file,
        format: 'png',
        width: direct.width,
        height: direct.height,
        bitsStored: 8,
        channels: 1,
        photometric: 'MONOCHROME2',
      }
    },
  }
}

const headerOf = (image: DecodedImage): ImageHeader => ({
  file: image.file,
  format: image.format,
  width: image.width,
  height: image.height,
  bitsStored: image.bitsStored,
  channels: image.channels,
  photometric: image.photometric,
})

/** The preview of an 8-bit grey PNG in one libvips pipeline: the decode's steps, then the reduction. */
async function pngPreview(
  file: string,
  bytes: Uint8Array,
  size: { width: number; height: number },
  limits: ImageLimits,
): Promise<GreyImage> {
  checkPixels(file, size.width, size.height, limits)
  try {
    let pipeline = sharp(bytes, sharpInput(limits)).toColourspace('b-w')
    if (Math.max(size.width, size.height) > PREVIEW_SIZE)
      pipeline = pipeline
        .resize({ width: PREVIEW_SIZE, height: PREVIEW_SIZE, fit: 'inside' })
        .toColourspace('b-w')
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true })
    const pixels = new Uint8Array(data.buffer, data.byteOffset, data.length)
    if (info.channels !== 1 || pixels.length !== info.width * info.height)
      throw new Error(`decoded ${info.channels} channels of ${info.width} x ${info.height}`)
    return { width: info.width, height: info.height, pixels }
  } catch (error) {
    throw fromSharpError(file, error, 'the PNG', bytes)
  }
}
