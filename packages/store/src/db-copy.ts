import { CompiledQuery } from 'kysely'
import { StoreError, type Store, type Tx } from './store.ts'
import {
  readTables,
  referenceOrder,
  sequenceTop,
  setSequence,
  type CopyTable,
} from './copy-schema.ts'

export interface CopyOptions {
  /** Delete what the target holds first (in the same transaction); else a non-empty target is refused. */
  readonly replace?: boolean | undefined
  readonly onProgress?: ((table: string, done: number, total: number) => void) | undefined
  /** Rows per read (default 5,000, 500 for tables with byte columns); small in tests. */
  readonly pageRows?: number | undefined
}

/** `cxr-audit db copy --json`. */
export interface CopyReport {
  /** Source and target as given, with any password hidden. */
  readonly from: string
  readonly to: string
  readonly fromKind: Store['kind']
  readonly toKind: Store['kind']
  /** True when the target's rows were deleted first (--replace). */
  readonly replaced: boolean
  /** Every table copied, in copy order, with its row count (equal in source and target). */
  readonly tables: { readonly table: string; readonly rows: number }[]
  /** Rows copied in all. */
  readonly rows: number
  readonly seconds: number
}

/** Rows per read: pages of byte columns (embedding vectors, ~5 kB each) are kept small. */
const PAGE_ROWS = 5000
const BLOB_PAGE_ROWS = 500

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`

/** A URL with its password replaced by `***`, for reports and messages. */
export function hidePassword(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*):[^@]*@/, '$1:***@')
}

/**
 * Copies every table of one store into another (SQLite to PostgreSQL, PostgreSQL to SQLite, or
 * the same kind): ids kept, so every reference (verdicts to readers and images, vectors to
 * models) holds; sequences set above the copied ids; each table's row count checked against
 * the source before the commit. The source is read in one transaction (a consistent snapshot);
 * the target is written in one transaction, so a failed copy leaves it as it was.
 */
export async function copyDatabase(
  from: Store,
  to: Store,
  o: CopyOptions = {},
): Promise<CopyReport> {
  const started = performance.now()
  const source = from.db.transaction()
  const report = await (
    from.kind === 'postgres' ? source.setIsolationLevel('repeatable read') : source
  ).execute(async (stx) => {
    const tables = referenceOrder(await readTables(from, stx))
    const counts = new Map<string, number>()
    for (const t of tables) counts.set(t.name, await count(stx, t.name))
    const total = [...counts.values()].reduce((a, b) => a + b, 0)
    return to.db.transaction().execute(async (ttx) => {
      const targetTables = new Map((await readTables(to, ttx)).map((t) => [t.name, t]))
      for (const t of tables) {
        const target = targetTables.get(t.name)
        if (target === undefined)
          throw new StoreError(`the target has no table ${t.name}: is it from another version?`)
        const missing = t.columns.filter((c) => !target.columns.includes(c))
        if (missing.length > 0)
          throw new StoreError(`the target's table ${t.name} has no column ${missing.join(', ')}`)
      }
      const full: string[] = []
      for (const t of targetTables.values())
        if ((await count(ttx, t.name, 1)) > 0) full.push(t.name)
      if (full.length > 0 && o.replace !== true)
        throw new StoreError(
          `the target ${hidePassword(to.url)} is not empty (rows in ${full.join(', ')}): copy into an empty database, or give --replace to delete what it holds first`,
        )
      if (full.length > 0) await emptyTables(to, ttx, referenceOrder([...targetTables.values()]))
      let done = 0
      for (const t of tables) {
        const copied = await copyTable(from, stx, to, ttx, t, o.pageRows, (n) => {
          done += n
          o.onProgress?.(t.name, done, total)
        })
        const stored = await count(ttx, t.name)
        if (copied !== counts.get(t.name) || stored !== copied)
          throw new StoreError(
            `the copy of ${t.name} does not add up: ${counts.get(t.name)} rows in the source, ${copied} read, ${stored} in the target; nothing was written`,
          )
        if (t.serial) {
          const top = Math.max(await sequenceTop(from, stx, t.name), await maxId(ttx, t.name))
          await setSequence(to, ttx, t.name, top)
        }
      }
      return tables.map((t) => ({ table: t.name, rows: counts.get(t.name) ?? 0 }))
    })
  })
  return {
    from: hidePassword(from.url),
    to: hidePassword(to.url),
    fromKind: from.kind,
    toKind: to.kind,
    replaced: o.replace === true,
    tables: report,
    rows: report.reduce((a, t) => a + t.rows, 0),
    seconds: Math.round(performance.now() - started) / 1000,
  }
}

async function count(tx: Tx, table: string, limit?: number): Promise<number> {
  const text =
    limit === undefined
      ? `select count(*) as n from ${quote(table)}`
      : `select count(*) as n from (select 1 from ${quote(table)} limit ${limit}) as t`
  const r = await tx.executeQuery<{ n: number | string }>(CompiledQuery.raw(text))
  return Number(r.rows[0]?.n ?? 0)
}

async function maxId(tx: Tx, table: string): Promise<number> {
  const r = await tx.executeQuery<{ m: number | null }>(
    CompiledQuery.raw(`select max(id) as m from ${quote(table)}`),
  )
  return Number(r.rows[0]?.m ?? 0)
}

/**
 * Deletes every row of the target's tables, referring tables first. `--replace` replaces the
 * whole project, its activity log too: the log's append-only triggers (decision 018) are lifted
 * for this one transaction and restored before it commits, so nothing else can ever delete it.
 */
async function emptyTables(to: Store, tx: Tx, ordered: readonly CopyTable[]): Promise<void> {
  const logged = ordered.some((t) => t.name === 'activity')
  if (to.kind === 'postgres') {
    if (logged)
      await tx.executeQuery(CompiledQuery.raw('alter table activity disable trigger user'))
    // one statement for all: TRUNCATE is transactional on PostgreSQL and needs no order
    await tx.executeQuery(
      CompiledQuery.raw(`truncate ${ordered.map((t) => quote(t.name)).join(', ')}`),
    )
    if (logged) await tx.executeQuery(CompiledQuery.raw('alter table activity enable trigger user'))
    return
  }
  const triggers = logged
    ? (
        await tx.executeQuery<{ name: string; sql: string }>(
          CompiledQuery.raw(
            "select name, sql from sqlite_master where type = 'trigger' and tbl_name = 'activity'",
          ),
        )
      ).rows
    : []
  for (const t of triggers)
    await tx.executeQuery(CompiledQuery.raw(`drop trigger ${quote(t.name)}`))
  for (const t of [...ordered].reverse())
    await tx.executeQuery(CompiledQuery.raw(`delete from ${quote(t.name)}`))
  for (const t of triggers) await tx.executeQuery(CompiledQuery.raw(t.sql))
}

/** Copies one table page by page in key order (keyset paging). Returns the rows copied. */
async function copyTable(
  from: Store,
  stx: Tx,
  to: Store,
  ttx: Tx,
  t: CopyTable,
  pageRows: number | undefined,
  progress: (rows: number) => void,
): Promise<number> {
  const columns = t.columns.map(quote).join(', ')
  const keyAt = t.key.map((k) => t.columns.indexOf(k))
  const page = pageRows ?? (t.blobs.length > 0 ? BLOB_PAGE_ROWS : PAGE_ROWS)
  const mark = (i: number): string => (from.kind === 'postgres' ? `$${i + 1}` : '?')
  const order = t.key.map(quote).join(', ')
  let after: unknown[] | null = null
  let copied = 0
  for (;;) {
    let text = `select ${columns} from ${quote(t.name)}`
    const parameters: unknown[] = []
    if (t.key.length > 0) {
      if (after !== null) {
        text += ` where (${order}) > (${after.map((_, i) => mark(i)).join(', ')})`
        parameters.push(...after)
      }
      text += ` order by ${order} limit ${page}`
    }
    const rows = await from.bulk.selectArrays(stx, {
      compile: () => CompiledQuery.raw(text, parameters),
    })
    if (rows.length === 0) break
    await to.bulk.insert(ttx, t.name, t.columns, rows)
    copied += rows.length
    progress(rows.length)
    // a table without a key is read whole in one query
    if (t.key.length === 0 || rows.length < page) break
    const last = rows[rows.length - 1]!
    after = keyAt.map((i) => last[i])
  }
  return copied
}
