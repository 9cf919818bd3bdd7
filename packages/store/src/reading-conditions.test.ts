import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS, tempStore } from '../../../test-support/temp-store.ts'
import { makeModelFixture, type ModelFixture } from './model-fixture.ts'
import { readingConditions } from './reading-conditions.ts'
import { checkReadingEvents, recordReadingEvents, type ReadingEvent } from './reading-events.ts'
import { ensureReader } from './readers.ts'
import type { Store } from './store.ts'
import { addVerdicts, countRows, insertAudit } from './testing.ts'

const T0 = Date.parse('2026-01-05T09:00:00Z')
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString()

describe.each(DIALECTS)('[W34] [W35] [W36] reading conditions (%s)', (kind) => {
  let store: Store
  let fx: ModelFixture
  let cleanup: () => Promise<void>
  let auditId: number
  let small: number
  let ann: number

  beforeAll(async () => {
    ;({ store, cleanup } = await tempStore(kind))
    fx = await makeModelFixture(store)
    const items = (ids: readonly number[]) =>
      ids.map((imageId) => ({ imageId, findingId: fx.finding['Mass']!, labelled: 1 }))
    // 40 Mass films: pages of 18, 18 and 4
    auditId = await insertAudit(store.db, {
      datasetId: fx.datasetId,
      name: 'mass',
      seed: '1',
      plan: { findings: ['Mass'] },
      items: items(fx.image),
    })
    small = await insertAudit(store.db, {
      datasetId: fx.datasetId,
      name: 'two films',
      seed: '1',
      plan: { findings: ['Mass'] },
      items: items(fx.image.slice(0, 2)),
    })
    ann = (await ensureReader(store.db, 'ann', 'person')).id
    const bob = (await ensureReader(store.db, 'bob', 'person')).id
    let n = 0
    const mark = (
      readerId: number,
      i: number,
      seconds: number,
      verdict: 'present' | 'absent' | null = 'absent',
    ) => ({
      clientEventId: `e${++n}`,
      readerId,
      auditId,
      imageId: fx.image[i]!,
      findingId: fx.finding['Mass']!,
      verdict,
      createdAt: at(seconds),
    })
    await addVerdicts(store, [
      // page 1: one film every 5 s, finished at 90 s
      ...Array.from({ length: 18 }, (_, i) => mark(ann, i, 5 * (i + 1))),
      // page 2: one mark at 150 s, one withdrawn and re-marked, the rest at 180 s (the finish)
      mark(ann, 18, 150, 'present'),
      mark(ann, 19, 160, 'present'),
      mark(ann, 19, 170, null),
      ...Array.from({ length: 17 }, (_, i) => mark(ann, 19 + i, 180)),
      // page 3, 4 films, after a break of 1000 s
      ...Array.from({ length: 4 }, (_, i) => mark(ann, 36 + i, 1180)),
      // bob reads in a client that does not record the viewer
      mark(bob, 0, 10),
    ])
    const events: ReadingEvent[] = [
      {
        kind: 'sheet',
        clientEventId: 'r-sheet-1',
        auditId,
        findingId: fx.finding['Mass']!,
        page: 0,
      },
      { kind: 'viewer', clientEventId: 'r-view-1', auditId, imageId: fx.image[0]! },
      {
        kind: 'preset',
        clientEventId: 'r-preset-1',
        auditId,
        imageId: fx.image[0]!,
        preset: 'lung',
      },
      { kind: 'viewer', clientEventId: 'r-view-2', auditId, imageId: fx.image[0]! },
      { kind: 'viewer', clientEventId: 'r-view-3', auditId, imageId: fx.image[1]! },
      {
        kind: 'preset',
        clientEventId: 'r-preset-2',
        auditId,
        imageId: fx.image[1]!,
        preset: 'bone',
      },
    ]
    expect(await checkReadingEvents(store.db, events)).toEqual([])
    expect(await recordReadingEvents(store, ann, events)).toEqual({ stored: 6, duplicates: 0 })
  })
  afterAll(async () => cleanup())

  it('[W35] a retried batch is stored once', async () => {
    const again: ReadingEvent[] = [
      { kind: 'viewer', clientEventId: 'r-view-1', auditId, imageId: fx.image[0]! },
    ]
    expect(await recordReadingEvents(store, ann, again)).toEqual({ stored: 0, duplicates: 1 })
    expect(await countRows(store.db, 'reading_event')).toBe(6)
  })

  it('[W35] refuses films, findings and audits outside the audit, and unknown presets', async () => {
    const bad = [
      { kind: 'viewer', clientEventId: 'b1', auditId: small, imageId: fx.image[5]! },
      {
        kind: 'sheet',
        clientEventId: 'b2',
        auditId: small,
        findingId: fx.finding['Nodule']!,
        page: 0,
      },
      {
        kind: 'preset',
        clientEventId: 'b3',
        auditId: small,
        imageId: fx.image[0]!,
        preset: 'soft',
      },
      { kind: 'viewer', clientEventId: 'b4', auditId: 999, imageId: fx.image[0]! },
      { kind: 'viewer', clientEventId: 'ok', auditId: small, imageId: fx.image[1]! },
    ] as unknown as ReadingEvent[]
    const rejected = await checkReadingEvents(store.db, bad)
    expect(rejected.map((r) => r.clientEventId)).toEqual(['b1', 'b2', 'b3', 'b4'])
    expect(rejected[0]!.reason).toBe(`image ${fx.image[5]} is not in audit ${small}`)
    expect(rejected[2]!.reason).toBe('"soft" is not a window preset')
  })

  it('[W34] [W36] pace from page finishes, viewer share and presets per reader', async () => {
    const r = await readingConditions(store.db, auditId)
    expect(r.audit).toBe('mass')
    expect(r.breakSeconds).toBe(300)
    expect(r.readers.map((x) => x.reader)).toEqual(['ann', 'bob'])
    const a = r.readers[0]!
    // page 2 took 180 - 90 = 90 s for 18 films; page 3 follows a 1000 s silence: a break
    expect(a).toMatchObject({
      films: 40,
      pages: 3,
      timedPages: 1,
      timedFilms: 18,
      timedSeconds: 90,
      breaks: 1,
      medianSecondsPerFilm: 5,
      filmsPerHour: 720,
      recorded: true,
      viewerFilms: 2,
      viewerShare: 0.05,
      viewerOpens: 3,
      presets: { lung: 1, bone: 1 },
      first: at(5),
    })
    // bob: one film, no page finished, nothing recorded by his client: unknown, not zero
    expect(r.readers[1]).toMatchObject({
      films: 1,
      pages: 0,
      medianSecondsPerFilm: null,
      recorded: false,
      viewerFilms: null,
      viewerShare: null,
      presets: null,
    })
  })
})
