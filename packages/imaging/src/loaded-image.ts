import { createHash, webcrypto } from 'node:crypto'
import { decodeBytes, type OpenOptions } from './decode/decode-image.ts'
import type { DecodedImage } from './decode/types.ts'
import { readImageFile } from './files.ts'
import { resolveLimits, type ImageLimits } from './limits.ts'
import { toDisplay } from './pixels/display.ts'
import type { GreyImage } from './pixels/types.ts'
import { makePreview } from './render/render.ts'
import type { ImageSource } from './sources/image-source.ts'

/**
 * One image read and decoded once: the source of all its renditions, its pixel facts and model
 * inputs, so that nothing decodes the file a second time.
 */
export interface LoadedImage {
  /** The real path that was read. */
  readonly file: string
  /** sha-256 of the file's bytes (hex): the bytes that were decoded. */
  readonly contentHash: string
  /** Modality pixels and header: for views with another window, preset or inversion. */
  readonly image: DecodedImage
  /**
   * The default display at full resolution (default window, MONOCHROME1 inverted): what the
   * reader sees first. Read-only: for an 8-bit PNG or JPEG it shares memory with `image.pixels`.
   */
  readonly display: GreyImage
  /**
   * The display reduced to at most PREVIEW_SIZE (256) pixels on its long side, made once: the
   * default thumbnail is this raster encoded, and the pixel facts come from it. Small model
   * inputs (224 x 224) can be taken from it cheaply; larger ones from `display`.
   */
  preview(): Promise<GreyImage>
}

export const sha256 = (bytes: Uint8Array): string =>
  createHash('sha256').update(bytes).digest('hex')

/**
 * The same hash computed on libuv's pool (WebCrypto's digest), off the main thread: a batch's
 * main thread is its narrowest stage when the cores are shared.
 */
export const sha256OffThread = async (bytes: Uint8Array): Promise<string> =>
  Buffer.from(await webcrypto.subtle.digest('SHA-256', bytes)).toString('hex')

/** Decodes bytes already read and hashed, and makes their default display. */
export async function loadBytes(
  file: string,
  bytes: Uint8Array,
  contentHash: string,
  limits: ImageLimits,
): Promise<LoadedImage> {
  const image = await decodeBytes(file, bytes, limits)
  const display = { width: image.width, height: image.height, pixels: toDisplay(image) }
  let preview: Promise<GreyImage> | undefined
  return {
    file: image.file,
    contentHash,
    image,
    display,
    preview: () => (preview ??= makePreview(image.file, display)),
  }
}

/**
 * Opens `path` inside `options.roots` (see ImageRoots.resolve), checks the limits, hashes and
 * decodes it once, and makes its default display. Throws ImageError for any unreadable file.
 *
 * For a model input, resize the display: `resizeSquare(loaded.display, 224, { as: 'float32' })`.
 */
export async function loadImage(
  path: string,
  options: OpenOptions | SourceOptions,
): Promise<LoadedImage> {
  const limits = resolveLimits(options.limits)
  if ('source' in options) {
    const read = await options.source.read(await options.source.locate(path), limits)
    const [loaded] = await Promise.all([
      loadBytes(read.location, read.bytes, read.hash, limits),
      read.remembered,
    ])
    return loaded
  }
  const read = await readImageFile(path, options.roots, limits)
  return loadBytes(read.file, read.bytes, sha256(read.bytes), limits)
}

/** Reading from an image source other than folders (a DICOMweb server) [I23]. */
export interface SourceOptions {
  readonly source: ImageSource
  readonly limits?: Partial<ImageLimits>
}
