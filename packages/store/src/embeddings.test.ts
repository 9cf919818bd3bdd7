import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS, tempStore } from '../../../test-support/temp-store.ts'
import {
  embeddingModelsOf,
  embeddingTargets,
  loadEmbeddings,
  saveEmbeddingModel,
  saveEmbeddings,
} from './embeddings.ts'
import type { Store } from './store.ts'

const N = 4100 // more than one page of loadEmbeddings
const D = 3

describe.each(DIALECTS)('embedding storage on %s', (kind) => {
  let store: Store
  let cleanup: () => Promise<void>
  let datasetId: number
  let ids: number[]
  beforeAll(async () => {
    ;({ store, cleanup } = await tempStore(kind))
    const [ds] = await store.db
      .insertInto('dataset')
      .values({
        name: 'd',
        source_format: 'cxr14',
        imported_at: '2026-01-01T00:00:00Z',
        image_roots: '[]',
        sources: '{}',
      })
      .returning('id')
      .execute()
    datasetId = ds!.id
    const rows = Array.from({ length: N + 1 }, (_, i) => ({
      dataset_id: datasetId,
      name: `im${String(i).padStart(5, '0')}.png`,
      patient: String(i % 97),
      sex: 'F',
      view: 'PA',
      raw_labels: '',
      split: i % 3 === 0 ? 'test' : 'train',
      path: `/x/${i}.png`,
      on_disk: 1,
    }))
    ids = []
    for (let i = 0; i < rows.length; i += 500) {
      const got = await store.db
        .insertInto('image')
        .values(rows.slice(i, i + 500))
        .returning('id')
        .execute()
      ids.push(...got.map((g) => g.id))
    }
  })
  afterAll(async () => cleanup())

  it('[ML7] vectors round-trip as float32 in image order across pages; the model is stored once', async () => {
    const input = {
      name: 'm',
      sha256: 'a'.repeat(64),
      configHash: 'b'.repeat(64),
      manifest: '{}',
      dimensions: D,
    }
    const model = await saveEmbeddingModel(store.db, input)
    expect((await saveEmbeddingModel(store.db, input)).id).toBe(model.id)
    // values that float32 keeps exactly and some it rounds (0.1), negative zero and extremes
    const vector = (i: number): Float32Array => Float32Array.of(i, -i / 7, i % 2 === 0 ? 0.1 : -0)
    // stored out of order, in batches of several transactions; the last image gets none
    const order = ids.slice(0, N).reverse()
    for (let i = 0; i < order.length; i += 1000) {
      await saveEmbeddings(
        store.db,
        model.id,
        order.slice(i, i + 1000).map((id) => ({
          imageId: id,
          vector: vector(ids.indexOf(id)),
          contentHash: null,
        })),
      )
    }
    const m = await loadEmbeddings(store.db, datasetId, model)
    expect(m.images).toHaveLength(N)
    expect(m.images.map((im) => im.id)).toEqual(ids.slice(0, N))
    expect(m.images[3]).toMatchObject({ name: 'im00003.png', patient: '3', split: 'test' })
    expect(m.vectors).toHaveLength(N * D)
    for (const i of [0, 1, 4095, 4096, N - 1]) {
      expect(m.vectors.subarray(i * D, (i + 1) * D)).toEqual(vector(i))
    }
    expect(Object.is(m.vectors[1 * D + 2], -0)).toBe(true)
    const [listed] = await embeddingModelsOf(store.db, datasetId)
    expect(listed).toMatchObject({ id: model.id, images: N, dimensions: D })
  })

  it('[ML6] targets are the images on disk, cached when the model has their vector', async () => {
    const [model] = await embeddingModelsOf(store.db, datasetId)
    const targets = await embeddingTargets(store.db, datasetId, model!.id)
    expect(targets).toHaveLength(N + 1)
    expect(targets.filter((t) => !t.cached).map((t) => t.id)).toEqual([ids[N]])
  })
})
