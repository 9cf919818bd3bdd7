import type { Db } from './store.ts'

/** How long a reader spent, as far as the stored events tell [R5]. */
export interface ReadingTime {
  readonly readerId: number
  /** Verdict events (every mark, implied confirmations and undos included). */
  readonly events: number
  /** Distinct (image, finding) the reader marked. */
  readonly items: number
  readonly first: string
  readonly last: string
  /** Sum of the gaps between consecutive events shorter than `PAUSE_SECONDS`, in seconds. */
  readonly activeSeconds: number
}

/** A gap longer than this between two marks is a pause, not reading. */
export const PAUSE_SECONDS = 300

/** Reading times of person readers from their verdict events' times (an audit's, or all). */
export async function readingTimes(
  db: Db,
  o: { readonly readerIds: readonly number[]; readonly auditId?: number | undefined },
): Promise<ReadingTime[]> {
  if (o.readerIds.length === 0) return []
  let q = db
    .selectFrom('verdict_event')
    .select(['reader_id', 'image_id', 'finding_id', 'created_at'])
    .where('reader_id', 'in', [...o.readerIds])
  if (o.auditId !== undefined) q = q.where('audit_id', '=', o.auditId)
  const rows = await q.orderBy('id').execute()
  const out: ReadingTime[] = []
  for (const readerId of o.readerIds) {
    const mine = rows.filter((r) => r.reader_id === readerId)
    if (mine.length === 0) continue
    const times = mine.map((r) => Date.parse(r.created_at)).sort((a, b) => a - b)
    let active = 0
    for (let i = 1; i < times.length; i++) {
      const gap = (times[i]! - times[i - 1]!) / 1000
      if (gap < PAUSE_SECONDS) active += gap
    }
    out.push({
      readerId,
      events: mine.length,
      items: new Set(mine.map((r) => `${r.image_id}:${r.finding_id}`)).size,
      first: new Date(times[0]!).toISOString(),
      last: new Date(times[times.length - 1]!).toISOString(),
      activeSeconds: active,
    })
  }
  return out
}
