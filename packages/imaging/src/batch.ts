import { availableParallelism } from 'node:os'
import sharp from 'sharp'
import { isImageError } from './errors.ts'
import type { ReadImage } from './read-image.ts'
import type { PixelUse, RenditionCache } from './render/rendition-cache.ts'

export interface BatchProgress {
  readonly done: number
  readonly total: number
  readonly image: string
  readonly made: number
  readonly cached: number
  readonly unreadable: number
  /** Why this image is unreadable; undefined when its renditions and `pixels` work were done. */
  readonly reason?: string | undefined
}

export interface BatchOptions {
  readonly cache: RenditionCache
  /** Images in flight at once. Default: twice the number of cores and four more (see
   * BATCH_EXTRA_JOBS), or the source's own `concurrency` when it asks for more (a DICOMweb
   * server's latency to overlap). */
  readonly jobs?: number
  /** libvips threads per image during the batch (restored afterwards). Default 1: for many
   * small images, one image per thread is faster than several threads per image. */
  readonly threadsPerImage?: number
  /** Also make the default view rendition of each image. Default false. */
  readonly views?: boolean
  /**
   * Other work on the decoded pixels (pixel facts, model inputs), per image: decided by
   * `wants(path, contentHash)`, done by `use(path, image)` from the same decode as the
   * renditions. Its failures are reported like the renditions' (unreadable, or thrown for a
   * system error).
   */
  readonly pixels?: {
    wants(image: string, contentHash: string): boolean
    use(image: string, read: ReadImage): Promise<void>
  }
  readonly onProgress?: (progress: BatchProgress) => void
}

/** What a batch did; the shape of `cxr-audit thumbnails --json`. */
export interface BatchReport {
  readonly images: number
  readonly made: number
  readonly cached: number
  readonly unreadable: { readonly image: string; readonly reason: string }[]
}

/**
 * Images in flight beyond two per core (decision 056). Between its decodes an image waits for
 * file reads and writes and for its turn on the one main thread (pixel facts, model input); four
 * more images in flight keep both cores decoding meanwhile (216 films on 2 cores: 3% less wall
 * time than two per core). The waits do not grow with the cores, so neither does the margin.
 */
export const BATCH_EXTRA_JOBS = 4

/** A system error (disk full, permission denied on the cache): the batch itself cannot go on. */
function isSystemError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && /^E[A-Z]+$/.test(code)
}

/**
 * Makes the thumbnails (and optionally default views) of `paths`, `jobs` at a time on libuv's
 * pool, each image read and decoded once for all its renditions and `pixels` work. An
 * unreadable image is reported, never thrown; a failure of the cache itself (a system error) is
 * thrown. `made` counts images for which some rendition was made, `cached` those whose
 * renditions all existed.
 */
export async function buildRenditions(
  paths: readonly string[],
  options: BatchOptions,
): Promise<BatchReport> {
  const { cache } = options
  const jobs = Math.max(
    1,
    options.jobs ??
      Math.max(availableParallelism() * 2 + BATCH_EXTRA_JOBS, cache.source.concurrency ?? 0),
  )
  const previousThreads = sharp.concurrency()
  sharp.concurrency(Math.max(1, options.threadsPerImage ?? 1))
  // libvips' operation cache keeps recent images for reuse; a batch never asks twice for one
  // film, so it only holds memory that the next films then take fresh (decision 054)
  const previousCache = sharp.cache()
  sharp.cache(false)
  let made = 0
  let cached = 0
  let done = 0
  let next = 0
  const unreadable: { image: string; reason: string }[] = []
  const worker = async (): Promise<void> => {
    for (let i = next++; i < paths.length; i = next++) {
      const image = paths[i] ?? ''
      let reason: string | undefined
      try {
        const px = options.pixels
        const pixels: PixelUse | undefined = px && {
          wants: (hash) => px.wants(image, hash),
          use: (read) => px.use(image, read),
        }
        const prepared = await cache.prepare(image, {
          ...(options.views === true ? { views: true } : {}),
          ...(pixels ? { pixels } : {}),
        })
        if (prepared.renditions.every((r) => r.cached)) cached++
        else made++
      } catch (error) {
        if (isSystemError(error) && !isImageError(error)) throw error
        reason = isImageError(error)
          ? error.reason
          : `corrupt: ${error instanceof Error ? error.message : String(error)}`
        unreadable.push({ image, reason })
      }
      done++
      options.onProgress?.({
        done,
        total: paths.length,
        image,
        made,
        cached,
        unreadable: unreadable.length,
        reason,
      })
    }
  }
  try {
    await Promise.all(Array.from({ length: Math.min(jobs, paths.length) }, worker))
  } finally {
    sharp.concurrency(previousThreads)
    sharp.cache({
      memory: previousCache.memory.max,
      files: previousCache.files.max,
      items: previousCache.items.max,
    })
  }
  return { images: paths.length, made, cached, unreadable }
}
