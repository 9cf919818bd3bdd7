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
