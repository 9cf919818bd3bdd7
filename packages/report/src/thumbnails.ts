import { imageSourceFor } from '@cxr-audit/dicomweb'
import { thumbnailOf, type ImageSource } from '@cxr-audit/imaging'

/**
 * Thumbnail edge in pixels: printed 48 mm wide that is about 135 dpi, enough to see a drain,
 * while a report with many cases stays some megabytes [R1].
 */
export const THUMBNAIL_SIZE = 256

// One source per set of roots: a DICOMweb server's client keeps its connections and its
// circuit breaker across the films of a report.
const sources = new Map<string, ImageSource>()

/**
 * A small JPEG of an image as a data URI [L19], made like the workbench's thumbnails (DICOM,
 * MONOCHROME1 inverted, the file's window) from the dataset's image source only: files inside
 * its image `roots`, or instances of its DICOMweb server (credentials from the environment).
 * Null when the image is outside them, cannot be read or decoded (the case is then listed by
 * name).
 */
export async function thumbnailDataUri(
  path: string,
  roots: readonly string[],
  size = THUMBNAIL_SIZE,
): Promise<string | null> {
  try {
    const key = roots.join('\n')
    const source = sources.get(key) ?? imageSourceFor(roots)
    sources.set(key, source)
    const buffer = await thumbnailOf(path, { source, size, quality: 70 })
    return `data:image/jpeg;base64,${buffer.toString('base64')}`
  } catch {
    // outside the roots or unreadable (an ImageError), or a decoder failing on a hostile file:
    // the case is still listed, without its picture
    return null
  }
}
