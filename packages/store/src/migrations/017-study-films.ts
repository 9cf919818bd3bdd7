import type { Kysely, Migration } from 'kysely'
import type { StoreKind } from '../store.ts'

/**
 * The films of a study item (issue #12): a study-keyed dataset's item is a study, shown on the
 * contact sheet with its films together, frontal first [DS26]. `position` 0 is the film the
 * item's own path points to. Portable SQL only.
 */
export function studyFilms(kind: StoreKind): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('study_film')
        .addColumn('id', kind === 'postgres' ? 'serial' : 'integer', (c) =>
          kind === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('image_id', 'integer', (c) =>
          c.notNull().references('image.id').onDelete('cascade'),
        )
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('view', 'text', (c) => c.notNull())
        .addColumn('path', 'text', (c) => c.notNull())
        .addUniqueConstraint('study_film_position', ['image_id', 'position'])
        .execute()
    },
  }
}
