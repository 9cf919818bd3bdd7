import { availableParallelism } from 'node:os'
import sharp from 'sharp'
import {
  factsOfRead,
  isImageError,
  looksInverted,
  type ImageFacts,
  type RenditionCache,
} from '@cxr-audit/imaging'
import {
  embeddingTargets,
  imagesOnDisk,
  markUnreadable,
  saveEmbeddingModel,
  saveEmbeddings,
  saveFacts,
  type DatasetRow,
  type EmbeddingTarget,
  type Store,
} from '@cxr-audit/store'
import { Channel } from './channel.ts'
import { channelTables, writeInput } from './input.ts'
import { inputLength, type EmbeddingModel } from './model.ts'

export interface EmbedOptions {
  /**
   * The dataset's rendition cache: model inputs are read from it when `thumbnails` (or an
   * earlier `embed`) left them there; otherwise each film is decoded once for its input, its
   * thumbnail and its pixel facts [ML10].
   */
  readonly cache: RenditionCache
  /** Images decoded at once, on libuv's pool, while the model runs (default: the cores). */
  readonly jobs?: number | undefined
  /** Images per inference call, and per committed transaction (default 8). */
  readonly batchSize?: number | undefined
  readonly onProgress?: ((done: number, total: number) => void) | undefined
  /** Only these images (a queued batch); the report counts only them. Default: all on disk. */
  readonly imageIds?: readonly number[] | undefined
}

/** `cxr-audit embed --json` (docs/learnability.md). */
export interface EmbedReport {
  /** The model's name (from its manifest). */
  readonly model: string
  /** SHA-256 of the .onnx file. */
  readonly modelSha256: string
  readonly dataset: string
  /** Images of the dataset on disk. */
  readonly images: number
  /** Vectors computed by this run. */
  readonly computed: number
  /** Images whose vector was already stored. */
  readonly cached: number
  readonly unreadable: { readonly image: string; readonly reason: string }[]
  readonly dimensions: number
  readonly device: string
  readonly seconds: number
  /** Films decoded by this run (the others' inputs came from the rendition cache) [ML10]. */
  readonly decoded: number
}

type Decoded =
  | {
      readonly target: EmbeddingTarget
      readonly ok: { pixels: Uint8Array; contentHash: string }
      readonly facts: ImageFacts | undefined
    }
  | { readonly target: EmbeddingTarget; readonly reason: string }

/**
 * Computes the missing vectors of a dataset's images on disk [ML5]-[ML6]: readers feed a
 * bounded queue while the model runs on the previous batch; each batch is committed in its own
 * transaction, so an interrupted run keeps what it finished and a rerun computes only the rest.
 * A film's model input comes from the rendition cache when `thumbnails` left it there, else
 * from one decode that also leaves its thumbnail, its input and its pixel facts as `thumbnails`
 * would [ML10]. An unreadable image is listed (and marked, as `thumbnails` does), never fatal.
 */
export async function embedDataset(
  store: Store,
  dataset: DatasetRow,
  model: EmbeddingModel,
  o: EmbedOptions,
): Promise<EmbedReport> {
  const started = performance.now()
  const row = await saveEmbeddingModel(store.db, {
    name: model.name,
    sha256: model.sha256,
    configHash: model.configHash,
    manifest: JSON.stringify(model.manifest),
    dimensions: model.dimensions,
  })
  const targets = await embeddingTargets(store.db, dataset.id, row.id, o.imageIds)
  const pending = targets.filter((t) => !t.cached)
  const jobs = Math.max(1, o.jobs ?? availableParallelism())
  const batchSize = Math.max(1, o.batchSize ?? 8)
  const spec = model.manifest.input
  const tables = channelTables(spec)
  // the facts `thumbnails` would store, for films decoded here: their content is new to us
  const known = new Map(
    (await imagesOnDisk(store.db, dataset.id, o.imageIds)).map((im) => [im.id, im]),
  )
  const queue = new Channel<Decoded>(batchSize * 2)
  let next = 0
  let stopped = false
  let decoded = 0
  const decoder = async (): Promise<void> => {
    for (let i = next++; i < pending.length && !stopped; i = next++) {
      const target = pending[i]!
      const im = known.get(target.id)
      let facts: ImageFacts | undefined
      let item: Decoded
      try {
        const got = await o.cache.modelInput(target.path, spec.size, {
          pixels: {
            wants: (hash) => im === undefined || im.contentHash !== hash || im.factsAt === null,
            use: async (read) => {
              facts = await factsOfRead(read)
            },
          },
        })
        if (got.decoded) decoded++
        item = { target, ok: { pixels: got.input.pixels, contentHash: got.hash }, facts }
      } catch (e) {
        if (!isImageError(e)) throw e
        item = { target, reason: e.reason }
      }
      await queue.push(item)
    }
  }
  const previousThreads = sharp.concurrency()
  sharp.concurrency(1) // one libvips thread per image: the images themselves are the parallelism
  const decoding = Promise.all(Array.from({ length: Math.min(jobs, pending.length) }, decoder))
  const finished = decoding.finally(() => queue.close())
  // a decoder's unexpected error must not leave the consumer waiting for a batch forever
  finished.catch(() => queue.close())

  const unreadable: { image: string; reason: string }[] = []
  const input = new Float32Array(batchSize * inputLength(model.manifest))
  let computed = 0
  try {
    for (;;) {
      const batch = await queue.take(batchSize)
      if (batch.length === 0) break
      const good: { target: EmbeddingTarget; contentHash: string; facts?: ImageFacts }[] = []
      for (const item of batch) {
        if ('reason' in item) {
          unreadable.push({ image: item.target.name, reason: item.reason })
          // a server that did not answer says nothing about the image [D6]
          if (!item.reason.startsWith('unavailable'))
            await markUnreadable(store.db, item.target.id, item.reason)
        } else {
          writeInput(item.ok.pixels, spec, tables, input, good.length)
          good.push({
            target: item.target,
            contentHash: item.ok.contentHash,
            ...(item.facts ? { facts: item.facts } : {}),
          })
        }
      }
      if (good.length > 0) {
        const vectors = await model.embed(input, good.length)
        const d = model.dimensions
        await saveEmbeddings(
          store.db,
          row.id,
          good.map((g, k) => ({
            imageId: g.target.id,
            vector: vectors.subarray(k * d, (k + 1) * d),
            contentHash: g.contentHash,
          })),
        )
        const withFacts = good.filter((g) => g.facts !== undefined)
        if (withFacts.length > 0) {
          await store.db.transaction().execute(async (tx) => {
            for (const g of withFacts)
              await saveFacts(tx, g.target.id, {
                ...g.facts!,
                looksInverted: looksInverted(g.facts!),
              })
          })
        }
        computed += good.length
      }
      o.onProgress?.(computed + unreadable.length, pending.length)
    }
    await finished
  } finally {
    // on a failure (database, model), decoders still waiting to push must stop, not go on
    stopped = true
    queue.close()
    sharp.concurrency(previousThreads)
  }
  return {
    model: model.name,
    modelSha256: model.sha256,
    dataset: dataset.name,
    images: targets.length,
    computed,
    cached: targets.length - pending.length,
    unreadable,
    dimensions: model.dimensions,
    device: model.device,
    seconds: Math.round(performance.now() - started) / 1000,
    decoded,
  }
}
