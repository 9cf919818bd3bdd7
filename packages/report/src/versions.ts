import { sql } from 'kysely'
import sharp from 'sharp'
import type { Store } from '@cxr-audit/store'
import pkg from '../package.json' with { type: 'json' }

/** What produced the report, so that it can be reproduced [L17]. */
export interface Versions {
  readonly cxrAudit: string
  readonly node: string
  readonly database: string
  readonly sharp: string
  readonly platform: string
  /** Filled in when the PDF is printed. */
  chromium?: string
}

export async function collectVersions(store: Store): Promise<Versions> {
  let database: string = store.kind
  try {
    const q =
      store.kind === 'sqlite'
        ? sql<{ v: string }>`select sqlite_version() as v`
        : sql<{ v: string }>`select version() as v`
    const r = await q.execute(store.db)
    database = `${store.kind} ${r.rows[0]?.v ?? ''}`.trim()
  } catch {
    // the version is a courtesy: a database that will not say still gets a report
  }
  return {
    cxrAudit: pkg.version,
    node: process.version,
    database,
    sharp: sharp.versions.sharp ?? '',
    platform: `${process.platform} ${process.arch}`,
  }
}
