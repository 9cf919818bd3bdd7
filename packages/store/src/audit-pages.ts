import { SHEET_SIZE, UNUSABLE_TAG, pageRange, pageCount } from '@cxr-audit/core'
import { latestEvents } from './latest-events.ts'
import type { Db } from './store.ts'

/** Key of one reader's item of one audit: `reader:audit:finding:image`. */
export const pageItemKey = (
  readerId: number,
  auditId: number,
  findingId: number,
  imageId: number,
): string => `${readerId}:${auditId}:${findingId}:${imageId}`

/** What the page rule [L25] needs to know about some readers' work in some audits. */
export interface PageState {
  /** Items (pageItemKey) on pages the reader has not finished: their verdicts do not count. */
  readonly unfinished: ReadonlySet<string>
  /** `finding:image` of the audits' items that one of the readers tagged unusable. */
  readonly unusable: ReadonlySet<string>
}

/**
 * Which items of the audits lie on pages a reader has not finished [L25]: a page (a finding's
 * 18 items in review order, [W9]) is finished when each of its items has the reader's verdict in
 * that audit or the reader's "image unusable" tag, as the workbench decides [W13]. Until then a
 * page's unmarked films are not confirmed, so none of its films may enter a statistic.
 */
export async function pageState(
  db: Db,
  readerIds: readonly number[],
  auditIds: readonly number[],
): Promise<PageState> {
  const unfinished = new Set<string>()
  const unusableItems = new Set<string>()
  if (readerIds.length === 0 || auditIds.length === 0)
    return { unfinished, unusable: unusableItems }
  const tagged = new Map<number, Set<number>>(readerIds.map((r) => [r, new Set<number>()]))
  const tags = await latestEvents(db, 'tag_event', { readerIds, tag: UNUSABLE_TAG })
    .select(['e.reader_id', 'e.image_id', 'e.on'])
    .execute()
  for (const t of tags) if (t.on === 1) tagged.get(t.reader_id)?.add(t.image_id)
  const anyTagged = new Set([...tagged.values()].flatMap((s) => [...s]))
  for (const auditId of auditIds) {
    const items = await db
      .selectFrom('audit_item')
      .select(['image_id', 'finding_id'])
      .where('audit_id', '=', auditId)
      .orderBy('position')
      .execute()
    const byFinding = new Map<number, number[]>()
    for (const it of items) {
      const list = byFinding.get(it.finding_id)
      if (list === undefined) byFinding.set(it.finding_id, [it.image_id])
      else list.push(it.image_id)
      if (anyTagged.has(it.image_id)) unusableItems.add(`${it.finding_id}:${it.image_id}`)
    }
    const judged = new Set<string>()
    const rows = await latestEvents(db, 'verdict_event', { auditId, readerIds })
      .select(['e.reader_id', 'e.image_id', 'e.finding_id', 'e.verdict'])
      .execute()
    for (const r of rows)
      if (r.verdict !== null) judged.add(`${r.reader_id}:${r.finding_id}:${r.image_id}`)
    for (const readerId of readerIds) {
      const bad = tagged.get(readerId)!
      for (const [findingId, images] of byFinding) {
        for (let page = 0; page < pageCount(images.length, SHEET_SIZE); page++) {
          const [start, end] = pageRange(page, images.length, SHEET_SIZE)
          const onPage = images.slice(start, end)
          const done = onPage.every(
            (im) => bad.has(im) || judged.has(`${readerId}:${findingId}:${im}`),
          )
          if (!done)
            for (const im of onPage) unfinished.add(pageItemKey(readerId, auditId, findingId, im))
        }
      }
    }
  }
  return { unfinished, unusable: unusableItems }
}
