import type { SelectQueryBuilder } from 'kysely'
import { wb, type WorkbenchSchema } from './audit-schema.ts'
import type { Schema } from './schema.ts'
import type { Db, Tx } from './store.ts'

/** Which verdict events count: those of these readers, findings, images, or of one audit. */
export interface VerdictEventFilter {
  readonly readerIds?: readonly number[] | undefined
  readonly findingIds?: readonly number[] | undefined
  readonly imageIds?: readonly number[] | undefined
  readonly auditId?: number | undefined
}

/** Which tag events count: those of these readers or images, or of one tag. */
export interface TagEventFilter {
  readonly readerIds?: readonly number[] | undefined
  readonly imageIds?: readonly number[] | undefined
  readonly tag?: string | undefined
}

/** The latest verdict events, as `e` (with the workbench's `implied` column). */
export type LatestVerdictEvents = SelectQueryBuilder<
  WorkbenchSchema & { e: WorkbenchSchema['verdict_event'] },
  'e',
  object
>
/** The latest tag events, as `e`. */
export type LatestTagEvents = SelectQueryBuilder<Schema & { e: Schema['tag_event'] }, 'e', object>

/**
 * The current state of what readers did: the latest event (highest id) per key of an
 * append-only event table, per (reader, image, finding) for verdicts and per (reader, image,
 * tag) for tags. `filter` narrows the events before "latest" is decided (an audit's verdicts
 * only, one reader's, ...). Returns the events as `e` to select from, narrow or join; a
 * withdrawn verdict (`verdict` null) or a tag switched off (`on` 0) is still the latest event,
 * for the caller to leave out.
 */
export function latestEvents(
  db: Db | Tx,
  table: 'verdict_event',
  filter?: VerdictEventFilter,
): LatestVerdictEvents
export function latestEvents(
  db: Db | Tx,
  table: 'tag_event',
  filter?: TagEventFilter,
): LatestTagEvents
export function latestEvents(
  db: Db | Tx,
  table: 'verdict_event' | 'tag_event',
  filter: VerdictEventFilter & TagEventFilter = {},
): LatestVerdictEvents | LatestTagEvents {
  const w = wb(db)
  if (table === 'verdict_event') {
    let ids = w
      .selectFrom('verdict_event')
      .select((e) => e.fn.max('id').as('last'))
      .groupBy(['reader_id', 'image_id', 'finding_id'])
    if (filter.readerIds !== undefined) ids = ids.where('reader_id', 'in', some(filter.readerIds))
    if (filter.imageIds !== undefined) ids = ids.where('image_id', 'in', some(filter.imageIds))
    if (filter.findingIds !== undefined)
      ids = ids.where('finding_id', 'in', some(filter.findingIds))
    if (filter.auditId !== undefined) ids = ids.where('audit_id', '=', filter.auditId)
    return w
      .selectFrom('verdict_event as e')
      .innerJoin(ids.as('l'), 'l.last', 'e.id') as unknown as LatestVerdictEvents
  }
  let ids = db
    .selectFrom('tag_event')
    .select((e) => e.fn.max('id').as('last'))
    .groupBy(['reader_id', 'image_id', 'tag'])
  if (filter.readerIds !== undefined) ids = ids.where('reader_id', 'in', some(filter.readerIds))
  if (filter.imageIds !== undefined) ids = ids.where('image_id', 'in', some(filter.imageIds))
  if (filter.tag !== undefined) ids = ids.where('tag', '=', filter.tag)
  return db
    .selectFrom('tag_event as e')
    .innerJoin(ids.as('l'), 'l.last', 'e.id') as unknown as LatestTagEvents
}

// `in ()` is invalid SQL: an impossible id keeps the query valid and empty
const some = (ids: readonly number[]): number[] => (ids.length === 0 ? [-1] : [...ids])
