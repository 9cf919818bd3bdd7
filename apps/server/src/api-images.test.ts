import { setImageFields } from '@cxr-audit/store/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../../test-support/temp-store.ts'
import { CONTENT_SECURITY_POLICY } from './app.ts'
import type { DatasetPageDto, SheetDto } from '@cxr-audit/contract'
import { imageId } from './testing/fixture.ts'
import { openTestApp, type TestApp } from './testing/test-app.ts'

let t: TestApp
describe.each(DIALECTS)('%s', (kind) => {
  beforeAll(async () => {
    t = await openTestApp({ kind, images: 12, corrupt: 1 })
  })
  afterAll(async () => t.close())

  describe('renditions and safety', () => {
    it('[W18] a thumbnail is a JPEG with an ETag; the second answer comes from the cache', async () => {
      const id = await imageId(t.store, t.fixture.names[0]!)
      const a = await t.app.inject({ url: `/api/images/${id}/thumbnail` })
      expect(a.statusCode).toBe(200)
      expect(a.headers['content-type']).toBe('image/jpeg')
      const etag = a.headers['etag'] as string
      const b = await t.app.inject({
        url: `/api/images/${id}/thumbnail`,
        headers: { 'if-none-match': etag },
      })
      expect(b.statusCode).toBe(304)
      const v = await t.app.inject({ url: `/api/images/${id}/view?preset=lung&invert=true` })
      expect(v.statusCode).toBe(200)
      expect(v.headers['content-type']).toBe('image/png')
    })

    it('[W18] a corrupt image answers a typed 422 and the server keeps serving', async () => {
      const bad = await imageId(t.store, t.fixture.corrupt[0]!)
      const r = await t.app.inject({ url: `/api/images/${bad}/thumbnail` })
      expect(r.statusCode).toBe(422)
      expect(r.json()).toMatchObject({ error: { kind: 'unreadable' } })
      expect((await t.app.inject({ url: `/api/images/${bad}/view` })).statusCode).toBe(422)
      const good = await imageId(t.store, t.fixture.names[1]!)
      expect((await t.app.inject({ url: `/api/images/${good}/thumbnail` })).statusCode).toBe(200)
      expect((await t.app.inject({ url: '/api/health' })).json()).toEqual({ ok: true })
    })

    it('[W18] an unreadable image can still be marked "image unusable"', async () => {
      const audit = await t.createAudit({
        name: 'with corrupt',
        findings: ['Pneumothorax'],
        positives: 50,
        onePerPatient: false,
      })
      const sheet = await t.sheet(audit, audit.findings[0]!.findingId, 0)
      const item = sheet.items.find((i) => i.name === t.fixture.corrupt[0])!
      const reader = await t.reader('Unusable Reader')
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/events',
        payload: {
          readerId: reader,
          events: [
            {
              kind: 'tag',
              clientEventId: 'unusable01',
              auditId: audit.id,
              imageId: item.imageId,
              tag: 'image unusable',
              on: true,
            },
          ],
        },
      })
      expect(r.statusCode).toBe(200)
      const p = await t.app.inject({ url: `/api/audits/${audit.id}?reader=${reader}` })
      expect(p.json().progress.findings[0]).toMatchObject({ unusable: 1, reviewed: 1 })
    })

    it('[W18] files are served only from inside the image roots', async () => {
      const id = await imageId(t.store, t.fixture.names[2]!)
      await setImageFields(t.store.db, id, { path: '/etc/passwd' })
      const r = await t.app.inject({ url: `/api/images/${id}/thumbnail` })
      expect(r.statusCode).toBe(403)
      expect(r.json().error.kind).toBe('outside-root')
      expect((await t.app.inject({ url: '/api/images/999999/thumbnail' })).statusCode).toBe(404)
      expect((await t.app.inject({ url: '/api/images/abc/thumbnail' })).statusCode).toBe(400)
      expect((await t.app.inject({ url: `/api/images/${id}/view?center=1e9` })).statusCode).toBe(
        400,
      )
    })

    it('[W19] loopback Host only; strict headers on every answer', async () => {
      const evil = await t.app.inject({
        url: '/api/audits',
        headers: { host: 'attacker.example:8417' },
      })
      expect(evil.statusCode).toBe(421)
      const ok = await t.app.inject({ url: '/api/audits', headers: { host: '127.0.0.1:8417' } })
      expect(ok.statusCode).toBe(200)
      expect(ok.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY)
      expect(ok.headers['x-content-type-options']).toBe('nosniff')
      const text = await t.app.inject({
        method: 'POST',
        url: '/api/readers',
        payload: 'name=x',
        headers: { 'content-type': 'text/plain' },
      })
      expect(text.statusCode).toBe(415)
      const ctl = await t.app.inject({
        method: 'POST',
        url: '/api/readers',
        payload: { name: 'a\u0007b' },
      })
      expect(ctl.statusCode).toBe(400)
    })

    it('[W20] each problem with images on disk opens as a review sheet of those images', async () => {
      const name = t.fixture.names[3]!
      await setImageFields(t.store.db, await imageId(t.store, name), { age: 150 })
      const page = await t.json<DatasetPageDto>('GET', '/api/datasets/1')
      const problem = page.body.problems.find((p) => p.kind === 'age-out-of-range')
      expect(problem).toMatchObject({ count: 1, onDisk: 1 })
      const sheet = await t.json<SheetDto>(
        'GET',
        '/api/datasets/1/problems/age-out-of-range?page=0',
      )
      expect(sheet.status).toBe(200)
      expect(sheet.body).toMatchObject({ kind: 'problem', audit: null, finding: null, total: 1 })
      expect(sheet.body.items.map((i) => [i.name, i.age])).toEqual([[name, 150]])
      const reader = await t.reader('Problem Reader')
      const tag = {
        kind: 'tag',
        clientEventId: 'problem-tag1',
        auditId: null,
        imageId: sheet.body.items[0]!.imageId,
        tag: 'rotated',
        on: true,
      }
      expect(
        (await t.json('POST', '/api/events', { readerId: reader, events: [tag] })).status,
      ).toBe(200)
      const again = await t.json<SheetDto>(
        'GET',
        `/api/datasets/1/problems/age-out-of-range?page=0&reader=${reader}`,
      )
      expect(again.body.items[0]!.tags).toEqual(['rotated'])
      expect((await t.json('GET', '/api/datasets/1/problems/no-such-kind?page=0')).status).toBe(404)
    })
  })
})
