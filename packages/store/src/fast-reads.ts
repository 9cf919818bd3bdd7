import type Database from 'better-sqlite3'
import type { Compilable } from 'kysely'
import type { Db } from './store.ts'

/** The raw connection of each open SQLite store (store.ts registers it), for the reads below. */
const sqliteOf = new WeakMap<Db, Database.Database>()

export function registerSqlite(db: Db, raw: Database.Database): void {
  sqliteOf.set(db, raw)
}

/** The aggregate the SQLite path wraps a query in: every row's values go to `sink`. */
const COLLECT = 'cxr_collect_numbers'
const ready = new WeakSet<Database.Database>()
let sink: { columns: Float64Array[]; rows: number } | null = null

function collect(_state: number, ...values: unknown[]): number {
  const s = sink!
  if (s.rows === s.columns[0]!.length) s.columns = s.columns.map(grow)
  for (let c = 0; c < s.columns.length; c++) s.columns[c]![s.rows] = values[c] as number
  s.rows++
  return 0
}

function grow(a: Float64Array): Float64Array {
  const b = new Float64Array(a.length * 2)
  b.set(a)
  return b
}

/**
 * Runs a query whose `width` selected columns are all non-null numbers and returns them one
 * Float64Array per column, in the query's row order. A large read (a model's 300,000 scores)
 * spends most of its time making a JavaScript row per result row: on a store's own SQLite
 * connection the rows go instead through an aggregate function into typed arrays, 3x faster
 * (docs/decisions/045). The query is the FROM of that aggregate, a subquery SQLite flattens:
 * the same plan, so the same row order. Elsewhere (PostgreSQL, a transaction) Kysely runs it.
 */
export async function selectNumberColumns(
  db: Db,
  query: Compilable,
  width: number,
): Promise<Float64Array[]> {
  const raw = sqliteOf.get(db)
  if (raw === undefined) {
    const { rows } = await db.executeQuery<Record<string, number>>(query.compile())
    const columns = Array.from({ length: width }, () => new Float64Array(rows.length))
    rows.forEach((row, r) => {
      let c = 0
      for (const key in row) columns[c++]![r] = row[key]!
    })
    return columns
  }
  if (!ready.has(raw)) {
    raw.aggregate(COLLECT, { start: 0, varargs: true, step: collect })
    ready.add(raw)
  }
  const q = query.compile()
  const names = raw
    .prepare(q.sql)
    .columns()
    .map((c) => `"${c.name.replaceAll('"', '""')}"`)
  if (names.length !== width || new Set(names).size !== width)
    throw new Error(
      `selectNumberColumns: want ${width} distinct columns, the query has ${names.join(', ')}`,
    )
  const statement = raw.prepare(`select ${COLLECT}(${names.join(', ')}) from (${q.sql})`)
  sink = { columns: names.map(() => new Float64Array(1024)), rows: 0 }
  try {
    statement.pluck().get(...(q.parameters as unknown[]))
    const { columns, rows } = sink
    return columns.map((c) => c.subarray(0, rows))
  } finally {
    sink = null
  }
}

/**
 * Runs a query and returns its rows as arrays, in the order of the selected columns: on a
 * store's own SQLite connection straight from better-sqlite3's raw mode, which for rows of
 * many columns costs half of making an object per row; elsewhere through Kysely.
 */
export async function selectRows(db: Db, query: Compilable): Promise<unknown[][]> {
  const raw = sqliteOf.get(db)
  const q = query.compile()
  if (raw === undefined) {
    const { rows } = await db.executeQuery<Record<string, unknown>>(q)
    return rows.map((row) => Object.values(row))
  }
  return raw
    .prepare(q.sql)
    .raw(true)
    .all(...(q.parameters as unknown[])) as unknown[][]
}
