import type { Kysely, Migration } from 'kysely'
import type { StoreKind } from '../store.ts'

/**
 * The workbench area: verdicts implied by finishing a page are marked as such (the reader left
 * the image unmarked), and indexes for the sheet and progress queries. Portable SQL only.
 */
export function workbench(_kind: StoreKind): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('verdict_event')
        .addColumn('implied', 'integer', (c) => c.notNull().defaultTo(0))
        .execute()
      await db.schema
        .createIndex('verdict_audit')
        .on('verdict_event')
        .columns(['audit_id', 'reader_id', 'finding_id', 'image_id', 'id'])
        .execute()
      await db.schema
        .createIndex('audit_item_finding')
        .on('audit_item')
        .columns(['audit_id', 'finding_id', 'position'])
        .execute()
      await db.schema
        .createIndex('tag_image')
        .on('tag_event')
        .columns(['image_id', 'reader_id', 'tag', 'id'])
        .execute()
    },
  }
}
