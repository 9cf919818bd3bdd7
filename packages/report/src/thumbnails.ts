import { thumbnailOf } from '@cxr-audit/imaging'

/**
 * Thumbnail edge in pixels: printed 48 mm wide that is about 135 dpi, enough to see a drain,
 * while a report with many cases stays some megabytes [R1].
 */
export const THUMBNAIL_SIZE = 256

/**
 * A small JPEG of an image as a data URI [L19], made like the workbench's thumbnails (DICOM,
 * MONOCHROME1 inverted, the file's window) from a file inside the dataset's image `roots` only;
 * null when the file is outside them, cannot be read or decoded (the case is then listed by
 * name).
 */
export async function thumbnailDataUri(
  path: string,
  roots: readonly string[],
  size = THUMBNAIL_SIZE,
): Promise<string | null> {
  try {
    const buffer = await thumbnailOf(path, { roots, size, quality: 70 })
    return `data:image/jpeg;base64,${buffer.toString('base64')}`
  } catch {
    // outside the roots or unreadable (an ImageError), or a decoder failing on a hostile file:
    // the case is still listed, without its picture
    return null
  }
}
