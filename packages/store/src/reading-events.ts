import { isWindowPreset, type WindowPreset } from '@cxr-audit/core'
import { now, type Db, type Store } from './store.ts'
import { freshEvents } from './verdicts.ts'

/**
 * What the workbench saw a reader do besides marking [W35]: a contact-sheet page shown, a film
 * opened in the full-resolution viewer, a window preset applied. Append-only (decision 035).
 */
export type ReadingEvent =
  | {
      readonly kind: 'sheet'
      readonly clientEventId: string
      readonly auditId: number
      readonly findingId: number
      /** The page index, from 0. */
      readonly page: number
    }
  | {
      readonly kind: 'viewer'
      readonly clientEventId: string
      readonly auditId: number
      readonly imageId: number
    }
  | {
      readonly kind: 'preset'
      readonly clientEventId: string
      readonly auditId: number
      readonly imageId: number
      readonly preset: WindowPreset
    }

export interface ReadingEventRejection {
  readonly clientEventId: string
  readonly reason: string
}

/** Why each event of a batch cannot be stored: an audit, finding or image outside the audit. */
export async function checkReadingEvents(
  db: Db,
  events: readonly ReadingEvent[],
): Promise<ReadingEventRejection[]> {
  const auditIds = [...new Set(events.map((e) => e.auditId))]
  const audits = new Set<number>()
  const images = new Set<string>()
  const findings = new Set<string>()
  for (const auditId of auditIds) {
    const a = await db.selectFrom('audit').select('id').where('id', '=', auditId).executeTakeFirst()
    if (a === undefined) continue
    audits.add(auditId)
    const ids = [
      ...new Set(
        events.flatMap((e) => (e.auditId === auditId && e.kind !== 'sheet' ? [e.imageId] : [])),
      ),
    ]
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await db
        .selectFrom('audit_item')
        .select('image_id')
        .distinct()
        .where('audit_id', '=', auditId)
        .where('image_id', 'in', ids.slice(i, i + 500))
        .execute()
      for (const r of rows) images.add(`${auditId}:${r.image_id}`)
    }
    const rows = await db
      .selectFrom('audit_item')
      .select('finding_id')
      .distinct()
      .where('audit_id', '=', auditId)
      .execute()
    for (const r of rows) findings.add(`${auditId}:${r.finding_id}`)
  }
  const out: ReadingEventRejection[] = []
  for (const e of events) {
    const reject = (reason: string): void =>
      void out.push({ clientEventId: e.clientEventId, reason })
    if (!audits.has(e.auditId)) reject(`no audit ${e.auditId}`)
    else if (e.kind === 'sheet') {
      if (!findings.has(`${e.auditId}:${e.findingId}`))
        reject(`finding ${e.findingId} is not in audit ${e.auditId}`)
    } else if (!images.has(`${e.auditId}:${e.imageId}`))
      reject(`image ${e.imageId} is not in audit ${e.auditId}`)
    else if (e.kind === 'preset' && !isWindowPreset(e.preset))
      reject(`"${String(e.preset)}" is not a window preset`)
  }
  return out
}

/**
 * Stores a checked batch of one reader's reading events in one transaction; a retried
 * clientEventId is stored once. Returns how many were new.
 */
export async function recordReadingEvents(
  store: Store,
  readerId: number,
  events: readonly ReadingEvent[],
): Promise<{ stored: number; duplicates: number }> {
  const at = now()
  const stored = await store.db.transaction().execute(async (tx) => {
    const fresh = await freshEvents(tx, 'reading_event', events)
    await store.bulkInsert(
      tx,
      'reading_event',
      [
        'client_event_id',
        'reader_id',
        'audit_id',
        'kind',
        'image_id',
        'finding_id',
        'page',
        'preset',
        'created_at',
      ],
      fresh.map((e) => [
        e.clientEventId,
        readerId,
        e.auditId,
        e.kind,
        e.kind === 'sheet' ? null : e.imageId,
        e.kind === 'sheet' ? e.findingId : null,
        e.kind === 'sheet' ? e.page : null,
        e.kind === 'preset' ? e.preset : null,
        at,
      ]),
    )
    return fresh.length
  })
  return { stored, duplicates: events.length - stored }
}
