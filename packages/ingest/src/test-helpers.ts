import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore, type Store, type StoreKind } from '@cxr-audit/store'
import { startPostgres, type TestPostgres } from '../../../test-support/postgres.ts'

/** Every store suite runs against both databases. */
export const DIALECTS: readonly StoreKind[] = ['sqlite', 'postgres']

let cluster: Promise<TestPostgres> | undefined
let databases = 0

/** One throwaway PostgreSQL cluster per test process, stopped when the process exits. */
function postgres(): Promise<TestPostgres> {
  cluster ??= startPostgres().then((pg) => {
    process.on('exit', () => pg.stop())
    return pg
  })
  return cluster
}

/** A fresh database (a SQLite file in a temp folder, or a new PostgreSQL database). */
export async function tempStore(
  kind: StoreKind = 'sqlite',
): Promise<{ store: Store; dir: string; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'cxr-audit-test-'))
  const url =
    kind === 'sqlite'
      ? join(dir, 'test.sqlite')
      : (await postgres()).createDatabase(`test_${process.pid}_${++databases}`)
  const store = await openStore(url)
  return {
    store,
    dir,
    cleanup: async () => {
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

const TABLES = [
  'dataset',
  'finding',
  'image',
  'label',
  'box',
  'import_problem',
  'reader',
  'verdict_event',
] as const

/** Every row of the tables an import touches, to compare the database before and after. */
export async function snapshot(store: Store): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {}
  for (const t of TABLES) {
    // row order is not part of the state: compare as sorted sets
    const rows = await store.db.selectFrom(t).selectAll().execute()
    out[t] = rows.map((r) => JSON.stringify(r)).sort()
  }
  return out
}
