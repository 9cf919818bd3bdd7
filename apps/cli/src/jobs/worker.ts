import { hostname } from 'node:os'
import { buildThumbnails } from '@cxr-audit/ingest'
import { findDataset, imagesOnDisk, storeKindOf, type Store } from '@cxr-audit/store'
import type { EmbeddingBatch, ThumbnailBatch, ThumbnailBatchOutput } from '@cxr-audit/jobs'
import type { Context } from '../context.ts'
import { UsageError } from '../errors.ts'
import { embeddingBatchRunner } from './embed-batch.ts'

/** `cxr-audit worker --json`: what this worker did before it stopped. */
export interface WorkerReport {
  readonly worker: string
  readonly batches: number
  readonly images: number
  readonly made: number
  /** Embedding vectors computed (embed --queue batches). */
  readonly embedded: number
  readonly alreadyFinished: number
}

export interface WorkerOptions {
  concurrency?: string
  jobs?: string
  cache?: string
  exitWhenDone?: boolean
  queues?: string
  model?: string
  device?: 'cpu' | 'cuda'
}

/**
 * Images per step within a batch: each step's pixel facts are committed before the next, so a
 * worker killed mid-batch loses at most this many images' work; whoever takes the batch again
 * skips every image already finished [T6][T7].
 */
const STEP = 4

const positive = (text: string | undefined, name: string): number | undefined => {
  if (text === undefined) return undefined
  const n = Number(text)
  if (!/^\d+$/.test(text) || n < 1 || n > 256)
    throw new UsageError(`${name} must be a whole number from 1 to 256, not "${text}"`)
  return n
}

/** `cxr-audit worker`: takes queued batches until SIGINT/SIGTERM (or, told so, until done). */
export async function workerCommand(ctx: Context, o: WorkerOptions): Promise<WorkerReport> {
  if (storeKindOf(ctx.dbUrl) !== 'postgres')
    throw new UsageError(
      'a worker takes batches from a PostgreSQL database: give --db postgres://... (the one given to thumbnails --queue or embed --queue)',
    )
  const concurrency = positive(o.concurrency, '--concurrency') ?? 1
  const jobs = positive(o.jobs, '--jobs')
  const { openJobQueue, THUMBNAILS_QUEUE, EMBEDDINGS_QUEUE } = await import('@cxr-audit/jobs')
  const known = [THUMBNAILS_QUEUE, EMBEDDINGS_QUEUE]
  const queues = o.queues === undefined ? known : o.queues.split(',').map((q) => q.trim())
  for (const q of queues)
    if (!known.includes(q))
      throw new UsageError(`--queues: no queue "${q}" (the queues: ${known.join(', ')})`)
  const store = await ctx.store()
  const name = `${hostname()}:${process.pid}`
  const log = (line: string): void => void process.stderr.write(`worker ${name}: ${line}\n`)
  const queue = await openJobQueue(ctx.dbUrl, {
    onError: (e) => log(`queue error (retrying): ${e.message}`),
  })
  const totals = { batches: 0, images: 0, made: 0, embedded: 0, alreadyFinished: 0 }
  const progressOf =
    (batch: { id: string; retryCount: number }, b: ThumbnailBatch | EmbeddingBatch) =>
    (done: number) =>
      log(
        `batch ${batch.id.slice(0, 8)} (${b.dataset}, attempt ${batch.retryCount + 1}): ${done} of ${b.imageIds.length} images`,
      )
  const embedder = embeddingBatchRunner(store, {
    model: o.model,
    device: o.device,
    cache: o.cache,
    jobs,
  })
  if (queues.includes(EMBEDDINGS_QUEUE))
    await queue.work<EmbeddingBatch>(
      EMBEDDINGS_QUEUE,
      async (batch) => {
        const out = await embedder.run(batch.data, progressOf(batch, batch.data))
        totals.batches++
        totals.images += out.images
        totals.embedded += out.computed
        totals.alreadyFinished += out.alreadyFinished
        log(
          `batch ${batch.id.slice(0, 8)} done: ${out.computed} vectors computed, ${out.alreadyFinished} images already embedded, ${out.unreadable} unreadable`,
        )
        return out
      },
      { concurrency },
    )
  if (queues.includes(THUMBNAILS_QUEUE))
    await queue.work<ThumbnailBatch>(
      THUMBNAILS_QUEUE,
      async (batch) => {
        const out = await runThumbnailBatch(store, batch.data, {
          cacheDir: o.cache ?? batch.data.cacheDir,
          jobs,
          log: progressOf(batch, batch.data),
        })
        totals.batches++
        totals.images += out.images
        totals.made += out.made
        totals.alreadyFinished += out.alreadyFinished
        log(
          `batch ${batch.id.slice(0, 8)} done: ${out.made} thumbnails made, ${out.alreadyFinished} images already finished, ${out.unreadable} unreadable`,
        )
        return out
      },
      { concurrency },
    )
  log(`taking batches from ${queues.join(', ')} (${concurrency} at once per queue)`)
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      clearInterval(idle)
      resolve()
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
    const idle = setInterval(() => {
      if (o.exitWhenDone !== true) return
      void queue.progress().then((qs) => {
        const left = qs
          .filter((p) => queues.includes(p.queue))
          .reduce((n, p) => n + p.waiting + p.running, 0)
        if (left === 0) stop()
      })
    }, 1000)
  })
  log('stopping: finishing the batches in hand')
  await queue.close()
  await embedder.close()
  ctx.say(
    `Worker ${name}: ${totals.batches} batches, ${totals.images} images, ${totals.made} thumbnails made, ${totals.embedded} vectors computed.`,
  )
  return { worker: name, ...totals }
}

/** One batch, in steps whose results are committed as they finish. */
async function runThumbnailBatch(
  store: Store,
  batch: ThumbnailBatch,
  o: { cacheDir: string; jobs: number | undefined; log: (done: number) => void },
): Promise<ThumbnailBatchOutput> {
  const started = performance.now()
  const dataset = await findDataset(store.db, batch.dataset)
  const current = await imagesOnDisk(store.db, dataset.id, batch.imageIds)
  // finished by a worker before this one (killed mid-batch): never redone
  const todo = current.filter((im) => im.factsAt === null).map((im) => im.id)
  const out = { made: 0, cached: 0, unreadable: 0, factsComputed: 0 }
  for (let at = 0; at < todo.length; at += STEP) {
    const r = await buildThumbnails(store, dataset, {
      cacheDir: o.cacheDir,
      jobs: o.jobs,
      views: batch.views,
      imageIds: todo.slice(at, at + STEP),
    })
    out.made += r.made
    out.cached += r.cached
    out.unreadable += r.unreadable.length
    out.factsComputed += r.facts.computed
    o.log(current.length - todo.length + Math.min(at + STEP, todo.length))
  }
  return {
    images: current.length,
    alreadyFinished: current.length - todo.length,
    ...out,
    seconds: Math.round(performance.now() - started) / 1000,
  }
}
