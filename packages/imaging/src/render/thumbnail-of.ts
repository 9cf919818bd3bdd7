import type { OpenOptions } from '../decode/decode-image.ts'
import { resolveLimits, withTimeout } from '../limits.ts'
import { loadImage, type SourceOptions } from '../loaded-image.ts'
import { DEFAULT_RENDER_SETTINGS, encodeThumbnail, PREVIEW_SIZE } from './render.ts'

export type ThumbnailOptions = (OpenOptions | SourceOptions) & ThumbnailSize

export interface ThumbnailSize {
  /** Long side in pixels (never enlarged). Default 256. */
  readonly size?: number
  /** JPEG quality, 1-100. Default 85. */
  readonly quality?: number
}

/**
 * The JPEG thumbnail of one file without a cache (e.g. a report's contact sheet): the same root
 * check, limits, decoding, default display (window, MONOCHROME1 inverted) and encoding as
 * {@link RenditionCache.thumbnail}. Throws ImageError for a file outside the roots or unreadable.
 */
export async function thumbnailOf(path: string, options: ThumbnailOptions): Promise<Buffer> {
  const loaded = await loadImage(path, options)
  const size = options.size ?? DEFAULT_RENDER_SETTINGS.thumbnailSize
  const make = async (): Promise<Buffer> =>
    encodeThumbnail(loaded.file, size <= PREVIEW_SIZE ? await loaded.preview() : loaded.display, {
      thumbnailSize: size,
      thumbnailQuality: options.quality ?? DEFAULT_RENDER_SETTINGS.thumbnailQuality,
    })
  return withTimeout(loaded.file, resolveLimits(options.limits), make())
}
