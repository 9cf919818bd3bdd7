import { ImageError } from './errors.ts'

/** Resource limits applied to every image that is opened. */
export interface ImageLimits {
  /** Largest width x height accepted (checked from the header, before decoding). */
  readonly maxPixels: number
  /** Largest file accepted, in bytes (checked with `stat`, before reading). */
  readonly maxFileBytes: number
  /** Longest a single decode or render may take, in milliseconds. */
  readonly timeoutMs: number
}

export const DEFAULT_LIMITS: ImageLimits = Object.freeze({
  maxPixels: 100_000_000,
  maxFileBytes: 512 * 1024 * 1024,
  timeoutMs: 20_000,
})

/** Fills the missing fields of `partial` from {@link DEFAULT_LIMITS} and validates them. */
export function resolveLimits(partial: Partial<ImageLimits> = {}): ImageLimits {
  const limits = { ...DEFAULT_LIMITS, ...partial }
  for (const [key, value] of Object.entries(limits)) {
    if (!Number.isFinite(value) || value <= 0) {
      throw new RangeError(`image limit ${key} must be a positive number, got ${String(value)}`)
    }
  }
  return Object.freeze(limits)
}

/** Throws ImageError 'too-large' when width x height exceeds `limits.maxPixels`. */
export function checkPixels(
  file: string,
  width: number,
  height: number,
  limits: ImageLimits,
): void {
  if (!(width > 0 && height > 0)) {
    throw new ImageError('corrupt', file, `image claims ${width} x ${height} pixels`)
  }
  if (width * height > limits.maxPixels) {
    throw new ImageError(
      'too-large',
      file,
      `${width} x ${height} = ${width * height} pixels exceeds the limit of ${limits.maxPixels}`,
    )
  }
}

/**
 * Races `work` against `limits.timeoutMs`. The work itself is not cancelled (libvips and the
 * WebAssembly codecs cannot be interrupted), but the caller gets ImageError 'timeout' in time.
 */
export async function withTimeout<T>(
  file: string,
  limits: ImageLimits,
  work: Promise<T>,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new ImageError('timeout', file, `decoding took longer than ${limits.timeoutMs} ms`)),
      limits.timeoutMs,
    )
  })
  try {
    return await Promise.race([work, timeout])
  } finally {
    clearTimeout(timer)
  }
}
