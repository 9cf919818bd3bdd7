import type { JobsDto } from '@cxr-audit/contract'
import { openJobQueue, THUMBNAILS_QUEUE } from '@cxr-audit/jobs'
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
    })
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
