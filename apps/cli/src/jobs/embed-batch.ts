import { imageSourceFor } from '@cxr-audit/dicomweb'
import { RenditionCache } from '@cxr-audit/imaging'
import type { EmbeddingBatch, EmbeddingBatchOutput } from '@cxr-audit/jobs'
import type { EmbeddingModel } from '@cxr-audit/ml'
import { findDataset, type Store } from '@cxr-audit/store'

/** What a worker was told on its own command line; it wins over what the batch names. */
export interface EmbedWorkerOptions {
  readonly model?: string | undefined
  readonly device?: 'cpu' | 'cuda' | undefined
  readonly cache?: string | undefined
  readonly jobs?: number | undefined
}

/**
 * Runs embedding batches in one worker process. A model is loaded once (onnxruntime only when
 * the first embedding batch comes) and kept for the next batches. `embedDataset` commits every
 * `batchSize` images and skips images whose vector is stored, so a batch taken again after a
 * worker was killed redoes at most the images that worker had in hand [T6][T7].
 */
export function embeddingBatchRunner(
  store: Store,
  o: EmbedWorkerOptions,
): {
  run(batch: EmbeddingBatch, log: (done: number) => void): Promise<EmbeddingBatchOutput>
  close(): Promise<void>
} {
  const models = new Map<string, Promise<EmbeddingModel>>()
  const modelFor = async (batch: EmbeddingBatch): Promise<EmbeddingModel> => {
    const file = o.model ?? batch.model ?? undefined
    const device = o.device ?? batch.device
    const key = `${file ?? ''}\0${device}`
    let model = models.get(key)
    if (model === undefined) {
      const { loadEmbeddingModel } = await import('@cxr-audit/ml')
      model = loadEmbeddingModel(file, { device })
      models.set(key, model)
      // a failed load is retried with the next batch (the file may appear), not remembered
      model.catch(() => models.delete(key))
    }
    const loaded = await model
    if (loaded.sha256 !== batch.modelSha256)
      throw new Error(
        `the model here (${loaded.file}, SHA-256 ${loaded.sha256.slice(0, 12)}...) is not the one queued (SHA-256 ${batch.modelSha256.slice(0, 12)}...): give this worker --model with the queued file`,
      )
    return loaded
  }
  return {
    async run(batch, log) {
      const { embedDataset } = await import('@cxr-audit/ml')
      const model = await modelFor(batch)
      const dataset = await findDataset(store.db, batch.dataset)
      const cacheDir = o.cache ?? batch.cacheDir
      const cache = new RenditionCache({
        dir: cacheDir,
        source: imageSourceFor(dataset.imageRoots, { cacheDir }),
      })
      const report = await embedDataset(store, dataset, model, {
        cache,
        imageIds: batch.imageIds,
        jobs: o.jobs ?? batch.jobs ?? undefined,
        batchSize: batch.batchSize,
        // images skipped as finished (or gone from disk) count as done in the log
        onProgress: (done, pending) => log(batch.imageIds.length - pending + done),
      })
      return {
        images: report.images,
        alreadyFinished: report.cached,
        computed: report.computed,
        unreadable: report.unreadable.length,
        decoded: report.decoded,
        seconds: report.seconds,
      }
    },
    async close() {
      for (const m of models.values()) await (await m.catch(() => null))?.close()
    },
  }
}
