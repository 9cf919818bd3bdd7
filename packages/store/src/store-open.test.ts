import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DIALECTS, tempDatabase } from '../../../test-support/temp-store.ts'
import { migrations } from './migrations/index.ts'
import { now, openStore } from './store.ts'

// openStore skips the Migrator when the database has run exactly our migrations (decisions/045)
describe.each(DIALECTS)('opening a database that is already migrated (%s)', (kind) => {
  const dir = mkdtempSync(join(tmpdir(), 'cxr-audit-open-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('opens it again without change, and refuses one that ran a migration we do not know', async () => {
    const url = await tempDatabase(kind, dir)
    const first = await openStore(url)
    const names = Object.keys(migrations(kind)).sort()
    const ran = async (s: typeof first) =>
      (
        await s.db
          .selectFrom('kysely_migration' as never)
          .select('name' as never)
          .execute()
      )
        .map((r) => (r as { name: string }).name)
        .sort()
    expect(await ran(first)).toEqual(names)
    await first.close()

    const again = await openStore(url)
    expect(await ran(again)).toEqual(names)
    await again.db
      .insertInto('kysely_migration' as never)
      .values({ name: '999-from-a-newer-version', timestamp: now() } as never)
      .execute()
    await again.close()

    await expect(openStore(url)).rejects.toThrow(
      /previously executed migration 999-from-a-newer-version is missing/,
    )
  })
})

// a new SQLite file gets its whole schema in one transaction; a file with anything in it is
// migrated statement by statement: both end with the same schema
describe('opening a new SQLite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cxr-audit-open-new-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('makes the same schema in one transaction as the migrations one by one', async () => {
    const { default: Sqlite } = await import('better-sqlite3')
    const schemaOf = (file: string, leaveOut: string): string[] => {
      const raw = new Sqlite(file, { readonly: true })
      const rows = raw
        .prepare(
          'select type, name, tbl_name, sql from sqlite_schema where name <> ? order by name',
        )
        .raw(true)
        .all(leaveOut) as unknown[][]
      raw.close()
      return rows.map((r) => JSON.stringify(r))
    }
    const fresh = join(dir, 'fresh.sqlite')
    await (await openStore(fresh)).close()
    const stepwise = join(dir, 'stepwise.sqlite')
    const pre = new Sqlite(stepwise)
    pre.exec('create table not_ours (x)')
    pre.close()
    await (await openStore(stepwise)).close()
    const made = schemaOf(fresh, 'not_ours')
    expect(made.length).toBeGreaterThan(40)
    expect(made).toEqual(schemaOf(stepwise, 'not_ours'))
  })
})
