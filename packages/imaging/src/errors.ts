/**
 * Why an image could not be opened or decoded. Stable strings: the CLI prints them and the
 * database stores them as the image's `unreadable_reason` prefix.
 */
export const IMAGE_ERROR_KINDS = [
  'not-found',
  'outside-root',
  'too-large',
  'empty',
  'truncated',
  'not-an-image',
  'unsupported',
  'timeout',
  'corrupt',
  // the image's server did not answer, or failed (not the image's fault: try again later) [I23]
  'unavailable',
] as const

export type ImageErrorKind = (typeof IMAGE_ERROR_KINDS)[number]

/** A typed failure to read one image; the message names the file and the reason. */
export class ImageError extends Error {
  override readonly name = 'ImageError'
  readonly kind: ImageErrorKind
  readonly file: string
  /** The reason without the file name, e.g. `truncated: PNG ends inside a chunk`. */
  readonly reason: string

  constructor(kind: ImageErrorKind, file: string, detail: string, options?: { cause?: unknown }) {
    const reason = `${kind}: ${detail}`
    super(`${file}: ${reason}`, options)
    this.kind = kind
    this.file = file
    this.reason = reason
  }
}

export function isImageError(value: unknown): value is ImageError {
  return value instanceof ImageError
}
