import sharp from 'sharp'
import { ImageError } from '../errors.ts'
import { checkPixels, type ImageLimits } from '../limits.ts'
import { toGrey } from './grey.ts'
import { fromSharpError } from './sharp-errors.ts'
import { jpegSize, pngSize } from './sniff.ts'
import type { DecodedImage } from './types.ts'

/** sharp options shared by every raster read: the pixel limit, and fail on real errors. */
export function sharpInput(limits: ImageLimits): sharp.SharpOptions {
  return { limitInputPixels: limits.maxPixels, failOn: 'error', sequentialRead: true }
}

/**
 * Decodes a PNG or JPEG with sharp to one grey channel: 8-bit data as Uint8Array, 16-bit PNG as
 * Uint16Array. Colour is reduced to luma (Rec. 601 weights, as DICOM's YBR_FULL) on the stored
 * values, so an RGB or RGBA file whose channels are equal gives back exactly those values;
 * alpha is dropped, as it carries no attenuation.
 */
export async function decodeRaster(
  file: string,
  bytes: Uint8Array,
  format: 'png' | 'jpeg',
  limits: ImageLimits,
): Promise<DecodedImage> {
  const claimed = format === 'png' ? pngSize(bytes) : jpegSize(bytes)
  if (claimed) checkPixels(file, claimed.width, claimed.height, limits)
  try {
    const image = sharp(bytes, sharpInput(limits))
    const { channels, sixteen } = headerLayout(bytes, format) ?? (await sharpLayout(image))
    const colour = channels >= 3
    let pipeline = image
    if (!colour) pipeline = pipeline.extractChannel(0).toColourspace(sixteen ? 'grey16' : 'b-w')
    const { data, info } = await pipeline
      .raw(sixteen ? { depth: 'ushort' } : {})
      .toBuffer({ resolveWithObject: true })
    const samples = sixteen
      ? new Uint16Array(data.buffer, data.byteOffset, data.length / 2)
      : new Uint8Array(data.buffer, data.byteOffset, data.length)
    const pixels = toGrey(samples, info.channels, 'rgb')
    if (pixels.length !== info.width * info.height) {
      throw new ImageError(
        'corrupt',
        file,
        `decoded ${pixels.length} pixels for ${info.width} x ${info.height}`,
      )
    }
    return {
      file,
      format,
      width: info.width,
      height: info.height,
      bitsStored: sixteen ? 16 : 8,
      channels,
      photometric: colour ? 'RGB' : 'MONOCHROME2',
      pixels,
    }
  } catch (error) {
    throw fromSharpError(file, error, `the ${format.toUpperCase()}`, bytes)
  }
}

interface Layout {
  /** Samples per pixel in the file, alpha included. */
  readonly channels: number
  readonly sixteen: boolean
}

/**
 * The layout from the PNG IHDR (colour types grey, RGB, grey + alpha, RGBA; PNG spec 11.2.2) or
 * the JPEG SOF (1 or 3 components, 8-bit): no call into sharp needed for the usual files.
 * Undefined for the rest (palette, CMYK...), which sharp's header reading decides.
 */
function headerLayout(bytes: Uint8Array, format: 'png' | 'jpeg'): Layout | undefined {
  if (format === 'jpeg') {
    const sof = jpegSize(bytes)
    if (sof?.precision !== 8 || (sof.components !== 1 && sof.components !== 3)) return undefined
    return { channels: sof.components, sixteen: false }
  }
  if (!pngSize(bytes)) return undefined
  const depth = bytes[24]
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[bytes[25] ?? -1]
  if (channels === undefined || depth === undefined || ![1, 2, 4, 8, 16].includes(depth))
    return undefined
  return { channels, sixteen: depth === 16 }
}

async function sharpLayout(image: sharp.Sharp): Promise<Layout> {
  const meta = await image.metadata()
  return { channels: meta.channels ?? 1, sixteen: meta.depth === 'ushort' }
}
