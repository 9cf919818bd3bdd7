import { ImageError, isImageError } from '../errors.ts'
import { pngIsTruncated, sniffFormat } from './sniff.ts'

/**
 * Maps a libvips/sharp failure to a typed ImageError. libspng reports every PNG failure as
 * "read error", so for PNG `bytes` the chunk structure is walked to tell truncation apart.
 */
export function fromSharpError(
  file: string,
  error: unknown,
  what = 'the image',
  bytes?: Uint8Array,
): ImageError {
  if (isImageError(error)) return error
  if (bytes && sniffFormat(bytes) === 'png' && pngIsTruncated(bytes)) {
    return new ImageError('truncated', file, `${what} ends before its IEND chunk`, { cause: error })
  }
  const message = error instanceof Error ? error.message : String(error)
  const first = message.split('\n')[0] ?? message
  if (/pixel limit/i.test(message))
    return new ImageError('too-large', file, `${what}: ${first}`, { cause: error })
  if (/unsupported image format/i.test(message)) {
    return new ImageError('not-an-image', file, `not a PNG, JPEG or DICOM file`, { cause: error })
  }
  if (
    /premature|truncat|end of (file|data|stream)|unexpected end|short read|EOF|not enough data/i.test(
      message,
    )
  ) {
    return new ImageError('truncated', file, `${what} ends early: ${first}`, { cause: error })
  }
  return new ImageError('corrupt', file, `${what} cannot be decoded: ${first}`, { cause: error })
}
