import type { Kysely, Migration } from 'kysely'
import type { StoreKind } from '../store.ts'

/**
 * Datasets beyond ChestX-ray14 (issue #12): the study of each item (CheXpert, MIMIC), whether
 * a dataset's items are films or studies, and findings of different datasets declared the same
 * (by dataset and finding name, so a declaration may precede either import). Portable SQL only.
 */
export function datasets(kind: StoreKind): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('image').addColumn('study', 'text').execute()
      await db.schema
        .alterTable('dataset')
        .addColumn('item_kind', 'text', (c) => c.notNull().defaultTo('film'))
        .execute()
      await db.schema
        .createTable('finding_same')
        .addColumn('id', kind === 'postgres' ? 'serial' : 'integer', (c) =>
          kind === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('a_dataset', 'text', (c) => c.notNull())
        .addColumn('a_finding', 'text', (c) => c.notNull())
        .addColumn('b_dataset', 'text', (c) => c.notNull())
        .addColumn('b_finding', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('finding_same_pair', [
          'a_dataset',
          'a_finding',
          'b_dataset',
          'b_finding',
        ])
        .execute()
    },
  }
}
