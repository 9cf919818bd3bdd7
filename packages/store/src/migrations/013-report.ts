import type { Kysely, Migration } from 'kysely'
import type { StoreKind } from '../store.ts'

/**
 * The report area: the files a dataset was imported from, with their SHA-256, so the report's
 * methods and its re-check bundle can name the exact version of the data [R4]. One row per
 * (dataset, role); a later import of the same role replaces it.
 */
export function report(_kind: StoreKind): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('source_file')
        .addColumn('dataset_id', 'integer', (c) => c.notNull().references('dataset.id'))
        /** `metadata`, `bbox`, `trainList`, `testList`. */
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('bytes', 'bigint', (c) => c.notNull())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('source_file_pk', ['dataset_id', 'role'])
        .execute()
    },
  }
}
