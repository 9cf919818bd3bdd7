import { availableParallelism } from 'node:os'
import {
  buildRenditions,
  imageFacts,
  isImageError,
  looksInverted,
  RenditionCache,
  type BatchReport,
} from '@cxr-audit/imaging'
import { findDataset, imagesOnDisk, markUnreadable, saveFacts } from '@cxr-audit/store'
import { defaultCacheDir } from '@cxr-audit/server'
import type { Context } from '../context.ts'
import { UsageError } from '../errors.ts'

export interface ThumbnailsOptions {
  dataset?: string
  jobs?: string
  views?: boolean
  cache?: string
}

/** `cxr-audit thumbnails --json`: the renditions made, and the pixel facts stored for `check`. */
export interface ThumbnailsReport extends BatchReport {
  readonly dataset: string
  readonly cacheDir: string
  readonly facts: { computed: number; unchanged: number }
  readonly seconds: number
}

/**
 * Pre-builds the thumbnail cache of every image on disk (all cores), and stores each image's
 * pixel facts (size, bit depth, intensity, perceptual hash, inverted-looking) for `check`.
 * Unreadable images are listed and marked, never fatal.
 */
export async function thumbnailsCommand(
  ctx: Context,
  o: ThumbnailsOptions,
): Promise<ThumbnailsReport> {
  const jobs = o.jobs === undefined ? availableParallelism() * 2 : Number(o.jobs)
  if (!Number.isInteger(jobs) || jobs < 1)
    throw new UsageError(`--jobs must be a whole number >= 1, not "${o.jobs}"`)
  const started = performance.now()
  const store = await ctx.store()
  const dataset = await findDataset(store.db, o.dataset)
  const images = await imagesOnDisk(store.db, dataset.id)
  const cacheDir = o.cache ?? process.env['CXR_AUDIT_CACHE'] ?? defaultCacheDir(ctx.dbUrl)
  const cache = new RenditionCache({ dir: cacheDir, roots: dataset.imageRoots })
  const byPath = new Map(images.map((im) => [im.path, im]))
  const total = images.length * 2
  const batch = await buildRenditions(
    images.map((im) => im.path),
    {
      cache,
      jobs,
      views: o.views === true,
      onProgress: (p) => ctx.progress.update('thumbnails', p.done, total),
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
      ctx.progress.update('image facts', ++done, total)
    }
  }
  await Promise.all(Array.from({ length: Math.min(jobs, images.length) }, worker))
  ctx.progress.done()
  const report: ThumbnailsReport = {
    dataset: dataset.name,
    images: batch.images,
    made: batch.made,
    cached: batch.cached,
    unreadable: [...unreadable].map(([path, reason]) => ({
      image: byPath.get(path)?.name ?? path,
      reason,
    })),
    cacheDir,
    facts: { computed, unchanged },
    seconds: Math.round(performance.now() - started) / 1000,
  }
  ctx.say(
    [
      `${report.images} images on disk: ${report.made} thumbnails made, ${report.cached} already cached, ${report.unreadable.length} unreadable (${report.seconds} s).`,
      `Pixel facts: ${computed} computed, ${unchanged} unchanged. Cache: ${cacheDir}`,
      ...report.unreadable.slice(0, 20).map((u) => `  unreadable: ${u.image}: ${u.reason}`),
      'Next: cxr-audit check (now with duplicate and inverted-image candidates)',
    ].join('\n'),
  )
  return report
}
