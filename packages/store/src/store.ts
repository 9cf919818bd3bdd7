import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely'
import type Database from 'better-sqlite3'
import type { Schema } from './schema.ts'
import { migrations } from './migrations/index.ts'
import { postgresBulk, sqliteBulk, type Bulk } from './bulk.ts'
import { registerSqlite } from './fast-reads.ts'

export type StoreKind = 'sqlite' | 'postgres'
export type Db = Kysely<Schema>
export type Tx = Transaction<Schema>

/** An open database: Kysely for queries, plus a fast path for bulk inserts. */
export interface Store {
  readonly kind: StoreKind
  readonly url: string
  readonly db: Db
  /** Inserts many rows in chunks inside the given transaction (raw prepared statements on SQLite). */
  bulkInsert<T extends keyof Schema & string>(
    tx: Tx,
    table: T,
    columns: readonly string[],
    rows: readonly unknown[][],
  ): Promise<void>
  /** The bulk paths: column-wise inserts, key deletes, array reads, id reservation. */
  readonly bulk: Bulk
  close(): Promise<void>
}

export class StoreError extends Error {
  override readonly name = 'StoreError'
}

/** The database a `--db` names: a `postgres://` (or `postgresql://`) URL, else a SQLite file. */
export const storeKindOf = (url: string): StoreKind =>
  /^postgres(ql)?:\/\//.test(url) ? 'postgres' : 'sqlite'

/** Opens (and migrates) a SQLite file or a `postgres://` database. */
export async function openStore(url: string): Promise<Store> {
  const kind = storeKindOf(url)
  // each driver loads only when its kind of database is opened (pg alone takes ~70 ms to load)
  if (kind === 'postgres') {
    const store = await openPostgres(url)
    await migrate(store)
    return store
  }
  const { store, raw } = await openSqlite(url)
  // a new file gets its whole schema in one transaction: one write of the schema rather than
  // one per statement (about half the time of opening a new file), and a failed migration
  // leaves the file empty rather than half made
  const fresh = raw.prepare('select count(*) from sqlite_schema').pluck().get() === 0
  if (!fresh) {
    await migrate(store)
    return store
  }
  raw.exec('begin')
  try {
    await migrate(store)
    raw.exec('commit')
  } catch (e) {
    if (raw.inTransaction) raw.exec('rollback')
    throw e
  }
  return store
}

async function openSqlite(file: string): Promise<{ store: Store; raw: Database.Database }> {
  const { default: Sqlite } = await import('better-sqlite3')
  let raw: Database.Database
  try {
    raw = new Sqlite(file)
  } catch (e) {
    throw new StoreError(`cannot open the database ${file}: ${(e as Error).message}`)
  }
  raw.pragma('journal_mode = WAL')
  raw.pragma('synchronous = NORMAL')
  raw.pragma('foreign_keys = ON')
  raw.pragma('busy_timeout = 5000')
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: raw }) })
  registerSqlite(db, raw)
  const bulk = sqliteBulk(raw)
  const store: Store = {
    kind: 'sqlite',
    url: file,
    db,
    bulk,
    bulkInsert: (tx, table, columns, rows) => bulk.insert(tx, table, columns, rows),
    async close() {
      await db.destroy()
    },
  }
  return { store, raw }
}

async function openPostgres(url: string): Promise<Store> {
  const { default: pg } = await import('pg')
  const pool = new pg.Pool({ connectionString: url, max: 4 })
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) })
  const bulk = postgresBulk()
  return {
    kind: 'postgres',
    url,
    db,
    bulk,
    bulkInsert: (tx, table, columns, rows) => bulk.insert(tx, table, columns, rows),
    async close() {
      await db.destroy()
    },
  }
}

async function migrate(store: Store): Promise<void> {
  const all = migrations(store.kind)
  if (await upToDate(store.db, Object.keys(all))) return
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: async () => all },
  })
  const { error } = await migrator.migrateToLatest()
  if (error !== undefined) {
    throw new StoreError(`cannot migrate the database ${store.url}: ${(error as Error).message}`)
  }
}

/**
 * Whether the database has run exactly our migrations: then the Migrator would do nothing, and
 * one query stands in for its table introspection, lock and locale-aware sort, which every
 * command would pay on opening (~25 ms; docs/decisions/045). Anything else (a new database, a
 * migration to run, one we do not know) goes to the Migrator, which does or refuses it.
 */
async function upToDate(db: Db, names: readonly string[]): Promise<boolean> {
  let done: Set<string>
  try {
    const r = await sql<{ name: string }>`select name from kysely_migration`.execute(db)
    done = new Set(r.rows.map((row) => row.name))
  } catch {
    return false // no migration table yet
  }
  return done.size === names.length && names.every((n) => done.has(n))
}

/** The database's own version (`sqlite 3.46.1`, `postgres PostgreSQL 15.8 ...`), or its kind. */
export async function databaseVersion(store: Store): Promise<string> {
  try {
    const q =
      store.kind === 'sqlite'
        ? sql<{ v: string }>`select sqlite_version() as v`
        : sql<{ v: string }>`select version() as v`
    const r = await q.execute(store.db)
    return `${store.kind} ${r.rows[0]?.v ?? ''}`.trim()
  } catch {
    // the version is a courtesy: a database that will not say is still named
    return store.kind
  }
}

export const now = (): string => new Date().toISOString()
