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
    const meta = await image.metadata()
    const channels = meta.channels ?? 1
    const sixteen = meta.depth === 'ushort'
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
