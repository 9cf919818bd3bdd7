import { addUser } from '@cxr-audit/store'
import { countRows } from '@cxr-audit/store/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../../test-support/temp-store.ts'
import type { AuditDto, ReadingEventsAnswer, ResultsDto, SheetDto } from '@cxr-audit/contract'
import { as, login, type Login } from './testing/sessions.ts'
import { openTestApp, type TestApp } from './testing/test-app.ts'

describe.each(DIALECTS)('[W35] reading events (%s)', (kind) => {
  describe('one person on loopback', () => {
    let t: TestApp
    let audit: AuditDto
    let sheet: SheetDto
    let reader: number
    beforeAll(async () => {
      t = await openTestApp({ kind, images: 40 })
      audit = await t.createAudit({
        name: 'reading',
        findings: ['Effusion'],
        positives: 4,
        negatives: 2,
        seed: 9,
      })
      reader = await t.reader('Reader One')
      sheet = await t.sheet(audit, audit.findings[0]!.findingId, 0, reader)
    })
    afterAll(async () => t.close())

    it('[W35] stores a page shown, a film opened and a preset, once per event id', async () => {
      const events = [
        {
          kind: 'sheet',
          clientEventId: 'sheet-0001',
          auditId: audit.id,
          findingId: audit.findings[0]!.findingId,
          page: 0,
        },
        {
          kind: 'viewer',
          clientEventId: 'view-0001',
          auditId: audit.id,
          imageId: sheet.items[0]!.imageId,
        },
        {
          kind: 'preset',
          clientEventId: 'preset-001',
          auditId: audit.id,
          imageId: sheet.items[0]!.imageId,
          preset: 'lung',
        },
      ]
      const first = await t.json<ReadingEventsAnswer>('POST', '/api/reading-events', {
        readerId: reader,
        events,
      })
      expect(first.status).toBe(200)
      expect(first.body).toEqual({
        acknowledged: ['sheet-0001', 'view-0001', 'preset-001'],
        stored: 3,
        duplicates: 0,
      })
      const again = await t.json<ReadingEventsAnswer>('POST', '/api/reading-events', {
        readerId: reader,
        events,
      })
      expect(again.body).toMatchObject({ stored: 0, duplicates: 3 })
      expect(await countRows(t.store.db, 'reading_event')).toBe(3)
    })

    it('[W35] refuses an unknown preset, and a film outside the audit; stores nothing', async () => {
      const before = await countRows(t.store.db, 'reading_event')
      const post = (events: unknown[]) =>
        t.json<{ error: { kind: string; message: string } }>('POST', '/api/reading-events', {
          readerId: reader,
          events,
        })
      const bad = await post([
        {
          kind: 'preset',
          clientEventId: 'preset-002',
          auditId: audit.id,
          imageId: 1,
          preset: 'soft',
        },
      ])
      expect(bad.status, JSON.stringify(bad.body)).toBe(400)
      const inAudit = new Set(sheet.items.map((i) => i.imageId))
      const stranger = [...Array(60).keys()].map((i) => i + 1).find((i) => !inAudit.has(i))!
      const refused = await post([
        {
          kind: 'viewer',
          clientEventId: 'view-0002',
          auditId: audit.id,
          imageId: sheet.items[1]!.imageId,
        },
        { kind: 'viewer', clientEventId: 'view-0003', auditId: audit.id, imageId: stranger },
      ])
      expect(refused.status, JSON.stringify(refused.body)).toBe(400)
      expect(refused.body.error.kind).toBe('rejected-events')
      expect(await countRows(t.store.db, 'reading_event')).toBe(before)
    })

    it("[W36] the results page carries the reader's reading conditions", async () => {
      const r = await t.json<ResultsDto>('GET', `/api/audits/${audit.id}/results`)
      expect(r.status).toBe(200)
      expect(r.body.readingConditions).toMatchObject({ auditId: audit.id, breakSeconds: 300 })
      expect(r.body.readingConditions.readers).toEqual([
        expect.objectContaining({
          reader: 'Reader One',
          recorded: true,
          viewerOpens: 1,
          presets: { lung: 1 },
          // no verdict yet: the opened film is not a judged one
          films: 0,
          viewerFilms: 0,
          viewerShare: null,
        }),
      ])
    })
  })

  describe('with accounts', () => {
    let t: TestApp
    let rita: Login
    let vic: Login
    let mine: AuditDto
    let theirs: AuditDto
    let image: number
    beforeAll(async () => {
      t = await openTestApp({ kind, images: 40, accounts: true })
      const cli = { name: 'cli:test' }
      await addUser(t.store, { name: 'ana', role: 'admin', password: 'ana-password', by: cli })
      const ritaId = (
        await addUser(t.store, { name: 'rita', role: 'reader', password: 'rita-pass', by: cli })
      ).id
      await addUser(t.store, { name: 'vic', role: 'viewer', password: 'vic-password', by: cli })
      const admin = await login(t.app, 'ana', 'ana-password')
      ;[rita, vic] = await Promise.all([
        login(t.app, 'rita', 'rita-pass'),
        login(t.app, 'vic', 'vic-password'),
      ])
      const create = async (name: string): Promise<AuditDto> => {
        const r = await as(t.app, admin, 'POST', '/api/audits', {
          body: { name, findings: ['Effusion'], positives: 4, negatives: 2, seed: 9 },
        })
        expect(r.statusCode, r.body).toBe(201)
        return (r.json() as { audit: AuditDto }).audit
      }
      mine = await create('assigned')
      theirs = await create('not assigned')
      const a = await as(t.app, admin, 'PUT', `/api/audits/${mine.id}/assignments/${ritaId}`)
      expect(a.statusCode).toBe(200)
      const s = await as(
        t.app,
        rita,
        'GET',
        `/api/audits/${mine.id}/sheet?finding=${mine.findings[0]!.findingId}&page=0`,
      )
      image = (s.json() as SheetDto).items[0]!.imageId
    })
    afterAll(async () => t.close())

    const viewer = (auditId: number, id: string) => ({
      events: [{ kind: 'viewer', clientEventId: id, auditId, imageId: image }],
    })

    it('[W35] [A7] a reader writes for her assigned audit, with the CSRF token, as herself', async () => {
      const ok = await as(t.app, rita, 'POST', '/api/reading-events', {
        body: viewer(mine.id, 'rita-view-1'),
      })
      expect(ok.statusCode, ok.body).toBe(200)
      const noCsrf = await as(t.app, rita, 'POST', '/api/reading-events', {
        body: viewer(mine.id, 'rita-view-2'),
        csrf: false,
      })
      expect(noCsrf.statusCode).toBe(403)
      const other = await as(t.app, rita, 'POST', '/api/reading-events', {
        body: viewer(theirs.id, 'rita-view-3'),
      })
      expect(other.statusCode).toBe(403)
      expect((other.json() as { error: { kind: string } }).error.kind).toBe('not-assigned')
      const asSomeoneElse = await as(t.app, rita, 'POST', '/api/reading-events', {
        body: { readerId: 1, ...viewer(mine.id, 'rita-view-4') },
      })
      expect(asSomeoneElse.statusCode).toBe(403)
      const viewerRole = await as(t.app, vic, 'POST', '/api/reading-events', {
        body: viewer(mine.id, 'vic-view-1'),
      })
      expect(viewerRole.statusCode).toBe(403)
      expect(await countRows(t.store.db, 'reading_event')).toBe(1)
    })
  })
})
