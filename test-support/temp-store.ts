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
