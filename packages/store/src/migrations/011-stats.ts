import { sql, type Kysely, type Migration } from 'kysely'
import type { StoreKind } from '../store.ts'

/**
 * Statistics that survive peer review (#11). `No Finding` becomes a labelled finding of every
 * ChestX-ray14 dataset imported before it was one: positive where the `Finding Labels` cell
 * names it, placed after the other findings (as a fresh import places it). Portable SQL only.
 */
export function stats(_kind: StoreKind): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql`
        insert into finding (dataset_id, name, derived_from, position)
        select d.id, 'No Finding', null,
          (select coalesce(max(f.position), -1) + 1 from finding f where f.dataset_id = d.id)
        from dataset d
        where d.source_format = 'cxr14'
          and not exists (select 1 from finding f where f.dataset_id = d.id and f.name = 'No Finding')
      `.execute(db)
      await sql`
        insert into label (image_id, finding_id, value)
        select i.id, f.id, 1
        from image i
        join finding f on f.dataset_id = i.dataset_id and f.name = 'No Finding'
        where (i.raw_labels = 'No Finding' or i.raw_labels like 'No Finding|%'
            or i.raw_labels like '%|No Finding' or i.raw_labels like '%|No Finding|%')
          and not exists (select 1 from label l where l.image_id = i.id and l.finding_id = f.id)
      `.execute(db)
    },
  }
}
