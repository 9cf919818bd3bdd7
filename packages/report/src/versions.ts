import sharp from 'sharp'
import { databaseVersion, type Store } from '@cxr-audit/store'
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
  return {
    cxrAudit: pkg.version,
    node: process.version,
    // the version is a courtesy: a database that will not say still gets a report
    database: await databaseVersion(store),
    sharp: sharp.versions.sharp ?? '',
    platform: `${process.platform} ${process.arch}`,
  }
}
