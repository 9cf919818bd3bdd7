import type { Verdict } from '@cxr-audit/core'
import { latestEvents, type TagEventFilter, type VerdictEventFilter } from './latest-events.ts'
import type { Db, Store, Tx } from './store.ts'

/** One verdict change as sent by a client or an import; `verdict: null` withdraws (undo). */
export interface VerdictEventInput {
  readonly clientEventId: string
  readonly readerId: number
  readonly auditId: number | null
  readonly imageId: number
  readonly findingId: number
  readonly verdict: Verdict | null
  readonly createdAt: string
}

export interface TagEventInput {
  readonly clientEventId: string
  readonly readerId: number
  readonly auditId: number | null
  readonly imageId: number
  readonly tag: string
  readonly on: boolean
  readonly createdAt: string
}

/**
 * The events not stored yet: an event whose client_event_id is already stored (or repeated in
 * the batch) is a retry of the same mark and is dropped, so a client may resend until it sees
 * the acknowledgement.
 */
export async function freshEvents<E extends { readonly clientEventId: string }>(
  tx: Tx,
  table: 'verdict_event' | 'tag_event' | 'reading_event',
  events: readonly E[],
): Promise<E[]> {
  const seen = new Set<string>()
  const ids = events.map((e) => e.clientEventId)
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await tx
      .selectFrom(table)
      .select('client_event_id')
      .where('client_event_id', 'in', ids.slice(i, i + 500))
      .execute()
    for (const r of rows) seen.add(r.client_event_id)
  }
  const fresh: E[] = []
  for (const e of events) {
    if (seen.has(e.clientEventId)) continue
    seen.add(e.clientEventId)
    fresh.push(e)
  }
  return fresh
}

/** Appends verdict events, ignoring retries. Returns how many were new. */
export async function appendVerdictEvents(
  store: Store,
  tx: Tx,
  events: readonly VerdictEventInput[],
): Promise<number> {
  const fresh = await freshEvents(tx, 'verdict_event', events)
  await store.bulkInsert(
    tx,
    'verdict_event',
    ['client_event_id', 'reader_id', 'audit_id', 'image_id', 'finding_id', 'verdict', 'created_at'],
    fresh.map((e) => [
      e.clientEventId,
      e.readerId,
      e.auditId,
      e.imageId,
      e.findingId,
      e.verdict,
      e.createdAt,
    ]),
  )
  return fresh.length
}

/** Appends tag events, ignoring retries. Returns how many were new. */
export async function appendTagEvents(
  store: Store,
  tx: Tx,
  events: readonly TagEventInput[],
): Promise<number> {
  const fresh = await freshEvents(tx, 'tag_event', events)
  await store.bulkInsert(
    tx,
    'tag_event',
    ['client_event_id', 'reader_id', 'audit_id', 'image_id', 'tag', 'on', 'created_at'],
    fresh.map((e) => [
      e.clientEventId,
      e.readerId,
      e.auditId,
      e.imageId,
      e.tag,
      e.on ? 1 : 0,
      e.createdAt,
    ]),
  )
  return fresh.length
}

export interface CurrentVerdict {
  readonly readerId: number
  readonly imageId: number
  readonly findingId: number
  readonly verdict: Verdict
  readonly createdAt: string
  /** The audit the verdict was given in; null for imported labels. */
  readonly auditId: number | null
}

/**
 * The current verdicts: the latest event (highest id) per reader, image and finding, leaving
 * out withdrawn ones. Narrow by readers, findings, images or an audit's events.
 */
export async function currentVerdicts(
  db: Db | Tx,
  filter: VerdictEventFilter = {},
): Promise<CurrentVerdict[]> {
  const rows = await latestEvents(db, 'verdict_event', filter)
    .select([
      'e.reader_id',
      'e.image_id',
      'e.finding_id',
      'e.verdict',
      'e.created_at',
      'e.audit_id',
    ])
    .where('e.verdict', 'is not', null)
    .orderBy('e.id')
    .execute()
  return rows.map((r) => ({
    readerId: r.reader_id,
    imageId: r.image_id,
    findingId: r.finding_id,
    verdict: r.verdict as Verdict,
    createdAt: r.created_at,
    auditId: r.audit_id,
  }))
}

/** One stored verdict event: what a reader did, as it was done. */
export interface VerdictEventRow {
  readonly id: number
  readonly readerId: number
  readonly auditId: number | null
  readonly imageId: number
  readonly findingId: number
  /** Null: the verdict was withdrawn. */
  readonly verdict: Verdict | null
  readonly createdAt: string
}

/** Every verdict event of the images, oldest first: nothing a reader did is lost. */
export async function verdictHistory(
  db: Db | Tx,
  imageIds: readonly number[],
): Promise<VerdictEventRow[]> {
  const rows = await db
    .selectFrom('verdict_event')
    .select(['id', 'reader_id', 'audit_id', 'image_id', 'finding_id', 'verdict', 'created_at'])
    .where('image_id', 'in', imageIds.length === 0 ? [-1] : [...imageIds])
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    readerId: r.reader_id,
    auditId: r.audit_id,
    imageId: r.image_id,
    findingId: r.finding_id,
    verdict: r.verdict as Verdict | null,
    createdAt: r.created_at,
  }))
}

export interface CurrentTag {
  readonly readerId: number
  readonly imageId: number
  readonly tag: string
}

/** Tags currently on: the latest tag event per reader, image and tag is `on`. */
export async function currentTags(db: Db | Tx, filter: TagEventFilter = {}): Promise<CurrentTag[]> {
  const rows = await latestEvents(db, 'tag_event', filter)
    .select(['e.reader_id', 'e.image_id', 'e.tag'])
    .where('e.on', '=', 1)
    .orderBy('e.id')
    .execute()
  return rows.map((r) => ({ readerId: r.reader_id, imageId: r.image_id, tag: r.tag }))
}
