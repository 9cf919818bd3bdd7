import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore, type Store } from '@cxr-audit/store'

/** A fresh SQLite file in a temp folder, removed by the returned cleanup. */
export async function tempStore(): Promise<{
  store: Store
  dir: string
  cleanup: () => Promise<void>
}> {
  const dir = mkdtempSync(join(tmpdir(), 'cxr-audit-test-'))
  const store = await openStore(join(dir, 'test.sqlite'))
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
