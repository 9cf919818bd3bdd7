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
})
