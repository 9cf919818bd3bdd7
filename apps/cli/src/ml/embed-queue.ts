import { resolve } from 'node:path'
import { loadEmbeddingModel, ModelError } from '@cxr-audit/ml'
import { embeddingTargets, findDataset, saveEmbeddingModel, storeKindOf } from '@cxr-audit/store'
import { defaultCacheDir, type Context } from '../context.ts'
import { UsageError } from '../errors.ts'
import type { EmbedOptions } from './embed.ts'

/** `cxr-audit embed --queue --json` [T4]. */
export interface QueuedEmbeddings {
  readonly dataset: string
  readonly queue: string
  readonly model: string
  readonly modelSha256: string
  /** Images on disk, and those whose vector is already stored (left out of the batches). */
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

export interface EmbedQueueOptions extends EmbedOptions {
  batch?: string
  timeout?: string
}

const wholeNumber = (text: string | undefined, name: string, max: number): number | undefined => {
  if (text === undefined) return undefined
  const n = Number(text)
  if (!/^\d+$/.test(text) || n < 1 || n > max)
    throw new UsageError(`${name} must be a whole number from 1 to ${max}, not "${text}"`)
  return n
}

/**
 * Queues the images without a vector of the model in batches for `cxr-audit worker` processes
 * on any machine that sees the image root and has the model; embedded images are not queued
 * again [T4][T7].
 */
export async function queueEmbeddings(
  ctx: Context,
  o: EmbedQueueOptions,
): Promise<QueuedEmbeddings> {
  if (storeKindOf(ctx.dbUrl) !== 'postgres')
    throw new UsageError(
      '--queue needs a PostgreSQL database (--db postgres://...): the workers take the batches from it. On SQLite run cxr-audit embed without --queue.',
    )
  // a batch holds image ids in one SQL list: 10,000 stays under every driver's parameter limit
  const size = wholeNumber(o.batch, '--batch', 10_000) ?? 200
  const timeoutSeconds = wholeNumber(o.timeout, '--timeout', 100_000) ?? 900
  const jobs = wholeNumber(o.jobs, '--jobs', 256) ?? null
  const batchSize = wholeNumber(o.batchSize, '--batch-size', 4096) ?? 8
  const store = await ctx.store()
  const dataset = await findDataset(store.db, o.dataset)
  // loaded here (on the CPU) to check the files and name the vectors before any worker starts
  let model
  try {
    model = await loadEmbeddingModel(o.model, { device: 'cpu' })
  } catch (e) {
    if (e instanceof ModelError) throw new UsageError(e.message)
    throw e
  }
  const { name, sha256, configHash, manifest, dimensions } = model
  await model.close()
  const row = await saveEmbeddingModel(store.db, {
    name,
    sha256,
    configHash,
    manifest: JSON.stringify(manifest),
    dimensions,
  })
  const targets = await embeddingTargets(store.db, dataset.id, row.id)
  const { openJobQueue, embeddingBatches, EMBEDDINGS_QUEUE } = await import('@cxr-audit/jobs')
  const cacheDir = o.cache ?? process.env['CXR_AUDIT_CACHE'] ?? defaultCacheDir(ctx.dbUrl)
  const batches = embeddingBatches(targets, {
    dataset: dataset.name,
    size,
    model: o.model === undefined ? null : resolve(o.model),
    modelSha256: sha256,
    device: o.device ?? 'cpu',
    jobs,
    batchSize,
    cacheDir,
  })
  const queue = await openJobQueue(ctx.dbUrl, { supervise: false })
  try {
    const r = await queue.enqueue(EMBEDDINGS_QUEUE, batches, { timeoutSeconds })
    const queuedImages = batches.reduce((a, b) => a + b.imageIds.length, 0)
    const report: QueuedEmbeddings = {
      dataset: dataset.name,
      queue: EMBEDDINGS_QUEUE,
      model: name,
      modelSha256: sha256,
      images: targets.length,
      alreadyFinished: targets.length - queuedImages,
      queuedImages,
      batchSize: size,
      batches: r.queued,
      alreadyQueued: r.alreadyQueued,
      cacheDir,
    }
    ctx.say(
      [
        `Queued ${r.queued} batches of up to ${size} images to embed with ${name} (${queuedImages} images; ${report.alreadyFinished} already embedded${r.alreadyQueued > 0 ? `; ${r.alreadyQueued} batches were already queued` : ''}).`,
        'Start workers with: cxr-audit worker --db <this database URL>   (any number, on any machine that sees the images)',
        'Progress: cxr-audit jobs',
      ].join('\n'),
    )
    return report
  } finally {
    await queue.close()
  }
}
