import type { ImageLimits } from '../limits.ts'

/** The bytes of one image as read from its source, and their sha-256 (hex). */
export interface SourceBytes {
  /** The canonical location that was read (a real path, or a URL). */
  readonly location: string
  readonly bytes: Uint8Array
  readonly hash: string
  /**
   * A note the source is still writing about this read (the hash memo of a file), that never
   * fails: awaited before the image is reported done, not before its pixels are decoded.
   */
  readonly remembered?: Promise<void>
}

/**
 * Where the images of a dataset come from: a set of folders, or a DICOMweb server. The rendition
 * cache asks it to locate, fingerprint and read an image; what counts as "inside" is the
 * source's own rule (image roots for files [I12], the configured URL for DICOMweb [I23]).
 */
export interface ImageSource {
  /** The roots (folders, or the one base URL): for messages and the `roots` of a cache. */
  readonly roots: readonly string[]
  /**
   * The canonical location of an image (its real path, its URL). Refuses with ImageError
   * 'outside-root' anything that would leave the source, before touching it.
   */
  locate(name: string): Promise<string>
  /** The content hash remembered for `location` while its content is known not to have changed. */
  knownHash(location: string): Promise<string | undefined>
  /** Reads the whole image (size limit checked), hashes it and remembers the hash. */
  read(location: string, limits: ImageLimits): Promise<SourceBytes>
  /**
   * Images a batch should keep in flight from this source, when more than the CPU-bound
   * default pays: a remote source waits on the network, so more requests overlap the decodes.
   */
  readonly concurrency?: number
}
