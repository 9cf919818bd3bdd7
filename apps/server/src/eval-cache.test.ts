import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore, type Store } from '@cxr-audit/store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EvalCache } from './eval-cache.ts'

describe('the model evaluation cache', () => {
  let dir: string
  let store: Store
  let modelId: number
  let ids: { image: number; finding: number; reader: number }
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cxr-eval-cache-'))
    store = await openStore(join(dir, 'db.sqlite'))
    const now = new Date().toISOString()
    const ds = await store.db
      .insertInto('dataset')
      .values({
        name: 'd',
        source_format: 'cxr14',
        imported_at: now,
        image_roots: '[]',
        sources: '{}',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const f = await store.db
      .insertInto('finding')
      .values({ dataset_id: ds.id, name: 'Mass', derived_from: null, position: 0 })
      .returning('id')
      .executeTakeFirstOrThrow()
    const im = await store.db
      .insertInto('image')
      .values({
        dataset_id: ds.id,
        name: 'a.png',
        patient: '1',
        age: 40,
        sex: 'M',
        view: 'PA',
        follow_up: 0,
        width: null,
        height: null,
        spacing_x: null,
        spacing_y: null,
        split: null,
        path: null,
        on_disk: 0,
        raw_labels: 'Mass',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const r = await store.db
      .insertInto('reader')
      .values({ name: 'r', kind: 'person', created_at: now, password_hash: null, role: null })
      .returning('id')
      .executeTakeFirstOrThrow()
    const m = await store.db
      .insertInto('model')
      .values({ dataset_id: ds.id, name: 'm', source: '{}', created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow()
    modelId = m.id
    ids = { image: im.id, finding: f.id, reader: r.id }
  })
  afterAll(async () => {
    await store.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('[W32] answers a repeated request from memory and recomputes after any new mark', async () => {
    const cache = new EvalCache<number>(store)
    let runs = 0
    const compute = async (): Promise<number> => ++runs
    expect(await cache.get(modelId, { against: 'original' }, compute)).toBe(1)
    expect(await cache.get(modelId, { against: 'original' }, compute)).toBe(1)
    expect(await cache.get(modelId, { against: 'r' }, compute)).toBe(2)
    await store.db
      .insertInto('verdict_event')
      .values({
        client_event_id: 'e1',
        reader_id: ids.reader,
        audit_id: null,
        image_id: ids.image,
        finding_id: ids.finding,
        verdict: 'absent',
        created_at: new Date().toISOString(),
      })
      .execute()
    expect(await cache.get(modelId, { against: 'original' }, compute)).toBe(3)
  })
})
