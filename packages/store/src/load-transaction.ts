import { sql } from 'kysely'
import type { Store, Tx } from './store.ts'

/**
 * One transaction for a bulk load whose every reference points at rows the same transaction
 * wrote, or took from the dataset it made (a new dataset streamed in): on SQLite with the
 * foreign-key checks off for its length, about a tenth of such an import (decision 047). The
 * tests compare what it writes with the checked path. PostgreSQL checks as always. The pragma
 * does nothing inside a transaction, so it is set on the reserved connection just before.
 */
export async function loadTransaction<T>(store: Store, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (store.kind !== 'sqlite') return store.db.transaction().execute(fn)
  return store.db.connection().execute(async (conn) => {
    await sql`pragma foreign_keys = off`.execute(conn)
    try {
      return await conn.transaction().execute(fn)
    } finally {
      await sql`pragma foreign_keys = on`.execute(conn)
    }
  })
}
