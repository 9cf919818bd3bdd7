import { listImages, verdictHistory } from '@cxr-audit/store'
import { countRows } from '@cxr-audit/store/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../../test-support/temp-store.ts'
import type { AuditDto, EventsAnswer, SheetDto } from '@cxr-audit/contract'
import { openTestApp, type TestApp } from './testing/test-app.ts'

let t: TestApp
let audit: AuditDto
let blind: AuditDto
let sheet: SheetDto
let reader: number
describe.each(DIALECTS)('%s', (kind) => {
  beforeAll(async () => {
    t = await openTestApp({ kind, images: 40 })
    audit = await t.createAudit({
      name: 'events',
      findings: ['Effusion'],
      positives: 4,
      negatives: 2,
      seed: 9,
    })
    blind = await t.createAudit({
      name: 'events blinded',
      findings: ['Effusion'],
      positives: 4,
      negatives: 2,
      seed: 9,
      blinded: true,
    })
    reader = await t.reader('Reader One')
    sheet = await t.sheet(audit, audit.findings[0]!.findingId, 0, reader)
  })
  afterAll(async () => t.close())

  const verdict = (id: string, i: number, v: string | null, extra: object = {}) => ({
    kind: 'verdict',
    clientEventId: id,
    auditId: audit.id,
    imageId: sheet.items[i]!.imageId,
    findingId: audit.findings[0]!.findingId,
    verdict: v,
    ...extra,
  })
  const count = (table: 'verdict_event' | 'tag_event'): Promise<number> =>
    countRows(t.store.db, table)

  describe('verdict and tag events', () => {
    it('[W16] a batch is acknowledged after the commit; a retried event id is stored once', async () => {
      const events = [
        verdict('retry-00001', 0, 'absent'),
        {
          kind: 'tag',
          clientEventId: 'retry-00002',
          auditId: audit.id,
          imageId: sheet.items[0]!.imageId,
          tag: 'chest drain',
          on: true,
        },
      ]
      const first = await t.json<EventsAnswer>('POST', '/api/events', { readerId: reader, events })
      expect(first.status).toBe(200)
      expect(first.body).toEqual({
        acknowledged: ['retry-00001', 'retry-00002'],
        stored: 2,
        duplicates: 0,
      })
      const before = await count('verdict_event')
      // the acknowledgement was lost: the client sends the same batch again
      const again = await t.json<EventsAnswer>('POST', '/api/events', { readerId: reader, events })
      expect(again.body).toEqual({
        acknowledged: ['retry-00001', 'retry-00002'],
        stored: 0,
        duplicates: 2,
      })
      expect(await count('verdict_event')).toBe(before)
      const s = await t.sheet(audit, audit.findings[0]!.findingId, 0, reader)
      expect(s.items[0]).toMatchObject({ verdict: 'absent', tags: ['chest drain'] })
    })

    it('[W15] a verdict for an image outside the audit is refused with 400 and nothing is stored', async () => {
      const onSheet = new Set(sheet.items.map((i) => i.imageId))
      const other = (await listImages(t.store.db, audit.datasetId)).find(
        (im) => !onSheet.has(im.id),
      )!
      const before = await count('verdict_event')
      const r = await t.json<{ error: { kind: string; rejected: { clientEventId: string }[] } }>(
        'POST',
        '/api/events',
        {
          readerId: reader,
          events: [
            verdict('outside-ok1', 1, 'present'),
            { ...verdict('outside-bad', 1, 'absent'), imageId: other.id },
          ],
        },
      )
      expect(r.status).toBe(400)
      expect(r.body.error.kind).toBe('rejected-events')
      expect(r.body.error.rejected.map((x) => x.clientEventId)).toEqual(['outside-bad'])
      expect(await count('verdict_event')).toBe(before)
    })

    it('[W15] malformed events, unknown readers and tags outside the set are refused', async () => {
      const post = (body: object) =>
        t.json<{ error: { kind: string } }>('POST', '/api/events', body)
      expect(
        (await post({ readerId: reader, events: [verdict('badverdict', 0, 'maybe')] })).status,
      ).toBe(400)
      expect((await post({ readerId: reader, events: [verdict('x', 0, 'absent')] })).status).toBe(
        400,
      ) // id too short
      expect(
        (await post({ readerId: 99999, events: [verdict('noreader1', 0, 'absent')] })).body.error
          .kind,
      ).toBe('unknown-reader')
      const tag = {
        kind: 'tag',
        clientEventId: 'badtag0001',
        auditId: audit.id,
        imageId: sheet.items[0]!.imageId,
        tag: 'made up',
        on: true,
      }
      expect((await post({ readerId: reader, events: [tag] })).status).toBe(400)
      expect((await post({ readerId: reader, events: [] })).status).toBe(400)
    })

    it('[W13] implied verdicts are marked as such, and refused in a blinded audit', async () => {
      const r = await t.json('POST', '/api/events', {
        readerId: reader,
        events: [verdict('implied001', 2, 'present', { implied: true })],
      })
      expect(r.status).toBe(200)
      const s = await t.sheet(audit, audit.findings[0]!.findingId, 0, reader)
      expect(s.items[2]).toMatchObject({ verdict: 'present', implied: true })
      const b = await t.sheet(blind, blind.findings[0]!.findingId, 0)
      const bad = await t.json('POST', '/api/events', {
        readerId: reader,
        events: [
          {
            ...verdict('implied002', 0, 'present', { implied: true }),
            auditId: blind.id,
            imageId: b.items[0]!.imageId,
          },
        ],
      })
      expect(bad.status).toBe(400)
    })

    it('[W16] undo is a new event: the latest wins and every earlier one is kept', async () => {
      await t.json('POST', '/api/events', {
        readerId: reader,
        events: [verdict('undo000001', 3, 'uncertain'), verdict('undo000002', 3, null)],
      })
      const s = await t.sheet(audit, audit.findings[0]!.findingId, 0, reader)
      expect(s.items[3]!.verdict).toBeNull()
      const rows = await verdictHistory(t.store.db, [sheet.items[3]!.imageId])
      expect(rows.map((r) => r.verdict)).toEqual(['uncertain', null])
    })
  })
})
