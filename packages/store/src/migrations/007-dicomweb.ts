import type { Kysely, Migration } from 'kysely'
import type { StoreKind } from '../store.ts'

/**
 * The DICOM area: per image of a DICOM dataset, where it lives in its archive (study, series,
 * SOP class) and whether it was de-identified, for `export sr` and the privacy marks [D5].
 * Patient names are never stored. Portable SQL only.
 */
export function dicomweb(_kind: StoreKind): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('dicom_instance')
        .addColumn('image_id', 'integer', (c) => c.primaryKey().references('image.id'))
        .addColumn('study_uid', 'text', (c) => c.notNull())
        .addColumn('series_uid', 'text', (c) => c.notNull())
        .addColumn('sop_class_uid', 'text', (c) => c.notNull())
        .addColumn('modality', 'text', (c) => c.notNull())
        .addColumn('study_date', 'text')
        /** Patient Identity Removed: 1 YES, 0 anything else, null absent. */
        .addColumn('identity_removed', 'integer')
        /** Burned In Annotation as written: YES, NO or null. */
        .addColumn('burned_in', 'text')
        .execute()
      await db.schema
        .createIndex('dicom_instance_study')
        .on('dicom_instance')
        .column('study_uid')
        .execute()
    },
  }
}
