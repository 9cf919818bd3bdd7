import {
  BREAK_SECONDS,
  SHEET_SIZE,
  UNUSABLE_TAG,
  pageCount,
  pageRange,
  readingPace,
  type FinishedPage,
  type ReadingPace,
} from '@cxr-audit/core'
import { StoreError, type Db } from './store.ts'

/** One person reader's reading conditions in one audit [W34][W36]. */
export interface ReaderConditions extends ReadingPace {
  readonly reader: string
  readonly readerId: number
  /** Distinct films the reader has a verdict on in the audit now. */
  readonly films: number
  /** First and last of the reader's events in the audit (ISO 8601). */
  readonly first: string
  readonly last: string
  /**
   * Whether the workbench recorded viewer and preset use for this reader in this audit (it sent
   * at least one page-shown event). When false the viewer and preset fields are null: unknown,
   * not zero.
   */
  readonly recorded: boolean
  /** Judged films the reader opened in the full-resolution viewer. */
  readonly viewerFilms: number | null
  /** viewerFilms / films. */
  readonly viewerShare: number | null
  /** Viewer openings, the same film counted each time. */
  readonly viewerOpens: number | null
  /** How often each window preset was applied, by name. */
  readonly presets: Readonly<Record<string, number>> | null
}

/** What `stats reading --json` prints, and the results page and report show [W36]. */
export interface ReadingConditionsReport {
  readonly auditId: number
  readonly audit: string
  readonly breakSeconds: number
  readonly readers: readonly ReaderConditions[]
}

interface Timed {
  readonly id: number
  readonly at: number
  readonly key: string
  readonly done: boolean
}

/**
 * The reading conditions of every person reader of an audit [W34][W36], from the stored event
 * times: the pace (core's `readingPace` over the moments each page became finished), the share
 * of judged films opened in the viewer and the presets applied.
 */
export async function readingConditions(db: Db, auditId: number): Promise<ReadingConditionsReport> {
  const audit = await db
    .selectFrom('audit')
    .select(['id', 'name'])
    .where('id', '=', auditId)
    .executeTakeFirst()
  if (audit === undefined) throw new StoreError(`no audit ${auditId}`)
  const items = await db
    .selectFrom('audit_item')
    .select(['image_id', 'finding_id'])
    .where('audit_id', '=', auditId)
    .orderBy('position')
    .execute()
  // each item's page: `finding:page`, and each page's film count
  const byFinding = new Map<number, number[]>()
  for (const it of items) {
    const list = byFinding.get(it.finding_id)
    if (list === undefined) byFinding.set(it.finding_id, [it.image_id])
    else list.push(it.image_id)
  }
  const pageOf = new Map<string, string>()
  const pageFilms = new Map<string, number>()
  for (const [findingId, images] of byFinding)
    for (let page = 0; page < pageCount(images.length, SHEET_SIZE); page++) {
      const [start, end] = pageRange(page, images.length, SHEET_SIZE)
      pageFilms.set(`${findingId}:${page}`, end - start)
      for (const im of images.slice(start, end))
        pageOf.set(`${findingId}:${im}`, `${findingId}:${page}`)
    }
  const readers = await db
    .selectFrom('reader')
    .select(['id', 'name'])
    .where('kind', '=', 'person')
    .where((eb) =>
      eb.or([
        eb(
          'id',
          'in',
          eb.selectFrom('verdict_event').select('reader_id').where('audit_id', '=', auditId),
        ),
        eb(
          'id',
          'in',
          eb.selectFrom('reading_event').select('reader_id').where('audit_id', '=', auditId),
        ),
      ]),
    )
    .orderBy('name')
    .execute()
  const out: ReaderConditions[] = []
  for (const r of readers) {
    const verdicts = await db
      .selectFrom('verdict_event')
      .select(['id', 'image_id', 'finding_id', 'verdict', 'created_at'])
      .where('audit_id', '=', auditId)
      .where('reader_id', '=', r.id)
      .orderBy('id')
      .execute()
    const tags = await db
      .selectFrom('tag_event')
      .select(['id', 'image_id', 'on', 'audit_id', 'created_at'])
      .where('reader_id', '=', r.id)
      .where('tag', '=', UNUSABLE_TAG)
      .orderBy('id')
      .execute()
    const reading = await db
      .selectFrom('reading_event')
      .select(['kind', 'image_id', 'preset', 'created_at'])
      .where('audit_id', '=', auditId)
      .where('reader_id', '=', r.id)
      .orderBy('id')
      .execute()
    // replay the marks in order: the moment each page first had every film done [L25]
    const events: Timed[] = verdicts.map((v) => ({
      id: v.id,
      at: Date.parse(v.created_at),
      key: `v:${v.finding_id}:${v.image_id}`,
      done: v.verdict !== null,
    }))
    const unusable: { at: number; image: number; on: boolean }[] = tags.map((t) => ({
      at: Date.parse(t.created_at),
      image: t.image_id,
      on: t.on === 1,
    }))
    const finished = pagesFinished(events, unusable, byFinding, pageOf, pageFilms)
    const activity = [
      ...events.map((e) => e.at),
      ...tags.filter((t) => t.audit_id === auditId).map((t) => Date.parse(t.created_at)),
      ...reading.map((e) => Date.parse(e.created_at)),
    ].sort((a, b) => a - b)
    const pace = readingPace(finished, activity, BREAK_SECONDS)
    const current = new Map<string, boolean>()
    for (const v of verdicts) current.set(`${v.finding_id}:${v.image_id}`, v.verdict !== null)
    const judged = new Set<number>()
    for (const [k, on] of current) if (on) judged.add(Number(k.split(':')[1]))
    const recorded = reading.some((e) => e.kind === 'sheet')
    const opened = new Set(
      reading.filter((e) => e.kind === 'viewer' && e.image_id !== null).map((e) => e.image_id!),
    )
    const viewerFilms = [...opened].filter((im) => judged.has(im)).length
    const presets: Record<string, number> = {}
    for (const e of reading)
      if (e.kind === 'preset' && e.preset !== null) presets[e.preset] = (presets[e.preset] ?? 0) + 1
    out.push({
      reader: r.name,
      readerId: r.id,
      films: judged.size,
      first: activity.length === 0 ? '' : new Date(activity[0]!).toISOString(),
      last: activity.length === 0 ? '' : new Date(activity[activity.length - 1]!).toISOString(),
      ...pace,
      recorded,
      viewerFilms: recorded ? viewerFilms : null,
      viewerShare: recorded ? (judged.size === 0 ? null : viewerFilms / judged.size) : null,
      viewerOpens: recorded ? reading.filter((e) => e.kind === 'viewer').length : null,
      presets: recorded ? presets : null,
    })
  }
  return { auditId, audit: audit.name, breakSeconds: BREAK_SECONDS, readers: out }
}

/**
 * When each page first became finished: every film of it with the reader's verdict, or tagged
 * unusable, as the page rule [L25] decides. Marks and tags are replayed in time order.
 */
function pagesFinished(
  verdicts: readonly Timed[],
  unusable: readonly { at: number; image: number; on: boolean }[],
  byFinding: ReadonlyMap<number, readonly number[]>,
  pageOf: ReadonlyMap<string, string>,
  pageFilms: ReadonlyMap<string, number>,
): FinishedPage[] {
  type Step = { at: number; order: number; apply: () => string[] }
  const judged = new Map<string, boolean>()
  const bad = new Set<number>()
  const steps: Step[] = []
  verdicts.forEach((v, i) => {
    const [, finding, image] = v.key.split(':')
    const item = `${finding}:${image}`
    steps.push({
      at: v.at,
      order: i,
      apply: () => {
        judged.set(item, v.done)
        const p = pageOf.get(item)
        return p === undefined ? [] : [p]
      },
    })
  })
  unusable.forEach((t, i) =>
    steps.push({
      at: t.at,
      order: verdicts.length + i,
      apply: () => {
        if (t.on) bad.add(t.image)
        else bad.delete(t.image)
        const pages: string[] = []
        for (const findingId of byFinding.keys()) {
          const p = pageOf.get(`${findingId}:${t.image}`)
          if (p !== undefined) pages.push(p)
        }
        return pages
      },
    }),
  )
  steps.sort((a, b) => a.at - b.at || a.order - b.order)
  const pageItems = new Map<string, string[]>()
  for (const [item, p] of pageOf) {
    const list = pageItems.get(p)
    if (list === undefined) pageItems.set(p, [item])
    else list.push(item)
  }
  const finished = new Map<string, number>()
  for (const s of steps)
    for (const p of s.apply()) {
      if (finished.has(p)) continue
      const done = pageItems
        .get(p)!
        .every((item) => judged.get(item) === true || bad.has(Number(item.split(':')[1])))
      if (done) finished.set(p, s.at)
    }
  return [...finished].map(([p, at]) => ({ at, films: pageFilms.get(p)! }))
}
