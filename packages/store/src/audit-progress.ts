import { SHEET_SIZE, UNUSABLE_TAG, pageCount, type Verdict } from '@cxr-audit/core'
import type { AuditSummary } from './audits.ts'
import { latestEvents } from './latest-events.ts'
import type { Db } from './store.ts'

export interface FindingProgress {
  readonly findingId: number
  readonly name: string
  readonly items: number
  /** Items with a verdict or tagged unusable. */
  readonly reviewed: number
  readonly present: number
  readonly absent: number
  readonly uncertain: number
  readonly unusable: number
  /** Verdicts implied by finishing a page (unmarked images). */
  readonly implied: number
  readonly pages: number
  readonly pagesFinished: number
  /** Per page: every item has a verdict or is unusable. */
  readonly pageDone: boolean[]
  /** The first page with an item still to review, or null when the finding is done. */
  readonly nextPage: number | null
}

export interface ReaderSummary {
  readonly readerId: number
  readonly name: string
  readonly verdicts: number
}

export interface AuditProgress {
  readonly readerId: number | null
  readonly findings: FindingProgress[]
  /** Every reader who gave verdicts in this audit. */
  readonly readers: ReaderSummary[]
}

/** A reader's progress per finding of an audit [W17], and who else has read it. */
export async function auditProgress(
  db: Db,
  audit: AuditSummary,
  readerId: number | null,
): Promise<AuditProgress> {
  const items = await db
    .selectFrom('audit_item')
    .select(['image_id', 'finding_id'])
    .where('audit_id', '=', audit.id)
    .orderBy('position')
    .execute()
  const verdicts = new Map<string, { verdict: Verdict; implied: boolean }>()
  const unusable = new Set<number>()
  if (readerId !== null) {
    const rows = await latestEvents(db, 'verdict_event', {
      auditId: audit.id,
      readerIds: [readerId],
    })
      .select(['e.image_id', 'e.finding_id', 'e.verdict', 'e.implied'])
      .execute()
    for (const r of rows)
      if (r.verdict !== null)
        verdicts.set(`${r.image_id}:${r.finding_id}`, {
          verdict: r.verdict as Verdict,
          implied: r.implied === 1,
        })
    const tags = await latestEvents(db, 'tag_event', { readerIds: [readerId], tag: UNUSABLE_TAG })
      .select(['e.image_id', 'e.on'])
      .execute()
    for (const t of tags) if (t.on === 1) unusable.add(t.image_id)
  }
  const findings = audit.findings.map((f): FindingProgress => {
    const mine = items.filter((i) => i.finding_id === f.findingId)
    const counts = { present: 0, absent: 0, uncertain: 0, implied: 0, unusable: 0, reviewed: 0 }
    const done = mine.map((it) => {
      const v = verdicts.get(`${it.image_id}:${it.finding_id}`)
      const bad = unusable.has(it.image_id)
      if (v !== undefined) {
        counts[v.verdict]++
        if (v.implied) counts.implied++
      }
      if (bad) counts.unusable++
      if (v !== undefined || bad) counts.reviewed++
      return v !== undefined || bad
    })
    const pages = pageCount(mine.length)
    const pageDone = Array.from({ length: pages }, (_, p) =>
      done.slice(p * SHEET_SIZE, (p + 1) * SHEET_SIZE).every(Boolean),
    )
    const pagesFinished = pageDone.filter(Boolean).length
    const open = pageDone.indexOf(false)
    const nextPage = open < 0 ? null : open
    return {
      findingId: f.findingId,
      name: f.name,
      items: mine.length,
      ...counts,
      pages,
      pagesFinished,
      pageDone,
      nextPage,
    }
  })
  const perReader = await latestEvents(db, 'verdict_event', { auditId: audit.id })
    .innerJoin('reader as r', 'r.id', 'e.reader_id')
    .select(['e.reader_id', 'r.name', (e) => e.fn.countAll<number>().as('n')])
    .where('e.verdict', 'is not', null)
    .groupBy(['e.reader_id', 'r.name'])
    .orderBy('r.name')
    .execute()
  return {
    readerId,
    findings,
    readers: perReader.map((r) => ({ readerId: r.reader_id, name: r.name, verdicts: Number(r.n) })),
  }
}
