import { ImageError } from '../errors.ts'
import { readImageFile, type ImageRoots } from '../files.ts'
import { resolveLimits, withTimeout, type ImageLimits } from '../limits.ts'
import { decodeDicom } from './dicom.ts'
import { decodeRaster } from './raster.ts'
import { sniffFormat } from './sniff.ts'
import type { DecodedImage } from './types.ts'

/** Where images may be read from and how much they may cost. */
export interface OpenOptions {
  /**
   * Image roots: no file outside them (after resolving symbolic links) is ever opened. Pass an
   * ImageRoots to resolve the roots' real paths once for many calls.
   */
  readonly roots: readonly string[] | ImageRoots
  /** Limits; missing fields take DEFAULT_LIMITS. */
  readonly limits?: Partial<ImageLimits>
}

/**
 * Decodes the bytes of an image file already read (the format comes from the bytes, never the
 * name). `file` is only used in error messages.
 */
export async function decodeBytes(
  file: string,
  bytes: Uint8Array,
  partialLimits: Partial<ImageLimits> = {},
): Promise<DecodedImage> {
  const limits = resolveLimits(partialLimits)
  if (bytes.length === 0) throw new ImageError('empty', file, 'the file is empty (0 bytes)')
  const format = sniffFormat(bytes)
  const work = (): Promise<DecodedImage> => {
    switch (format) {
      case 'png':
      case 'jpeg':
        return decodeRaster(file, bytes, format, limits)
      case 'dicom':
      case 'dicom-no-preamble':
        return decodeDicom(file, bytes, limits, format === 'dicom-no-preamble')
      case 'other-image':
        throw new ImageError('unsupported', file, 'only PNG, JPEG and DICOM images are read')
      case 'unknown':
        throw new ImageError(
          'not-an-image',
          file,
          'not a PNG, JPEG or DICOM file (unknown signature)',
        )
    }
  }
  return withTimeout(file, limits, Promise.resolve().then(work))
}

/**
 * Opens `path` inside `options.roots` (see resolveInsideRoots), checks the limits and decodes
 * it to one grey channel after the Modality LUT. Throws ImageError for any unreadable file.
 */
export async function decodeImage(path: string, options: OpenOptions): Promise<DecodedImage> {
  const limits = resolveLimits(options.limits)
  const read = await readImageFile(path, options.roots, limits)
  return decodeBytes(read.file, read.bytes, limits)
}
