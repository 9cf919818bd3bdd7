import { DEFAULT_TAGS, UNUSABLE_TAG, type Verdict } from '@cxr-audit/core'
import { sql } from 'kysely'
import { now, type Db, type Store } from './store.ts'
import { appendActivity, type Actor } from './activity.ts'
import { appendTagEvents, appendVerdictEvents } from './verdicts.ts'

/** A verdict change sent by the workbench; `verdict: null` withdraws (undo to unmarked). */
export interface WorkbenchVerdictEvent {
  readonly kind: 'verdict'
  readonly clientEventId: string
  readonly auditId: number
  readonly imageId: number
  readonly findingId: number
  readonly verdict: Verdict | null
  /** Set by the page-finish rule for an image the reader left unmarked [W13]. */
  readonly implied?: boolean | undefined
}

/** A tag switched on or off; `auditId` null on a dataset problem sheet. */
export interface WorkbenchTagEvent {
  readonly kind: 'tag'
  readonly clientEventId: string
  readonly auditId: number | null
  readonly imageId: number
  readonly tag: string
  readonly on: boolean
}

export type WorkbenchEvent = WorkbenchVerdictEvent | WorkbenchTagEvent

export interface EventRejection {
  readonly clientEventId: string
  readonly reason: string
}

/**
 * Why each event of a batch cannot be stored [W15]: a verdict for an image or finding outside
 * its audit, an implied verdict in a blinded audit, a tag outside the audit's set, an image of
 * no dataset. An empty list means the batch may be stored.
 */
export async function checkEvents(
  db: Db,
  events: readonly WorkbenchEvent[],
): Promise<EventRejection[]> {
  const auditIds = [...new Set(events.flatMap((e) => (e.auditId === null ? [] : [e.auditId])))]
  const audits = new Map<number, { blinded: boolean; tags: Set<string> }>()
  if (auditIds.length > 0) {
    const rows = await db
      .selectFrom('audit')
      .select(['id', 'blinded', 'tag_set'])
      .where('id', 'in', auditIds)
      .execute()
    for (const r of rows)
      audits.set(r.id, {
        blinded: r.blinded === 1,
        tags: new Set([...(JSON.parse(r.tag_set) as string[]), UNUSABLE_TAG]),
      })
  }
  const items = new Set<string>()
  const imagesInAudit = new Set<string>()
  for (const auditId of audits.keys()) {
    const ids = [...new Set(events.filter((e) => e.auditId === auditId).map((e) => e.imageId))]
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await db
        .selectFrom('audit_item')
        .select(['image_id', 'finding_id'])
        .where('audit_id', '=', auditId)
        .where('image_id', 'in', ids.slice(i, i + 500))
        .execute()
      for (const r of rows) {
        items.add(`${auditId}:${r.image_id}:${r.finding_id}`)
        imagesInAudit.add(`${auditId}:${r.image_id}`)
      }
    }
  }
  const loose = [...new Set(events.filter((e) => e.auditId === null).map((e) => e.imageId))]
  const existing = new Set<number>()
  for (let i = 0; i < loose.length; i += 500) {
    const rows = await db
      .selectFrom('image')
      .select('id')
      .where('id', 'in', loose.slice(i, i + 500))
      .execute()
    for (const r of rows) existing.add(r.id)
  }
  const looseTags = new Set([...DEFAULT_TAGS, UNUSABLE_TAG])
  const out: EventRejection[] = []
  for (const e of events) {
    const reject = (reason: string): void =>
      void out.push({ clientEventId: e.clientEventId, reason })
    if (e.auditId !== null && !audits.has(e.auditId)) {
      reject(`no audit ${e.auditId}`)
      continue
    }
    if (e.kind === 'verdict') {
      const audit = audits.get(e.auditId)!
      if (!items.has(`${e.auditId}:${e.imageId}:${e.findingId}`))
        reject(`image ${e.imageId} with finding ${e.findingId} is not in audit ${e.auditId}`)
      else if (e.implied === true && audit.blinded)
        reject('a blinded audit takes explicit verdicts only: nothing is implied')
      else if (e.implied === true && e.verdict === null)
        reject('an implied verdict cannot withdraw one')
    } else if (e.auditId !== null) {
      if (!imagesInAudit.has(`${e.auditId}:${e.imageId}`))
        reject(`image ${e.imageId} is not in audit ${e.auditId}`)
      else if (!audits.get(e.auditId)!.tags.has(e.tag))
        reject(`"${e.tag}" is not a tag of audit ${e.auditId}`)
    } else {
      if (!existing.has(e.imageId)) reject(`no image ${e.imageId}`)
      else if (!looseTags.has(e.tag)) reject(`"${e.tag}" is not one of the default tags`)
    }
  }
  return out
}

/**
 * Stores a checked batch of one reader's events in one transaction [W16]; events already stored
 * (same client_event_id: a retry) are skipped. Returns how many were new. The caller answers
 * the client only after this resolves, i.e. after the commit.
 */
export async function recordEvents(
  store: Store,
  readerId: number,
  events: readonly WorkbenchEvent[],
  /** Who sent the batch, for the activity log (written in the same transaction) [A9]. */
  by?: Actor,
): Promise<{ stored: number; duplicates: number }> {
  const at = now()
  const verdicts = events.filter((e): e is WorkbenchVerdictEvent => e.kind === 'verdict')
  const tags = events.filter((e): e is WorkbenchTagEvent => e.kind === 'tag')
  const stored = await store.db.transaction().execute(async (tx) => {
    const v = await appendVerdictEvents(
      store,
      tx,
      verdicts.map((e) => ({
        clientEventId: e.clientEventId,
        readerId,
        auditId: e.auditId,
        imageId: e.imageId,
        findingId: e.findingId,
        verdict: e.verdict,
        createdAt: at,
      })),
    )
    const implied = verdicts.filter((e) => e.implied === true).map((e) => e.clientEventId)
    for (let i = 0; i < implied.length; i += 500) {
      const ids = implied.slice(i, i + 500)
      await sql`update verdict_event set implied = 1 where reader_id = ${readerId} and client_event_id in (${sql.join(ids)})`.execute(
        tx,
      )
    }
    const t = await appendTagEvents(
      store,
      tx,
      tags.map((e) => ({
        clientEventId: e.clientEventId,
        readerId,
        auditId: e.auditId,
        imageId: e.imageId,
        tag: e.tag,
        on: e.on,
        createdAt: at,
      })),
    )
    if (by !== undefined && v + t > 0) {
      const audits = [...new Set(events.map((e) => e.auditId))]
      await appendActivity(tx, {
        actor: by.name,
        actorId: by.id,
        address: by.address,
        action: 'events',
        target: audits.map((a) => (a === null ? 'dataset' : `audit ${a}`)).join(', '),
        detail: {
          readerId,
          verdicts: v,
          tags: t,
          events: events.map((e) =>
            e.kind === 'verdict'
              ? {
                  id: e.clientEventId,
                  auditId: e.auditId,
                  imageId: e.imageId,
                  findingId: e.findingId,
                  verdict: e.verdict,
                }
              : {
                  id: e.clientEventId,
                  auditId: e.auditId,
                  imageId: e.imageId,
                  tag: e.tag,
                  on: e.on,
                },
          ),
        },
      })
    }
    return v + t
  })
  return { stored, duplicates: events.length - stored }
}
