import sharp from 'sharp'
import { fromSharpError } from '../decode/sharp-errors.ts'
import type { GreyImage } from '../pixels/types.ts'

/** Output settings of the two renditions. */
export interface RenderSettings {
  /** Long side of a thumbnail in pixels (never enlarged). Default 256. */
  readonly thumbnailSize: number
  /** JPEG quality of thumbnails, 1-100. Default 85. */
  readonly thumbnailQuality: number
  /** Encoding of view renditions: lossless PNG (default) or JPEG. */
  readonly viewFormat: 'png' | 'jpeg'
  /** JPEG quality of view renditions when `viewFormat` is `jpeg`. Default 95. */
  readonly viewQuality: number
}

export const DEFAULT_RENDER_SETTINGS: RenderSettings = Object.freeze({
  thumbnailSize: 256,
  thumbnailQuality: 85,
  viewFormat: 'png',
  viewQuality: 95,
})

/**
 * A sharp pipeline reading an 8-bit grey raster already in memory. The pixel count was checked
 * against the limits when the image was decoded, so none is applied again here.
 */
export function greyInput(image: GreyImage): sharp.Sharp {
  return sharp(image.pixels, {
    raw: { width: image.width, height: image.height, channels: 1 },
    limitInputPixels: false,
  })
}

/**
 * The JPEG thumbnail of a display raster: at most `thumbnailSize` pixels on the long side, never
 * enlarged, grey. `file` names the source in errors.
 */
export async function encodeThumbnail(
  file: string,
  display: GreyImage,
  settings: Pick<RenderSettings, 'thumbnailSize' | 'thumbnailQuality'> = DEFAULT_RENDER_SETTINGS,
): Promise<Buffer> {
  const size = settings.thumbnailSize
  try {
    return await greyInput(display)
      .resize({ width: size, height: size, fit: 'inside', withoutEnlargement: true })
      .toColourspace('b-w')
      .jpeg({ quality: settings.thumbnailQuality })
      .toBuffer()
  } catch (error) {
    throw fromSharpError(file, error, 'the thumbnail')
  }
}

/** A full-resolution view rendition of a display raster: PNG, or JPEG at 4:4:4. */
export async function encodeView(
  file: string,
  display: GreyImage,
  settings: RenderSettings = DEFAULT_RENDER_SETTINGS,
): Promise<Buffer> {
  const out = greyInput(display).toColourspace('b-w')
  const encoded =
    settings.viewFormat === 'png'
      ? out.png({ compressionLevel: 3, adaptiveFiltering: false })
      : out.jpeg({ quality: settings.viewQuality, chromaSubsampling: '4:4:4' })
  try {
    return await encoded.toBuffer()
  } catch (error) {
    throw fromSharpError(file, error, 'the view')
  }
}

/** Long side of the preview: the default thumbnail size. */
export const PREVIEW_SIZE = 256

/**
 * The display reduced to at most PREVIEW_SIZE pixels on its long side (never enlarged), with
 * the thumbnail's resampling (libvips lanczos3): the default thumbnail is this raster encoded,
 * and the pixel facts are computed from it. A display that already fits is returned as is.
 */
export async function makePreview(file: string, display: GreyImage): Promise<GreyImage> {
  if (Math.max(display.width, display.height) <= PREVIEW_SIZE) return display
  try {
    const { data, info } = await greyInput(display)
      .resize({ width: PREVIEW_SIZE, height: PREVIEW_SIZE, fit: 'inside' })
      .toColourspace('b-w')
      .raw()
      .toBuffer({ resolveWithObject: true })
    const pixels = new Uint8Array(data.buffer, data.byteOffset, data.length)
    return { width: info.width, height: info.height, pixels }
  } catch (error) {
    throw fromSharpError(file, error, 'the preview')
  }
}
