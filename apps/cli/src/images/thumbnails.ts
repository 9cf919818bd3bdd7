import { buildThumbnails, type ThumbnailsReport } from '@cxr-audit/ingest'
import { findDataset } from '@cxr-audit/store'
import { defaultCacheDir, type Context } from '../context.ts'
import { UsageError } from '../errors.ts'
import { queueThumbnails, type QueuedThumbnails } from './thumbnails-queue.ts'

export interface ThumbnailsOptions {
  dataset?: string
  jobs?: string
  views?: boolean
  cache?: string
  queue?: boolean
  batch?: string
  timeout?: string
}

/** `cxr-audit thumbnails`: renditions with all cores, and pixel facts for `check` [K6]. */
export async function thumbnailsCommand(
  ctx: Context,
  o: ThumbnailsOptions,
): Promise<ThumbnailsReport | QueuedThumbnails> {
  if (o.queue === true) return queueThumbnails(ctx, o)
  if (o.batch !== undefined || o.timeout !== undefined)
    throw new UsageError('--batch and --timeout go with --queue')
  const jobs = o.jobs === undefined ? undefined : Number(o.jobs)
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1)) {
    throw new UsageError(`--jobs must be a whole number >= 1, not "${o.jobs}"`)
  }
  const store = await ctx.store()
  const dataset = await findDataset(store.db, o.dataset)
  const report = await buildThumbnails(store, dataset, {
    cacheDir: o.cache ?? process.env['CXR_AUDIT_CACHE'] ?? defaultCacheDir(ctx.dbUrl),
    jobs,
    views: o.views,
    onProgress: (stage, done, total) => ctx.progress.update(stage, done, total),
  })
  ctx.progress.done()
  ctx.say(
    [
      `${report.images} images on disk: ${report.made} thumbnails made, ${report.cached} already cached, ${report.unreadable.length} unreadable (${report.seconds} s).`,
      `Pixel facts: ${report.facts.computed} computed, ${report.facts.unchanged} unchanged. Cache: ${report.cacheDir}`,
      ...report.unreadable.slice(0, 20).map((u) => `  unreadable: ${u.image}: ${u.reason}`),
      ...(report.unavailable.length > 0
        ? [
            `${report.unavailable.length} images could not be fetched (the server did not answer): run the command again to resume.`,
            ...report.unavailable.slice(0, 5).map((u) => `  ${u.image}: ${u.reason}`),
          ]
        : []),
      'Next: cxr-audit check (now with duplicate and inverted-image candidates)',
    ].join('\n'),
  )
  return report
}
