import {
  embeddingModelsOf,
  findDataset,
  imageWorkProgress,
  storeKindOf,
  type ImageWorkProgress,
} from '@cxr-audit/store'
import type { QueueProgress } from '@cxr-audit/jobs'
import type { Context } from '../context.ts'

/** Images with a vector of one embedding model. */
export interface EmbeddingProgress {
  readonly model: string
  readonly modelSha256: string
  readonly embedded: number
}

/** `cxr-audit jobs --json` [T8]. */
export interface JobsReport {
  /** Batches per queue; empty on SQLite, which has no queue. */
  readonly queues: QueueProgress[]
  /** The dataset's images on disk and how many are finished (thumbnails and pixel facts). */
  readonly dataset: string
  readonly images: ImageWorkProgress
  /** Images with a vector, per embedding model (`embed`, `embed --queue`), newest model first. */
  readonly embeddings: EmbeddingProgress[]
}

export async function jobsCommand(ctx: Context, o: { dataset?: string }): Promise<JobsReport> {
  const store = await ctx.store()
  const dataset = await findDataset(store.db, o.dataset)
  const images = await imageWorkProgress(store.db, dataset.id)
  const embeddings = (await embeddingModelsOf(store.db, dataset.id)).map((m) => ({
    model: m.name,
    modelSha256: m.sha256,
    embedded: m.images,
  }))
  let queues: QueueProgress[] = []
  if (storeKindOf(ctx.dbUrl) === 'postgres') {
    const { openJobQueue } = await import('@cxr-audit/jobs')
    const queue = await openJobQueue(ctx.dbUrl, { supervise: false })
    try {
      queues = await queue.progress()
    } finally {
      await queue.close()
    }
  }
  const pct = images.images > 0 ? Math.floor((100 * images.finished) / images.images) : 100
  ctx.say(
    [
      `${dataset.name}: ${images.finished} of ${images.images} images finished (${pct}%), ${images.unreadable} unreadable.`,
      ...embeddings.map(
        (e) => `  embeddings ${e.model}: ${e.embedded} of ${images.images} images embedded`,
      ),
      ...(queues.length === 0
        ? ['No queued work.']
        : queues.map(
            (q) =>
              `  ${q.queue}: ${q.waiting} batches waiting, ${q.running} running, ${q.done} done, ${q.failed} failed`,
          )),
    ].join('\n'),
  )
  return { queues, dataset: dataset.name, images, embeddings }
}
