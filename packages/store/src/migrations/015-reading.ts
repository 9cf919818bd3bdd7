import type { Kysely, Migration } from 'kysely'
import type { StoreKind } from '../store.ts'

/**
 * Reading conditions [W35]: what the workbench saw a reader do besides marking, one append-only
 * row per event: a contact-sheet page shown (`sheet`, with finding and page), a film opened in
 * the full-resolution viewer (`viewer`), a window preset applied (`preset`). Nothing updates or
 * deletes a row; a retried client_event_id is stored once (decision 035).
 */
export function reading(kind: StoreKind): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('reading_event')
        .addColumn('id', kind === 'postgres' ? 'serial' : 'integer', (c) =>
          kind === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('client_event_id', 'text', (c) => c.notNull().unique())
        .addColumn('reader_id', 'integer', (c) => c.notNull().references('reader.id'))
        .addColumn('audit_id', 'integer', (c) => c.notNull().references('audit.id'))
        /** `sheet`, `viewer` or `preset`. */
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('image_id', 'integer', (c) => c.references('image.id'))
        .addColumn('finding_id', 'integer', (c) => c.references('finding.id'))
        .addColumn('page', 'integer')
        .addColumn('preset', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('reading_audit')
        .on('reading_event')
        .columns(['audit_id', 'reader_id', 'id'])
        .execute()
    },
  }
}
