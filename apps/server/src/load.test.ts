import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore, type Store } from '@cxr-audit/store'
import { tableRows } from '@cxr-audit/store/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../../test-support/temp-store.ts'
import {
  eventId,
  planLoad,
  runReaders,
  startServe,
  type ServeProcess,
} from '../../../test-support/reader-load.ts'
import { buildFixture } from './testing/fixture.ts'

const READERS = 20

/** The clientEventIds stored for a run's tag, each as often as it is stored. */
async function storedIds(store: Store, tag: string): Promise<string[]> {
  const rows = await tableRows(store.db, 'verdict_event')
  return rows.map((r) => String(r['client_event_id'])).filter((id) => id.startsWith(`${tag}-`))
}

const allIds = (tag: string, perReader: number): string[] =>
  Array.from({ length: READERS }, (_, r) =>
    Array.from({ length: perReader }, (_, i) => eventId(tag, r, i)),
  ).flat()

describe.each(DIALECTS)('[T2][T3] 20 readers at once on %s', (kind) => {
  let dir: string
  let db: string
  let server: ServeProcess
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cxr-load-'))
    db = (await buildFixture({ dir, kind, images: 60 })).db
    server = await startServe(db, dir)
  })
  afterAll(async () => {
    server.child.kill('SIGKILL')
    await server.exited
    await rm(dir, { recursive: true, force: true })
  })

  it('[T2] 20 readers each send 1,000 verdicts as fast as answered: no error, each stored once', async () => {
    const plan = await planLoad(server.url, READERS, 'load')
    const r = await runReaders(() => server.url, plan, { perReader: 1000, tag: 'load' })
    expect(r.errors).toEqual([])
    expect(r.retries).toBe(0)
    expect(r.acknowledged.size).toBe(READERS * 1000)
    const store = await openStore(db)
    try {
      const stored = await storedIds(store, 'load')
      expect(stored).toHaveLength(READERS * 1000)
      expect(new Set(stored)).toEqual(new Set(allIds('load', 1000)))
    } finally {
      await store.close()
    }
  }, 300_000)

  it('[T3] the server SIGKILLed mid-run and restarted: every acknowledged verdict stored exactly once', async () => {
    const perReader = 200
    const plan = await planLoad(server.url, READERS, 'crash')
    let restarting: Promise<void> | null = null
    let killedAt = 0
    const r = await runReaders(() => server.url, plan, {
      perReader,
      tag: 'crash',
      onAck: (acks) => {
        if (restarting !== null || acks < (READERS * perReader) / 3) return
        killedAt = acks
        const old = server
        old.child.kill('SIGKILL')
        restarting = old.exited.then(async ({ signal }) => {
          expect(signal).toBe('SIGKILL')
          server = await startServe(db, dir)
        })
      },
    })
    await restarting
    // the kill fell in the middle: some acknowledged before, the clients retried through it
    expect(killedAt).toBeGreaterThan(0)
    expect(killedAt).toBeLessThan(READERS * perReader)
    expect(r.retries).toBeGreaterThan(0)
    expect(r.errors).toEqual([])
    expect(r.acknowledged.size).toBe(READERS * perReader)
    const store = await openStore(db)
    try {
      const stored = await storedIds(store, 'crash')
      // exactly once: as many rows as ids, and every id sent (and acknowledged) among them
      expect(stored).toHaveLength(READERS * perReader)
      expect(new Set(stored)).toEqual(new Set(allIds('crash', perReader)))
      for (const id of r.acknowledged) expect(stored.includes(id), id).toBe(true)
    } finally {
      await store.close()
    }
  }, 300_000)
})
