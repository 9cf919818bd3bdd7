import { now, type Db } from './store.ts'

/** What identifies an embedding model: the file, and the settings that shape its vectors. */
export interface EmbeddingModelInput {
  readonly name: string
  /** SHA-256 of the .onnx file. */
  readonly sha256: string
  /** SHA-256 of the file hash, the manifest and the preprocessing version. */
  readonly configHash: string
  /** The manifest, as JSON text. */
  readonly manifest: string
  readonly dimensions: number
}

export interface EmbeddingModelRow {
  readonly id: number
  readonly name: string
  readonly sha256: string
  readonly configHash: string
  readonly dimensions: number
  readonly createdAt: string
}

/** An image on disk and whether a current vector of the model exists for it. */
export interface EmbeddingTarget {
  readonly id: number
  readonly name: string
  readonly path: string
  readonly cached: boolean
}

/** Vectors of one model for the images of a dataset, row-major in one array. */
export interface EmbeddingMatrix {
  readonly model: EmbeddingModelRow
  readonly images: readonly {
    readonly id: number
    readonly name: string
    readonly patient: string
    readonly split: string | null
  }[]
  /** `images.length * model.dimensions` values; row i is the vector of images[i]. */
  readonly vectors: Float32Array
}

const toRow = (r: {
  id: number
  name: string
  sha256: string
  config_hash: string
  dimensions: number
  created_at: string
}): EmbeddingModelRow => ({
  id: r.id,
  name: r.name,
  sha256: r.sha256,
  configHash: r.config_hash,
  dimensions: r.dimensions,
  createdAt: r.created_at,
})

/** The stored embedding model of these settings, created on first use. */
export async function saveEmbeddingModel(
  db: Db,
  m: EmbeddingModelInput,
): Promise<EmbeddingModelRow> {
  await db
    .insertInto('embedding_model')
    .values({
      name: m.name,
      sha256: m.sha256,
      config_hash: m.configHash,
      manifest: m.manifest,
      dimensions: m.dimensions,
      created_at: now(),
    })
    .onConflict((oc) => oc.column('config_hash').doNothing())
    .execute()
  const row = await db
    .selectFrom('embedding_model')
    .selectAll()
    .where('config_hash', '=', m.configHash)
    .executeTakeFirstOrThrow()
  return toRow(row)
}

/**
 * Every image of the dataset on disk, in id order, with `cached` true when the model already
 * has its vector. A vector goes stale when the image's known content hash (from `thumbnails`)
 * differs from the hash of the bytes that were embedded [ML6].
 */
export async function embeddingTargets(
  db: Db,
  datasetId: number,
  modelId: number,
  /** Only these images (a batch of a queued job); all when absent. */
  imageIds?: readonly number[],
): Promise<EmbeddingTarget[]> {
  if (imageIds !== undefined && imageIds.length === 0) return []
  let q = db
    .selectFrom('image')
    .leftJoin('embedding', (j) =>
      j.onRef('embedding.image_id', '=', 'image.id').on('embedding.model_id', '=', modelId),
    )
    .select([
      'image.id',
      'image.name',
      'image.path',
      'image.content_hash',
      'embedding.image_id as embedded',
      'embedding.content_hash as embedded_hash',
    ])
    .where('image.dataset_id', '=', datasetId)
    .where('image.on_disk', '=', 1)
  if (imageIds !== undefined) q = q.where('image.id', 'in', [...imageIds])
  const rows = await q.orderBy('image.id').execute()
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    path: r.path ?? '',
    cached:
      r.embedded !== null &&
      (r.content_hash === null || r.embedded_hash === null || r.content_hash === r.embedded_hash),
  }))
}

/** A vector as stored: little-endian float32 bytes (a view, no copy, on little-endian hosts). */
function vectorBytes(v: Float32Array): Uint8Array {
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength)
}

/** Stores (or replaces) vectors of one model in one transaction: a batch is all or nothing. */
export async function saveEmbeddings(
  db: Db,
  modelId: number,
  rows: readonly { imageId: number; vector: Float32Array; contentHash: string | null }[],
): Promise<void> {
  if (rows.length === 0) return
  const at = now()
  await db.transaction().execute(async (tx) => {
    for (let i = 0; i < rows.length; i += 200) {
      await tx
        .insertInto('embedding')
        .values(
          rows.slice(i, i + 200).map((r) => ({
            model_id: modelId,
            image_id: r.imageId,
            vector: vectorBytes(r.vector),
            content_hash: r.contentHash,
            created_at: at,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['model_id', 'image_id']).doUpdateSet((eb) => ({
            vector: eb.ref('excluded.vector'),
            content_hash: eb.ref('excluded.content_hash'),
            created_at: eb.ref('excluded.created_at'),
          })),
        )
        .execute()
    }
  })
}

/** Embedding models that have vectors for images of the dataset, the most recently used first. */
export async function embeddingModelsOf(
  db: Db,
  datasetId: number,
): Promise<(EmbeddingModelRow & { images: number; lastUsed: string })[]> {
  const used = await db
    .selectFrom('embedding')
    .innerJoin('image', 'image.id', 'embedding.image_id')
    .select((eb) => [
      'embedding.model_id',
      eb.fn.countAll<number | string>().as('images'),
      eb.fn.max('embedding.created_at').as('last_used'),
    ])
    .where('image.dataset_id', '=', datasetId)
    .groupBy('embedding.model_id')
    .execute()
  if (used.length === 0) return []
  const models = await db
    .selectFrom('embedding_model')
    .selectAll()
    .where(
      'id',
      'in',
      used.map((u) => u.model_id),
    )
    .execute()
  const usage = new Map(used.map((u) => [u.model_id, u]))
  return models
    .map((r) => ({
      ...toRow(r),
      images: Number(usage.get(r.id)!.images),
      lastUsed: String(usage.get(r.id)!.last_used),
    }))
    .sort((a, b) => b.lastUsed.localeCompare(a.lastUsed) || b.id - a.id)
}

const PAGE = 4096

/**
 * Every vector of one model for the images of a dataset, in image id order, read in pages
 * (keyset on image id) into one Float32Array: 112,120 x 1,280 floats are 574 MB, so rows are
 * copied straight into place rather than kept as separate buffers [ML7].
 */
export async function loadEmbeddings(
  db: Db,
  datasetId: number,
  model: EmbeddingModelRow,
): Promise<EmbeddingMatrix> {
  const count = await db
    .selectFrom('embedding')
    .innerJoin('image', 'image.id', 'embedding.image_id')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('embedding.model_id', '=', model.id)
    .where('image.dataset_id', '=', datasetId)
    .executeTakeFirstOrThrow()
  const n = Number(count.n)
  const d = model.dimensions
  const vectors = new Float32Array(n * d)
  const bytes = new Uint8Array(vectors.buffer)
  const images: { id: number; name: string; patient: string; split: string | null }[] = []
  let after = 0
  for (;;) {
    const page = await db
      .selectFrom('embedding')
      .innerJoin('image', 'image.id', 'embedding.image_id')
      .select(['image.id', 'image.name', 'image.patient', 'image.split', 'embedding.vector'])
      .where('embedding.model_id', '=', model.id)
      .where('image.dataset_id', '=', datasetId)
      .where('image.id', '>', after)
      .orderBy('image.id')
      .limit(PAGE)
      .execute()
    for (const r of page) {
      if (images.length >= n) break // rows added since the count: left for the next read
      if (r.vector.byteLength !== d * 4) {
        throw new Error(
          `embedding of image ${r.name} has ${r.vector.byteLength} bytes, expected ${d * 4}`,
        )
      }
      bytes.set(r.vector, images.length * d * 4)
      images.push({ id: r.id, name: r.name, patient: r.patient, split: r.split })
    }
    if (page.length < PAGE || images.length >= n) break
    after = page[page.length - 1]!.id
  }
  return {
    model,
    images,
    vectors: images.length === n ? vectors : vectors.slice(0, images.length * d),
  }
}
