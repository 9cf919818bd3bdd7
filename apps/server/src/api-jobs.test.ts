import type { JobsDto } from '@cxr-audit/contract'
import { openJobQueue, THUMBNAILS_QUEUE } from '@cxr-audit/jobs'
import { imagesOnDisk, saveEmbeddingModel, saveEmbeddings } from '@cxr-audit/store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../../test-support/temp-store.ts'
import { openTestApp, type TestApp } from './testing/test-app.ts'

describe.each(DIALECTS)('[T8] GET /api/datasets/:id/jobs (%s)', (kind) => {
  let t: TestApp
  let datasetId: number
  beforeAll(async () => {
    t = await openTestApp({ kind, images: 6, corrupt: 1 })
    const r = await t.json<{ datasets: { id: number }[] }>('GET', '/api/datasets')
    datasetId = r.body.datasets[0]!.id
  })
  afterAll(async () => t.close())

  it('counts the images finished, and on PostgreSQL the batches of each queue', async () => {
    const before = await t.json<JobsDto>('GET', `/api/datasets/${datasetId}/jobs`)
    expect(before.status).toBe(200)
    expect(before.body).toMatchObject({
      dataset: { id: datasetId, name: 'CXR14 fixture' },
      images: { images: 7, finished: 0, unreadable: 0 },
      queues: [],
      embeddings: [],
    })
    // vectors of one model for two of the images, as embed (or a worker) stores them
    const model = await saveEmbeddingModel(t.store.db, {
      name: 'tiny',
      sha256: 'a'.repeat(64),
      configHash: 'b'.repeat(64),
      manifest: '{}',
      dimensions: 2,
    })
    const ids = (await imagesOnDisk(t.store.db, datasetId)).slice(0, 2).map((im) => im.id)
    await saveEmbeddings(
      t.store.db,
      model.id,
      ids.map((imageId) => ({ imageId, vector: new Float32Array([1, 0]), contentHash: null })),
    )
    const embedded = await t.json<JobsDto>('GET', `/api/datasets/${datasetId}/jobs`)
    expect(embedded.body.embeddings).toEqual([
      { model: 'tiny', modelSha256: 'a'.repeat(64), embedded: 2 },
    ])
    if (kind === 'sqlite') return
    const queue = await openJobQueue(t.store.url, { supervise: false })
    try {
      await queue.enqueue(THUMBNAILS_QUEUE, [{ batch: 1 }, { batch: 2 }, { batch: 1 }])
    } finally {
      await queue.close()
    }
    const after = await t.json<JobsDto>('GET', `/api/datasets/${datasetId}/jobs`)
    expect(after.body.queues).toEqual([
      { queue: THUMBNAILS_QUEUE, waiting: 2, running: 0, done: 0, failed: 0 },
    ])
  })

  it('answers 404 for an unknown dataset and 400 for a bad id', async () => {
    expect((await t.json('GET', '/api/datasets/999999/jobs')).status).toBe(404)
    expect((await t.json('GET', '/api/datasets/x/jobs')).status).toBe(400)
  })
})
