import type { Generated, Kysely, Transaction } from 'kysely'
import type { Schema, VerdictEventTable } from './schema.ts'
import type { Db, Tx } from './store.ts'

/** The schema with the columns that migration 002-workbench adds. */
export interface WorkbenchSchema extends Omit<Schema, 'verdict_event'> {
  verdict_event: VerdictEventTable & { implied: Generated<number> }
}

/** The same connection, typed with the workbench columns. */
export const wb = (db: Db | Tx): Kysely<WorkbenchSchema> | Transaction<WorkbenchSchema> =>
  db as unknown as Kysely<WorkbenchSchema>
