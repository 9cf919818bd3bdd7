import { sql, type Kysely, type Migration } from 'kysely'
import type { StoreKind } from '../store.ts'

/** Pixel facts that the inverted-photometry check needs beyond the initial image columns. */
export function imaging(kind: StoreKind): Migration {
  const real = kind === 'postgres' ? sql`double precision` : sql`real`
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      // the file's own size: the metadata's width and height are the original DICOM's
      await db.schema.alterTable('image').addColumn('pixel_width', 'integer').execute()
      await db.schema.alterTable('image').addColumn('pixel_height', 'integer').execute()
      await db.schema.alterTable('image').addColumn('photometric', 'text').execute()
      await db.schema.alterTable('image').addColumn('lung_mean', real).execute()
      await db.schema.alterTable('image').addColumn('mediastinum_mean', real).execute()
      await db.schema.alterTable('image').addColumn('looks_inverted', 'integer').execute()
      await db.schema.alterTable('image').addColumn('facts_at', 'text').execute()
    },
  }
}
