import sharp from 'sharp'

/** Thumbnail edge in pixels: small, so a report with many cases stays a few megabytes. */
export const THUMBNAIL_SIZE = 128

/**
 * A small JPEG of an image as a data URI [L19], or null when the file cannot be read or decoded
 * (the case is then listed by name). 16-bit and RGBA inputs are flattened to 8-bit grey.
 */
export async function thumbnailDataUri(
  path: string,
  size = THUMBNAIL_SIZE,
): Promise<string | null> {
  try {
    const buffer = await sharp(path, { limitInputPixels: 10_000 * 10_000, failOn: 'error' })
      .flatten({ background: '#000000' })
      .resize(size, size, { fit: 'inside' })
      .toColourspace('b-w')
      .jpeg({ quality: 70 })
      .toBuffer()
    return `data:image/jpeg;base64,${buffer.toString('base64')}`
  } catch {
    return null
  }
}
