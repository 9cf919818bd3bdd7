import { availableParallelism } from 'node:os'
import {
  buildRenditions,
  imageFacts,
  isImageError,
  looksInverted,
  RenditionCache,
  type BatchReport,
} from '@cxr-audit/imaging'
import {
  imagesOnDisk,
  markUnreadable,
  saveFacts,
  type DatasetRow,
  type Store,
} from '@cxr-audit/store'

export interface ThumbnailsOptions {
  readonly cacheDir: string
  /** Images in flight at once (default: twice the cores). */
  readonly jobs?: number | undefined
  /** Also make the default full-resolution view of each image. */
  readonly views?: boolean | undefined
  readonly onProgress?: ((stage: string, done: number, total: number) => void) | undefined
}

/** `cxr-audit thumbnails --json`: the renditions made, and the pixel facts stored for `check`. */
export interface ThumbnailsReport extends BatchReport {
  readonly dataset: string
  readonly cacheDir: string
  readonly facts: { computed: number; unchanged: number }
  readonly seconds: number
}

/**
 * Pre-builds the thumbnail cache of every image of a dataset on disk (all cores) and stores each
 * image's pixel facts (size, bit depth, intensity, perceptual hash, inverted-looking) for the
 * checks [K6]. Facts are recomputed only for files whose content hash changed. Unreadable images
 * are listed and marked, never fatal.
 */
export async function buildThumbnails(
  store: Store,
  dataset: DatasetRow,
  o: ThumbnailsOptions,
): Promise<ThumbnailsReport> {
  const started = performance.now()
  const jobs = o.jobs ?? availableParallelism() * 2
  const images = await imagesOnDisk(store.db, dataset.id)
  const cache = new RenditionCache({ dir: o.cacheDir, roots: dataset.imageRoots })
  const byPath = new Map(images.map((im) => [im.path, im]))
  const total = images.length * 2
  const batch = await buildRenditions(
    images.map((im) => im.path),
    {
      cache,
      jobs,
      views: o.views === true,
      onProgress: (p) => o.onProgress?.('thumbnails', p.done, total),
    },
  )
  const unreadable = new Map(batch.unreadable.map((u) => [u.image, u.reason]))
  let computed = 0
  let unchanged = 0
  let done = images.length
  let next = 0
  const worker = async (): Promise<void> => {
    for (let i = next++; i < images.length; i = next++) {
      const im = images[i]!
      const reason = unreadable.get(im.path)
      if (reason !== undefined) {
        await markUnreadable(store.db, im.id, reason)
      } else {
        const hash = await cache
          .contentHash(im.path)
          .then((h) => h.hash)
          .catch(() => null)
        if (hash !== null && hash === im.contentHash && im.factsAt !== null) unchanged++
        else {
          try {
            const f = await imageFacts(im.path, { roots: dataset.imageRoots })
            await saveFacts(store.db, im.id, { ...f, looksInverted: looksInverted(f) })
            computed++
          } catch (e) {
            if (!isImageError(e)) throw e
            await markUnreadable(store.db, im.id, e.reason)
            unreadable.set(im.path, e.reason)
          }
        }
      }
      o.onProgress?.('image facts', ++done, total)
    }
  }
  await Promise.all(Array.from({ length: Math.min(jobs, images.length) }, worker))
  return {
    dataset: dataset.name,
    images: batch.images,
    made: batch.made,
    cached: batch.cached,
    unreadable: [...unreadable].map(([path, reason]) => ({
      image: byPath.get(path)?.name ?? path,
      reason,
    })),
    cacheDir: o.cacheDir,
    facts: { computed, unchanged },
    seconds: Math.round(performance.now() - started) / 1000,
  }
}
