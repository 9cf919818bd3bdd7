import { imageSourceFor } from '@cxr-audit/dicomweb'
import { RenditionCache } from '@cxr-audit/imaging'
import { embedDataset, loadEmbeddingModel, ModelError, type EmbedReport } from '@cxr-audit/ml'
import { findDataset } from '@cxr-audit/store'
import { defaultCacheDir, type Context } from '../context.ts'
import { UsageError } from '../errors.ts'
import type { QueuedEmbeddings } from './embed-queue.ts'

export interface EmbedOptions {
  model?: string
  dataset?: string
  jobs?: string
  device?: 'cpu' | 'cuda'
  batchSize?: string
  cache?: string
  queue?: boolean
  batch?: string
  timeout?: string
}

function wholeNumber(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`${option} must be a whole number >= 1, not "${value}"`)
  return n
}

/** `cxr-audit embed`: one vector per image on disk, resumable [ML5]-[ML6]. */
export async function embedCommand(
  ctx: Context,
  o: EmbedOptions,
): Promise<EmbedReport | QueuedEmbeddings> {
  if (o.queue === true) return (await import('./embed-queue.ts')).queueEmbeddings(ctx, o)
  if (o.batch !== undefined || o.timeout !== undefined)
    throw new UsageError('--batch and --timeout go with --queue')
  const jobs = wholeNumber('--jobs', o.jobs)
  const batchSize = wholeNumber('--batch-size', o.batchSize)
  const store = await ctx.store()
  const dataset = await findDataset(store.db, o.dataset)
  let model
  try {
    model = await loadEmbeddingModel(o.model, { device: o.device ?? 'cpu' })
  } catch (e) {
    if (e instanceof ModelError) throw new UsageError(e.message)
    throw e
  }
  // the cache `thumbnails` fills: model inputs found there are read, not decoded [ML10]
  const cacheDir = o.cache ?? process.env['CXR_AUDIT_CACHE'] ?? defaultCacheDir(ctx.dbUrl)
  const cache = new RenditionCache({
    dir: cacheDir,
    source: imageSourceFor(dataset.imageRoots, { cacheDir }),
  })
  try {
    const report = await embedDataset(store, dataset, model, {
      cache,
      jobs,
      batchSize,
      onProgress: (done, total) => ctx.progress.update('embeddings', done, total),
    })
    ctx.progress.done()
    ctx.say(
      [
        `${report.images} images on disk: ${report.computed} vectors computed, ${report.cached} already stored, ${report.unreadable.length} unreadable (${report.seconds} s).`,
        `${report.decoded} films decoded; the other inputs came from the rendition cache (${cacheDir}).`,
        `Model ${report.model} (${report.dimensions} dimensions, SHA-256 ${report.modelSha256.slice(0, 12)}...) on ${report.device}.`,
        ...report.unreadable.slice(0, 20).map((u) => `  unreadable: ${u.image}: ${u.reason}`),
        'Next: cxr-audit check (now with near-duplicates by embedding)',
      ].join('\n'),
    )
    return report
  } finally {
    await model.close()
  }
}
