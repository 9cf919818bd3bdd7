import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import {
  copyDatabase,
  hidePassword,
  openStore,
  storeKindOf,
  type CopyReport,
} from '@cxr-audit/store'
import type { Context } from '../context.ts'
import { UsageError } from '../errors.ts'

/**
 * `cxr-audit db copy --from A --to B`: every table, ids kept, each table's row count checked
 * before one commit; a failed copy leaves the target as it was [T1].
 */
export async function dbCopyCommand(
  ctx: Context,
  o: { from?: string; to: string; replace?: boolean },
): Promise<CopyReport> {
  const from = o.from ?? ctx.dbUrl
  const same =
    storeKindOf(from) === 'sqlite' && storeKindOf(o.to) === 'sqlite'
      ? resolve(from) === resolve(o.to)
      : from === o.to
  if (same) throw new UsageError(`--from and --to name the same database (${hidePassword(from)})`)
  // opening a missing file would create an empty project and copy nothing
  if (storeKindOf(from) === 'sqlite' && !existsSync(from))
    throw new UsageError(`--from ${from}: no such database file`)
  const source = await openStore(from)
  try {
    const target = await openStore(o.to)
    try {
      const report = await copyDatabase(source, target, {
        replace: o.replace === true,
        onProgress: (table, done, total) => ctx.progress.update(`copying ${table}`, done, total),
      })
      ctx.progress.done()
      ctx.say(
        [
          `Copied ${report.rows} rows in ${report.tables.length} tables from ${report.from} (${report.fromKind}) to ${report.to} (${report.toKind}) in ${report.seconds} s; every count checked.`,
          ...report.tables.filter((t) => t.rows > 0).map((t) => `  ${t.table}: ${t.rows}`),
        ].join('\n'),
      )
      return report
    } finally {
      await target.close()
    }
  } finally {
    await source.close()
  }
}
