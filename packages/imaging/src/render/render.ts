import sharp from 'sharp'
import { decodeBytes } from '../decode/decode-image.ts'
import { sharpInput } from '../decode/raster.ts'
import { fromSharpError } from '../decode/sharp-errors.ts'
import { sniffFormat } from '../decode/sniff.ts'
import type { DecodedImage } from '../decode/types.ts'
import { checkPixels, type ImageLimits } from '../limits.ts'
import { toDisplay, type DisplayOptions } from '../pixels/display.ts'

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
 * True for an 8-bit single-channel PNG (IHDR bit depth 8, colour type 0) or 8-bit one-component
 * JPEG: its default display is the identity, so sharp can shrink it straight from the file
 * (the common CXR case; no copy of the pixels passes through JavaScript).
 */
export function isPlainGrey8(bytes: Uint8Array): boolean {
  const format = sniffFormat(bytes)
  if (format === 'png') return bytes[24] === 8 && bytes[25] === 0
  if (format !== 'jpeg') return false
  for (let at = 2; at + 9 < bytes.length;) {
    const marker = bytes[at + 1] ?? 0
    if (bytes[at] !== 0xff) return false
    if (marker >= 0xc0 && marker <= 0xc2) return bytes[at + 4] === 8 && bytes[at + 9] === 1
    if (marker === 0xda) return false
    at += 2 + (((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0))
  }
  return false
}

function rawGrey(display: Uint8Array, image: DecodedImage, limits: ImageLimits): sharp.Sharp {
  return sharp(display, {
    raw: { width: image.width, height: image.height, channels: 1 },
    limitInputPixels: limits.maxPixels,
  })
}

/** A JPEG thumbnail of at most `size` pixels on the long side, with the default display. */
export async function renderThumbnail(
  file: string,
  bytes: Uint8Array,
  limits: ImageLimits,
  settings: RenderSettings = DEFAULT_RENDER_SETTINGS,
): Promise<Buffer> {
  const size = settings.thumbnailSize
  const resize = { width: size, height: size, fit: 'inside', withoutEnlargement: true } as const
  const jpeg = { quality: settings.thumbnailQuality }
  if (isPlainGrey8(bytes)) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    if (sniffFormat(bytes) === 'png')
      checkPixels(file, view.getUint32(16), view.getUint32(20), limits)
    try {
      return await sharp(bytes, sharpInput(limits))
        .resize(resize)
        .toColourspace('b-w')
        .jpeg(jpeg)
        .toBuffer()
    } catch (error) {
      throw fromSharpError(file, error, 'the image', bytes)
    }
  }
  const image = await decodeBytes(file, bytes, limits)
  const out = rawGrey(toDisplay(image), image, limits).resize(resize).toColourspace('b-w')
  return out
    .jpeg(jpeg)
    .toBuffer()
    .catch((error: unknown) => {
      throw fromSharpError(file, error, 'the thumbnail')
    })
}

/** A full-resolution 8-bit rendition with the given window, preset and inversion. */
export async function renderView(
  file: string,
  bytes: Uint8Array,
  display: DisplayOptions,
  limits: ImageLimits,
  settings: RenderSettings = DEFAULT_RENDER_SETTINGS,
): Promise<Buffer> {
  const image = await decodeBytes(file, bytes, limits)
  const out = rawGrey(toDisplay(image, display), image, limits).toColourspace('b-w')
  const encoded =
    settings.viewFormat === 'png'
      ? out.png({ compressionLevel: 3, adaptiveFiltering: false })
      : out.jpeg({ quality: settings.viewQuality, chromaSubsampling: '4:4:4' })
  return encoded.toBuffer().catch((error: unknown) => {
    throw fromSharpError(file, error, 'the view')
  })
}
