import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore, type Store, type StoreKind } from '../packages/store/src/index.ts'
import { startPostgres, type TestPostgres } from './postgres.ts'

/** Every store suite runs against both databases (docs/decisions/004). */
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

/**
 * A fresh empty database for `--db` or `openStore`: a SQLite file `name` in `dir`, or a new
 * database on the test process's PostgreSQL cluster (a `postgres://` URL).
 */
export async function tempDatabase(
  kind: StoreKind,
  dir: string,
  name = 'test.sqlite',
): Promise<string> {
  return kind === 'sqlite'
    ? join(dir, name)
    : (await postgres()).createDatabase(`test_${process.pid}_${++databases}`)
}

/** A fresh database (a SQLite file in a temp folder, or a new PostgreSQL database). */
export async function tempStore(
  kind: StoreKind = 'sqlite',
): Promise<{ store: Store; dir: string; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'cxr-audit-test-'))
  const store = await openStore(await tempDatabase(kind, dir))
  return {
    store,
    dir,
    cleanup: async () => {
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
