import type { Kysely, Migration } from 'kysely'
import type { StoreKind } from '../store.ts'

/**
 * The labels area: one row per expert-label file imported for a reader (the file, its SHA-256,
 * how its columns were mapped and which matched nothing), so that the report can say where
 * every imported verdict came from and which findings of the file have no counterpart in the
 * dataset. Portable SQL only.
 */
export function labels(kind: StoreKind): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('label_import')
        .addColumn('id', kind === 'postgres' ? 'serial' : 'integer', (c) =>
          kind === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('dataset_id', 'integer', (c) => c.notNull().references('dataset.id'))
        .addColumn('reader_id', 'integer', (c) => c.notNull().references('reader.id'))
        .addColumn('file', 'text', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('mapped', 'text', (c) => c.notNull())
        .addColumn('ignored', 'text', (c) => c.notNull())
        .addColumn('unmatched', 'text', (c) => c.notNull())
        .addColumn('images', 'integer', (c) => c.notNull())
        .addColumn('verdicts', 'integer', (c) => c.notNull())
        .addColumn('unknown_images', 'integer', (c) => c.notNull())
        .addColumn('imported_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('label_import_reader_file', ['reader_id', 'sha256'])
        .execute()
    },
  }
}
