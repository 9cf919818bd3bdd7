import type { Kysely, Migration } from 'kysely'
import type { StoreKind } from '../store.ts'

/**
 * Boxes drawn by a reader (VinDr-CXR's radiologists, issue #12): the dataset's `box` rows are
 * every box of its files, these say whose each is, so a reader's boxes stay theirs. Portable SQL.
 */
export function readerBoxes(kind: StoreKind): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const real = kind === 'postgres' ? 'double precision' : 'real'
      await db.schema
        .createTable('reader_box')
        .addColumn('id', kind === 'postgres' ? 'serial' : 'integer', (c) =>
          kind === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('reader_id', 'integer', (c) => c.notNull().references('reader.id'))
        .addColumn('image_id', 'integer', (c) => c.notNull().references('image.id'))
        .addColumn('finding_id', 'integer', (c) => c.notNull().references('finding.id'))
        .addColumn('x', real, (c) => c.notNull())
        .addColumn('y', real, (c) => c.notNull())
        .addColumn('w', real, (c) => c.notNull())
        .addColumn('h', real, (c) => c.notNull())
        .execute()
      await db.schema.createIndex('reader_box_image').on('reader_box').column('image_id').execute()
    },
  }
}
