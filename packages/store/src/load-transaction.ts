import { sql, type Kysely } from 'kysely'
import type { Schema } from './schema.ts'
import type { Store, Tx } from './store.ts'

/**
 * One transaction for a bulk load whose every reference points at rows the same transaction
 * wrote, or took from the dataset it made (a new dataset streamed in): on SQLite with the
 * foreign-key checks off for its length, about a tenth of such an import (decision 047). The
 * tests compare what it writes with the checked path. PostgreSQL checks as always. The pragma
 * does nothing inside a transaction, so it is set on the reserved connection just before.
 *
 * When no other connection has the SQLite file open, the load also runs in rollback-journal
 * mode (decision 051): its pages are written once, into the file, instead of into the
 * write-ahead log and again by the checkpoint.
 * WAL mode comes back after it; while it runs, others wait for it as for any writer.
 */
export async function loadTransaction<T>(store: Store, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (store.kind !== 'sqlite') return store.db.transaction().execute(fn)
  return store.db.connection().execute(async (conn) => {
    await sql`pragma foreign_keys = off`.execute(conn)
    const journal = await rollbackJournal(conn)
    try {
      return await conn.transaction().execute((tx) => {
        loads.add(tx)
        return fn(tx)
      })
    } finally {
      await sql`pragma foreign_keys = on`.execute(conn)
      if (journal) await backToWal(conn)
    }
  })
}

type Conn = Kysely<Schema>

/** The transactions loadTransaction runs: a failed statement in one fails the whole load. */
const loads = new WeakSet<Tx>()

/**
 * Whether `tx` is a load: its bulk inserts then need not undo their own rows when they fail
 * (SQLite's `or fail`), since the whole transaction is rolled back. That spares SQLite a
 * statement journal per multi-row insert (decision 053).
 */
export const isLoadTransaction = (tx: Tx): boolean => loads.has(tx)

/**
 * The page cache of a load: 8 MiB. The rows of a new dataset go to the right-hand end of each
 * tree, so a page once full is not touched again and can be written out as the load goes: a
 * cache that held everything (1 GiB, decision 051) cost a fresh page of memory, and a page
 * fault, per page written (about 15% of a CheXpert import's time, decision 053).
 */
const LOAD_CACHE_KIB = 8192

/** Switches to a rollback journal if no other connection has the file open; whether it did. */
async function rollbackJournal(conn: Conn): Promise<boolean> {
  const mode = async (m: 'delete'): Promise<string> =>
    (await sql.raw<{ journal_mode: string }>(`pragma journal_mode = ${m}`).execute(conn)).rows[0]
      ?.journal_mode ?? ''
  // leaving WAL needs the file to ourselves: ask without waiting, and keep WAL if it is shared
  await sql`pragma busy_timeout = 0`.execute(conn)
  let switched = false
  try {
    switched = (await mode('delete')) === 'delete'
  } catch {
    switched = false
  } finally {
    await sql`pragma busy_timeout = 5000`.execute(conn)
  }
  if (switched) await sql.raw(`pragma cache_size = -${LOAD_CACHE_KIB}`).execute(conn)
  return switched
}

/** WAL mode and the usual page cache again. */
async function backToWal(conn: Conn): Promise<void> {
  await sql`pragma cache_size = -2000`.execute(conn)
  // another connection that opened the file meanwhile may hold it: it waits, as any writer
  // would; if it is still held, the next open of the file sets WAL mode (openSqlite)
  try {
    await sql`pragma journal_mode = wal`.execute(conn)
  } catch {
    // the file works in either mode
  }
}
