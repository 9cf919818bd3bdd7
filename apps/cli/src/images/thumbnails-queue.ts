import { findDataset, imagesOnDisk, storeKindOf } from '@cxr-audit/store'
import { defaultCacheDir, type Context } from '../context.ts'
import { UsageError } from '../errors.ts'

/** `cxr-audit thumbnails --queue --json` [T4]. */
export interface QueuedThumbnails {
  readonly dataset: string
  readonly queue: string
  /** Images on disk, and those already finished (left out of the batches). */
  readonly images: number
  readonly alreadyFinished: number
  /** Images in the batches queued now. */
  readonly queuedImages: number
  readonly batchSize: number
  /** Batches added, and batches left out because the same batch is already waiting or running. */
  readonly batches: number
  readonly alreadyQueued: number
  readonly cacheDir: string
}

const wholeNumber = (text: string | undefined, name: string, fallback: number): number => {
  if (text === undefined) return fallback
  const n = Number(text)
  if (!/^\d+$/.test(text) || n < 1 || n > 100_000)
    throw new UsageError(`${name} must be a whole number from 1 to 100000, not "${text}"`)
  return n
}

/**
 * Queues the images still to do in batches for `cxr-audit worker` processes on any machine that
 * sees the image root; a finished image is not queued again [T4][T7].
 */
export async function queueThumbnails(
  ctx: Context,
  o: { dataset?: string; views?: boolean; cache?: string; batch?: string; timeout?: string },
): Promise<QueuedThumbnails> {
  if (storeKindOf(ctx.dbUrl) !== 'postgres')
    throw new UsageError(
      '--queue needs a PostgreSQL database (--db postgres://...): the workers take the batches from it. On SQLite run cxr-audit thumbnails without --queue.',
    )
  const size = wholeNumber(o.batch, '--batch', 200)
  const timeoutSeconds = wholeNumber(o.timeout, '--timeout', 900)
  const store = await ctx.store()
  const dataset = await findDataset(store.db, o.dataset)
  const images = await imagesOnDisk(store.db, dataset.id)
  const { openJobQueue, thumbnailBatches, THUMBNAILS_QUEUE } = await import('@cxr-audit/jobs')
  const cacheDir = o.cache ?? process.env['CXR_AUDIT_CACHE'] ?? defaultCacheDir(ctx.dbUrl)
  const batches = thumbnailBatches(images, {
    dataset: dataset.name,
    size,
    views: o.views === true,
    cacheDir,
  })
  const queue = await openJobQueue(ctx.dbUrl, { supervise: false })
  try {
    const r = await queue.enqueue(THUMBNAILS_QUEUE, batches, { timeoutSeconds })
    const queuedImages = batches.reduce((a, b) => a + b.imageIds.length, 0)
    const report: QueuedThumbnails = {
      dataset: dataset.name,
      queue: THUMBNAILS_QUEUE,
      images: images.length,
      alreadyFinished: images.length - queuedImages,
      queuedImages,
      batchSize: size,
      batches: r.queued,
      alreadyQueued: r.alreadyQueued,
      cacheDir,
    }
    ctx.say(
      [
        `Queued ${r.queued} batches of up to ${size} images (${queuedImages} images; ${report.alreadyFinished} already finished${r.alreadyQueued > 0 ? `; ${r.alreadyQueued} batches were already queued` : ''}).`,
        'Start workers with: cxr-audit worker --db <this database URL>   (any number, on any machine that sees the images)',
        'Progress: cxr-audit jobs',
      ].join('\n'),
    )
    return report
  } finally {
    await queue.close()
  }
}
