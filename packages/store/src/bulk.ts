import { CompiledQuery, type Compilable } from 'kysely'
import type Database from 'better-sqlite3'
import { isLoadTransaction } from './load-transaction.ts'
import type { Tx } from './store.ts'

/**
 * The bulk paths of a store: many rows in few statements, rows read back as arrays. Large
 * imports spend their time here, so each dialect gets the shape it is fastest with (measured in
 * bench/import.bench.ts): SQLite reuses 100-row prepared statements filled from one buffer;
 * PostgreSQL sends one array per column and inserts from `unnest`.
 */
export interface Bulk {
  /** Inserts rows (one array per row) inside the given transaction. */
  insert(
    tx: Tx,
    table: string,
    columns: readonly string[],
    rows: readonly (readonly unknown[])[],
  ): Promise<void>
  /** Inserts rows given column by column: `data[c][i]` is column c of row i. */
  insertColumns(
    tx: Tx,
    table: string,
    columns: readonly string[],
    data: readonly ArrayLike<unknown>[],
  ): Promise<void>
  /** Deletes the rows whose key columns equal one of the given keys (`keys[c][i]`). */
  deleteKeys(
    tx: Tx,
    table: string,
    columns: readonly string[],
    keys: readonly ArrayLike<unknown>[],
  ): Promise<void>
  /** Runs a query and returns its rows as arrays, in the order of the selected columns. */
  selectArrays(tx: Tx, query: Compilable): Promise<unknown[][]>
  /**
   * Takes `count` new ids of a table's serial `id` column, for rows the caller inserts with
   * explicit ids (no read-back of generated ids). Call it after the transaction has written.
   */
  reserveIds(tx: Tx, table: string, count: number): Promise<number[]>
}

/** SQLite allows 32766 parameters; 100-row statements are the measured sweet spot. */
const SQLITE_ROWS = 100

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`

/**
 * The SQL literal of a column whose rows all hold the same value, or null when it must be bound:
 * binding is most of an insert's cost (about 90 ns a value), and an import's columns are often
 * one value throughout (the dataset id, a split, a property the format does not have). Only
 * values whose literal stores exactly what binding would are inlined: null, integral numbers
 * (written `5.0`: better-sqlite3 binds a number as a double, and a text column stores `5.0`)
 * and short strings without NUL.
 */
function constantLiteral(column: ArrayLike<unknown>, count: number): string | null {
  if (count < 2) return null
  const v = column[0]
  const literal =
    v === null
      ? 'NULL'
      : typeof v === 'number' && Number.isSafeInteger(v) && !Object.is(v, -0)
        ? `${v}.0`
        : typeof v === 'string' && v.length <= 200 && !v.includes('\0')
          ? `'${v.replaceAll("'", "''")}'`
          : null
  if (literal === null) return null
  for (let i = 1; i < count; i++) if (column[i] !== v) return null
  return literal
}

export function sqliteBulk(raw: Database.Database): Bulk {
  const statements = new Map<string, Database.Statement>()
  const prepare = (key: string, text: () => string): Database.Statement => {
    let s = statements.get(key)
    if (s === undefined) {
      s = raw.prepare(text())
      statements.set(key, s)
    }
    return s
  }
  /**
   * Runs `head` + n tuples per chunk, `fill` writing rows [start, start + n) into one buffer.
   * `cells` is one tuple's cells: `?` for a bound value, or a literal.
   */
  const chunked = (
    key: string,
    head: string,
    cells: readonly string[],
    count: number,
    fill: (buffer: unknown[], start: number, n: number) => void,
  ): void => {
    if (count === 0) return
    const width = cells.filter((c) => c === '?').length
    const per = Math.max(1, Math.min(SQLITE_ROWS, Math.floor(32000 / Math.max(1, width))))
    const tuple = `(${cells.join(',')})`
    const statement = (n: number): Database.Statement =>
      prepare(`${key}:${n}`, () => head + new Array<string>(n).fill(tuple).join(','))
    let buffer = new Array<unknown>(per * width)
    for (let start = 0; start < count; start += per) {
      const n = Math.min(per, count - start)
      if (n < per) buffer = new Array<unknown>(n * width)
      fill(buffer, start, n)
      statement(n).run(buffer)
    }
  }
  // in a load, a failed insert fails the whole transaction: `or fail` keeps the rows it wrote
  // before the failure instead of undoing them, so SQLite keeps no statement journal of the
  // pages each 100-row statement changes (decision 053). The head is also the statements' key.
  const insertHead = (tx: Tx, table: string, columns: readonly string[]): string =>
    `insert${isLoadTransaction(tx) ? ' or fail' : ''} into ${quote(table)} (${columns.map(quote).join(',')}) values `
  return {
    async insert(tx, table, columns, rows) {
      const head = insertHead(tx, table, columns)
      chunked(
        head,
        head,
        columns.map(() => '?'),
        rows.length,
        (buffer, start, n) => {
          const width = columns.length
          for (let j = 0; j < n; j++) {
            const row = rows[start + j]!
            for (let c = 0; c < width; c++) buffer[j * width + c] = row[c]
          }
        },
      )
    },
    async insertColumns(tx, table, columns, data) {
      const count = data[0]?.length ?? 0
      // columns of one value are written into the statement, the others bound
      const literals = data.map((column) => constantLiteral(column, count))
      const bound = data.filter((_, c) => literals[c] === null)
      const tuple = literals.map((l) => l ?? '?')
      const head = insertHead(tx, table, columns)
      chunked(`${head}:${tuple.join(',')}`, head, tuple, count, (buffer, start, n) => {
        const width = bound.length
        for (let c = 0; c < width; c++) {
          const column = bound[c]!
          for (let j = 0; j < n; j++) buffer[j * width + c] = column[start + j]
        }
      })
    },
    async deleteKeys(_tx, table, columns, keys) {
      // one indexed delete per key: cheaper in SQLite than any statement over many keys
      const s = prepare(
        `d:${table}:${columns.join(',')}`,
        () =>
          `delete from ${quote(table)} where ${columns.map((c) => `${quote(c)} = ?`).join(' and ')}`,
      )
      const args = new Array<unknown>(columns.length)
      const count = keys[0]?.length ?? 0
      for (let i = 0; i < count; i++) {
        for (let c = 0; c < columns.length; c++) args[c] = keys[c]![i]
        s.run(args)
      }
    },
    async selectArrays(tx, query) {
      const q = query.compile()
      return raw
        .prepare(q.sql)
        .raw(true)
        .all(...(q.parameters as unknown[])) as unknown[][]
    },
    async reserveIds(_tx, table, count) {
      // AUTOINCREMENT never reuses an id: start above both the sequence and the largest id
      const row = prepare(
        `r:${table}`,
        () =>
          `select max(coalesce((select seq from sqlite_sequence where name = ?), 0), coalesce((select max(id) from ${quote(table)}), 0)) as top`,
      ).get(table) as { top: number }
      return Array.from({ length: count }, (_, i) => row.top + 1 + i)
    },
  }
}

/** Rows per statement on PostgreSQL: arrays have no parameter limit; this bounds message size. */
const POSTGRES_ROWS = 50_000

export function postgresBulk(): Bulk {
  const types = new Map<string, Map<string, string>>()
  /** Column name -> SQL type, for casting the parameter arrays (`$1::int4[]`). */
  const columnTypes = async (tx: Tx, table: string): Promise<Map<string, string>> => {
    let t = types.get(table)
    if (t === undefined) {
      const r = await tx.executeQuery<{ name: string; type: string }>(
        CompiledQuery.raw(
          `select attname as name, format_type(atttypid, atttypmod) as type from pg_attribute
           where attrelid = $1::regclass and attnum > 0 and not attisdropped`,
          [quote(table)],
        ),
      )
      t = new Map(r.rows.map((c) => [c.name, c.type]))
      // temporary tables come and go within a transaction: only remember real ones
      if (!table.endsWith('_update')) types.set(table, t)
    }
    return t
  }
  const unnest = async (tx: Tx, table: string, columns: readonly string[]): Promise<string> => {
    const t = await columnTypes(tx, table)
    return `unnest(${columns
      .map((c, k) => {
        const type = t.get(c)
        if (type === undefined) throw new Error(`no column ${c} in ${table}`)
        return `$${k + 1}::${type}[]`
      })
      .join(',')})`
  }
  const slices = (data: readonly ArrayLike<unknown>[], start: number, end: number): unknown[][] =>
    data.map((col) => Array.prototype.slice.call(col, start, end) as unknown[])
  const insertColumns = async (
    tx: Tx,
    table: string,
    columns: readonly string[],
    data: readonly ArrayLike<unknown>[],
  ): Promise<void> => {
    const count = data[0]?.length ?? 0
    if (count === 0) return
    const text = `insert into ${quote(table)} (${columns.map(quote).join(',')}) select * from ${await unnest(tx, table, columns)}`
    for (let start = 0; start < count; start += POSTGRES_ROWS) {
      const end = Math.min(count, start + POSTGRES_ROWS)
      await tx.executeQuery(CompiledQuery.raw(text, slices(data, start, end)))
    }
  }
  return {
    async insert(tx, table, columns, rows) {
      await insertColumns(
        tx,
        table,
        columns,
        columns.map((_, c) => rows.map((r) => r[c])),
      )
    },
    insertColumns,
    async deleteKeys(tx, table, columns, keys) {
      const count = keys[0]?.length ?? 0
      if (count === 0) return
      const names = columns.map(quote).join(',')
      const text = `delete from ${quote(table)} where (${names}) in (select * from ${await unnest(tx, table, columns)})`
      for (let start = 0; start < count; start += POSTGRES_ROWS) {
        const end = Math.min(count, start + POSTGRES_ROWS)
        await tx.executeQuery(CompiledQuery.raw(text, slices(keys, start, end)))
      }
    },
    async selectArrays(tx, query) {
      const r = await tx.executeQuery<Record<string, unknown>>(query.compile())
      return r.rows.map((row) => Object.values(row))
    },
    async reserveIds(tx, table, count) {
      if (count === 0) return []
      // the sequence is looked up once: pg_get_serial_sequence per row costs 10 us each
      const seq = await tx.executeQuery<{ seq: string }>(
        CompiledQuery.raw(`select pg_get_serial_sequence($1, 'id') as seq`, [quote(table)]),
      )
      const r = await tx.executeQuery<{ id: number }>(
        CompiledQuery.raw(`select nextval($1::regclass)::int4 as id from generate_series(1, $2)`, [
          seq.rows[0]!.seq,
          count,
        ]),
      )
      return r.rows.map((row) => row.id)
    },
  }
}
