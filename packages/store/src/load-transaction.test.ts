import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS, tempStore } from '../../../test-support/temp-store.ts'
import { openDatasetImport } from './import-dataset.ts'
import { loadTransaction } from './load-transaction.ts'

describe.each(DIALECTS)('a bulk-load transaction (%s)', (kind) => {
  let t: Awaited<ReturnType<typeof tempStore>>
  beforeAll(async () => {
    t = await tempStore(kind)
  })
  afterAll(() => t.cleanup())

  const foreignKeys = async (): Promise<number | null> =>
    kind === 'sqlite'
      ? Number(
          (await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(t.store.db)).rows[0]!
            .foreign_keys,
        )
      : null
  /** A label of an image that does not exist. */
  const dangling = (tx: Parameters<Parameters<typeof loadTransaction>[1]>[0]) =>
    tx.insertInto('label').values({ image_id: 999_999, finding_id: 999_999, value: 1 }).execute()

  it('writes and commits; the checks are on again after it, and after one that throws', async () => {
    const id = await loadTransaction(t.store, async (tx) => {
      const d = await openDatasetImport(tx, {
        name: 'loaded',
        sourceFormat: 'test',
        sources: {},
        roots: null,
      })
      return d.id
    })
    expect(await t.store.db.selectFrom('dataset').select('id').execute()).toEqual([{ id }])
    if (kind === 'sqlite') expect(await foreignKeys()).toBe(1)
    await expect(
      loadTransaction(t.store, async () => {
        throw new Error('read failed')
      }),
    ).rejects.toThrow('read failed')
    if (kind === 'sqlite') expect(await foreignKeys()).toBe(1)
    // outside it a dangling reference is refused, on both databases
    await expect(t.store.db.transaction().execute(dangling)).rejects.toThrow(/foreign key/i)
  })

  it('leaves the references to its caller on SQLite only (PostgreSQL still refuses)', async () => {
    const load = loadTransaction(t.store, async (tx) => {
      await dangling(tx)
      throw new Error('rolled back')
    })
    await expect(load).rejects.toThrow(kind === 'sqlite' ? 'rolled back' : /foreign key/i)
    expect(await t.store.db.selectFrom('label').selectAll().execute()).toEqual([])
  })

  // decision 053: in a load a failed bulk insert need not undo its own rows (`or fail`, no
  // statement journal), since the whole load is rolled back; elsewhere it undoes them
  it('rolls back a load whose bulk insert fails part way, and keeps nothing of it', async () => {
    // 250 readers, the one at `twice` named as the first: a unique name refused part way
    const readers = (prefix: string, twice: number): string[][] =>
      Array.from({ length: 250 }, (_, k) => [`${prefix}${k === twice ? 0 : k}`, 'human', 'now'])
    const columns = ['name', 'kind', 'created_at']
    const names = async (): Promise<string[]> =>
      (await t.store.db.selectFrom('reader').select('name').orderBy('name').execute()).map(
        (r) => r.name,
      )
    const before = await names()
    const load = loadTransaction(t.store, async (tx) => {
      await expect(
        t.store.bulk.insert(tx, 'reader', columns, readers('load-', 180)),
      ).rejects.toThrow(/unique|duplicate/i)
      // `or fail`: the rows before the refused one stay, until the whole load is rolled back
      if (kind === 'sqlite') {
        const rows = await tx.selectFrom('reader').select('name').where('name', 'like', 'load-%')
        expect((await rows.execute()).length).toBe(180)
      }
      throw new Error('load failed')
    })
    await expect(load).rejects.toThrow('load failed')
    expect(await names()).toEqual(before)
    // outside a load the failed statement takes back its own rows and the transaction goes on
    // (on PostgreSQL a failed statement aborts the transaction: nothing of it is kept)
    const outside = t.store.db.transaction().execute(async (tx) => {
      await t.store.bulk.insert(tx, 'reader', columns, [['kept', 'human', 'now']])
      await expect(t.store.bulk.insert(tx, 'reader', columns, readers('tx-', 50))).rejects.toThrow(
        /unique|duplicate/i,
      )
      if (kind === 'sqlite')
        await t.store.bulk.insert(tx, 'reader', columns, [['kept too', 'human', 'now']])
    })
    if (kind === 'sqlite') await outside
    else await expect(outside).rejects.toThrow(/rolled back/)
    expect(await names()).toEqual(kind === 'sqlite' ? [...before, 'kept', 'kept too'] : before)
  })
})

// decision 051: alone with the file, a load writes through a rollback journal, then WAL again
describe('the journal of a bulk load (sqlite)', () => {
  let t: Awaited<ReturnType<typeof tempStore>>
  beforeAll(async () => {
    t = await tempStore('sqlite')
  })
  afterAll(() => t.cleanup())

  type Tx = Parameters<Parameters<typeof loadTransaction>[1]>[0]
  const pragma = async (db: Tx, name: string): Promise<unknown> =>
    Object.values(
      (await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(db)).rows[0]!,
    )[0]

  it('uses a rollback journal when no other connection has the file open, and WAL after', async () => {
    const inside = await loadTransaction(t.store, async (tx) => {
      const d = await openDatasetImport(tx, {
        name: 'a',
        sourceFormat: 'test',
        sources: {},
        roots: null,
      })
      return { mode: await pragma(tx, 'journal_mode'), id: d.id }
    })
    expect(inside.mode).toBe('delete')
    expect(await pragma(t.store.db as unknown as Tx, 'journal_mode')).toBe('wal')
    expect(await pragma(t.store.db as unknown as Tx, 'cache_size')).toBe(-2000)
    expect(await t.store.db.selectFrom('dataset').select('id').execute()).toEqual([
      { id: inside.id },
    ])
    // and after a load that fails: WAL, nothing written
    await expect(
      loadTransaction(t.store, async (tx) => {
        await openDatasetImport(tx, { name: 'b', sourceFormat: 'test', sources: {}, roots: null })
        throw new Error('read failed')
      }),
    ).rejects.toThrow('read failed')
    expect(await pragma(t.store.db as unknown as Tx, 'journal_mode')).toBe('wal')
    expect(await t.store.db.selectFrom('dataset').select('name').execute()).toEqual([{ name: 'a' }])
  })

  it('keeps WAL while another connection has the file open, which can read meanwhile', async () => {
    const { default: Sqlite } = await import('better-sqlite3')
    const other = new Sqlite(
      join(
        t.dir,
        readdirSync(t.dir).find((f) => f.endsWith('.sqlite'))!,
      ),
    )
    try {
      const before = other.prepare('select count(*) from dataset').pluck().get()
      const mode = await loadTransaction(t.store, async (tx) => {
        await openDatasetImport(tx, { name: 'c', sourceFormat: 'test', sources: {}, roots: null })
        // the other connection reads the committed state while the load is under way
        expect(other.prepare('select count(*) from dataset').pluck().get()).toBe(before)
        return pragma(tx, 'journal_mode')
      })
      expect(mode).toBe('wal')
      expect(other.prepare('select count(*) from dataset').pluck().get()).toBe(Number(before) + 1)
    } finally {
      other.close()
    }
  })
})
