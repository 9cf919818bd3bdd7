import type { Store } from '@cxr-audit/store'

export { DIALECTS, tempStore } from '../../../test-support/temp-store.ts'

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
