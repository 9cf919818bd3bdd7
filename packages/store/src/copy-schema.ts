import { CompiledQuery } from 'kysely'
import type { Store, Tx } from './store.ts'

/** A table as the copy sees it: its columns, key, the tables it refers to, its serial id. */
export interface CopyTable {
  readonly name: string
  readonly columns: readonly string[]
  /** The primary key columns in key order (empty: none). */
  readonly key: readonly string[]
  /** Columns holding bytes (BLOB, bytea): their rows are read in smaller pages. */
  readonly blobs: readonly string[]
  /** Tables this one's foreign keys point to. */
  readonly refers: readonly string[]
  /** True when `id` is generated (AUTOINCREMENT or serial): its sequence must follow the ids. */
  readonly serial: boolean
}

/** Bookkeeping tables that every store has of its own (migrations, SQLite internals). */
const OWN = /^(kysely_|sqlite_)/

const rows = async <R>(tx: Tx, text: string, parameters: unknown[] = []): Promise<R[]> =>
  (await tx.executeQuery<R>(CompiledQuery.raw(text, parameters))).rows

/**
 * Every table of the project in the store's own schema (on PostgreSQL the connection's current
 * schema: pg-boss's queue lives in its own schema and is not project data), read from the
 * database itself so that tables added by any migration are included.
 */
export async function readTables(store: Store, tx: Tx): Promise<CopyTable[]> {
  return store.kind === 'sqlite' ? sqliteTables(tx) : postgresTables(tx)
}

async function sqliteTables(tx: Tx): Promise<CopyTable[]> {
  const names = await rows<{ name: string; sql: string }>(
    tx,
    `select name, sql from sqlite_master where type = 'table' order by name`,
  )
  const out: CopyTable[] = []
  for (const { name, sql } of names.filter((n) => !OWN.test(n.name))) {
    const info = await rows<{ name: string; type: string; pk: number }>(
      tx,
      `select name, type, pk from pragma_table_info(?) order by cid`,
      [name],
    )
    const fks = await rows<{ table: string }>(
      tx,
      `select distinct "table" from pragma_foreign_key_list(?)`,
      [name],
    )
    out.push({
      name,
      columns: info.map((c) => c.name),
      key: info
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name),
      blobs: info.filter((c) => /blob/i.test(c.type)).map((c) => c.name),
      refers: fks.map((f) => f.table).filter((t) => t !== name),
      serial: /autoincrement/i.test(sql),
    })
  }
  return out
}

async function postgresTables(tx: Tx): Promise<CopyTable[]> {
  const names = await rows<{ name: string }>(
    tx,
    `select tablename as name from pg_tables where schemaname = current_schema() order by tablename`,
  )
  const out: CopyTable[] = []
  for (const { name } of names.filter((n) => !OWN.test(n.name))) {
    const rel = `"${name.replaceAll('"', '""')}"`
    const info = await rows<{ name: string; type: string }>(
      tx,
      `select attname as name, format_type(atttypid, atttypmod) as type from pg_attribute
       where attrelid = $1::regclass and attnum > 0 and not attisdropped order by attnum`,
      [rel],
    )
    const key = await rows<{ name: string }>(
      tx,
      `select a.attname as name from pg_index i
       join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
       where i.indrelid = $1::regclass and i.indisprimary
       order by array_position(i.indkey::int2[], a.attnum)`,
      [rel],
    )
    const fks = await rows<{ table: string }>(
      tx,
      `select distinct c.relname as table from pg_constraint f join pg_class c on c.oid = f.confrelid
       where f.conrelid = $1::regclass and f.contype = 'f'`,
      [rel],
    )
    const serial = info.some((c) => c.name === 'id')
      ? ((
          await rows<{ seq: string | null }>(tx, `select pg_get_serial_sequence($1, 'id') as seq`, [
            rel,
          ])
        )[0]?.seq ?? null) !== null
      : false
    out.push({
      name,
      columns: info.map((c) => c.name),
      key: key.map((k) => k.name),
      blobs: info.filter((c) => c.type === 'bytea').map((c) => c.name),
      refers: fks.map((f) => f.table).filter((t) => t !== name),
      serial,
    })
  }
  return out
}

/**
 * The tables in an order in which every row's references already exist (referenced tables
 * first), so that foreign keys stay enforced during the copy. A cycle is refused.
 */
export function referenceOrder(tables: readonly CopyTable[]): CopyTable[] {
  const byName = new Map(tables.map((t) => [t.name, t]))
  const done = new Set<string>()
  const visiting = new Set<string>()
  const out: CopyTable[] = []
  const visit = (t: CopyTable): void => {
    if (done.has(t.name)) return
    if (visiting.has(t.name))
      throw new Error(`the tables refer to each other in a cycle through ${t.name}`)
    visiting.add(t.name)
    for (const r of t.refers) {
      const referred = byName.get(r)
      if (referred !== undefined) visit(referred)
    }
    visiting.delete(t.name)
    done.add(t.name)
    out.push(t)
  }
  for (const t of [...tables].sort((a, b) => a.name.localeCompare(b.name))) visit(t)
  return out
}

/** The highest id a table's sequence has handed out (deleted rows included), or 0. */
export async function sequenceTop(store: Store, tx: Tx, table: string): Promise<number> {
  if (store.kind === 'sqlite') {
    const r = await rows<{ seq: number }>(tx, `select seq from sqlite_sequence where name = ?`, [
      table,
    ])
    return Number(r[0]?.seq ?? 0)
  }
  const seq = await rows<{ seq: string }>(tx, `select pg_get_serial_sequence($1, 'id') as seq`, [
    `"${table.replaceAll('"', '""')}"`,
  ])
  const name = seq[0]?.seq
  if (name === undefined) return 0
  // sequence names come from the catalogue and are already quoted where needed
  const r = await rows<{ last_value: string; is_called: boolean }>(
    tx,
    `select last_value, is_called from ${name}`,
  )
  const row = r[0]
  return row === undefined ? 0 : row.is_called ? Number(row.last_value) : Number(row.last_value) - 1
}

/**
 * Sets a table's sequence so that the next generated id is above `top` (the largest id copied,
 * or the source's own high-water mark if higher): an id the source ever handed out is never
 * reused on the target.
 */
export async function setSequence(store: Store, tx: Tx, table: string, top: number): Promise<void> {
  if (store.kind === 'sqlite') {
    // inserting explicit ids already raised sqlite_sequence to the largest id; raise it further
    const current = await sequenceTop(store, tx, table)
    if (top <= current) return
    const updated = await tx.executeQuery(
      CompiledQuery.raw(`update sqlite_sequence set seq = ? where name = ?`, [top, table]),
    )
    if (Number(updated.numAffectedRows ?? 0) === 0)
      await tx.executeQuery(
        CompiledQuery.raw(`insert into sqlite_sequence (name, seq) values (?, ?)`, [table, top]),
      )
    return
  }
  const rel = `"${table.replaceAll('"', '""')}"`
  await tx.executeQuery(
    top > 0
      ? CompiledQuery.raw(`select setval(pg_get_serial_sequence($1, 'id'), $2, true)`, [rel, top])
      : CompiledQuery.raw(`select setval(pg_get_serial_sequence($1, 'id'), 1, false)`, [rel]),
  )
}
