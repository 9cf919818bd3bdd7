import { addUser, findUser, listActivity, verdictHistory } from '@cxr-audit/store'
import { countRows } from '@cxr-audit/store/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../../test-support/temp-store.ts'
import type { AuditDto, SheetDto } from '@cxr-audit/contract'
import { as, login, type Login } from './testing/sessions.ts'
import { openTestApp, type TestApp } from './testing/test-app.ts'

const cli = { name: 'cli:test' }

let t: TestApp
let admin: Login
let rita: Login
let rob: Login
let vic: Login
let blind: AuditDto
let open: AuditDto
let ritaId: number
let robId: number
let robSheet: SheetDto

describe.each(DIALECTS)('%s', (kind) => {
  beforeAll(async () => {
    t = await openTestApp({ kind, images: 40, accounts: true })
    await addUser(t.store, { name: 'ana', role: 'admin', password: 'ana-password', by: cli })
    ritaId = (
      await addUser(t.store, { name: 'rita', role: 'reader', password: 'rita-pass', by: cli })
    ).id
    robId = (
      await addUser(t.store, { name: 'rob', role: 'reader', password: 'rob-password', by: cli })
    ).id
    await addUser(t.store, { name: 'vic', role: 'viewer', password: 'vic-password', by: cli })
    ;[admin, rita, rob, vic] = await Promise.all([
      login(t.app, 'ana', 'ana-password'),
      login(t.app, 'rita', 'rita-pass'),
      login(t.app, 'rob', 'rob-password'),
      login(t.app, 'vic', 'vic-password'),
    ])
    const create = async (name: string, blinded: boolean): Promise<AuditDto> => {
      const r = await as(t.app, admin, 'POST', '/api/audits', {
        body: {
          name,
          findings: ['Effusion'],
          positives: 4,
          negatives: blinded ? 2 : 8,
          seed: 9,
          blinded,
        },
      })
      expect(r.statusCode, r.body).toBe(201)
      return (r.json() as { audit: AuditDto }).audit
    }
    blind = await create('blinded effusion', true)
    open = await create('open effusion', false)
    for (const [audit, user] of [
      [blind, ritaId],
      [blind, robId],
      [open, robId],
    ] as const) {
      const r = await as(t.app, admin, 'PUT', `/api/audits/${audit.id}/assignments/${user}`)
      expect(r.statusCode, r.body).toBe(200)
    }
    // rob reads the blinded audit: every film absent, one tagged
    const f = blind.findings[0]!.findingId
    robSheet = (
      await as(t.app, rob, 'GET', `/api/audits/${blind.id}/sheet?finding=${f}&page=0`)
    ).json() as SheetDto
    const events = robSheet.items.map((it, i) => ({
      kind: 'verdict',
      clientEventId: `rob-verdict-${i}`,
      auditId: blind.id,
      imageId: it.imageId,
      findingId: f,
      verdict: 'absent',
    }))
    const tag = {
      kind: 'tag',
      clientEventId: 'rob-tag-0001',
      auditId: blind.id,
      imageId: robSheet.items[0]!.imageId,
      tag: 'chest drain',
      on: true,
    }
    const sent = await as(t.app, rob, 'POST', '/api/events', { body: { events: [...events, tag] } })
    expect(sent.statusCode, sent.body).toBe(200)
  })
  afterAll(async () => t.close())

  const sheetUrl = (a: AuditDto, extra = '') =>
    `/api/audits/${a.id}/sheet?finding=${a.findings[0]!.findingId}&page=0${extra}`

  describe('a reader of a blinded audit', () => {
    it('[A8] is given no original label and no other reader’s verdict by any GET route of the table', async () => {
      const image = robSheet.items[0]!.imageId
      const fill = (url: string): string => {
        const id = url.startsWith('/api/audits/')
          ? blind.id
          : url.startsWith('/api/images/')
            ? image
            : url.startsWith('/api/datasets/')
              ? blind.datasetId
              : url.startsWith('/api/users/')
                ? ritaId
                : 1
        const path = url
          .replace(':id', String(id))
          .replace(':userId', String(ritaId))
          .replace(':kind', 'missing-files')
          .replace(':n', '0')
        const query: Record<string, string> = {
          '/api/audits/:id/sheet': `?finding=${blind.findings[0]!.findingId}&page=0`,
          '/api/plan': '?expected=0.8&halfWidth=0.05',
        }
        return path + (query[url] ?? '')
      }
      const answered: string[] = []
      for (const r of t.app.apiRoutes.filter((x) => x.method === 'GET')) {
        const res = await as(t.app, rita, 'GET', fill(r.url))
        expect([200, 403], `${r.url}: ${res.statusCode} ${res.body.slice(0, 200)}`).toContain(
          res.statusCode,
        )
        if (res.statusCode !== 200) continue
        answered.push(r.url)
        const text = res.rawPayload.toString('latin1')
        expect(text, r.url).not.toMatch(/"labelled"|"boxes"|"label"|labelled positives/)
        expect(text, r.url).not.toMatch(/"verdict":"(present|absent|uncertain)"/)
        expect(text, r.url).not.toContain('"rob"')
        expect(text, r.url).not.toMatch(new RegExp(`"readerId":${robId}\\b`))
      }
      // what a reader needs to review, and nothing else
      expect(answered.sort()).toEqual([
        '/api/audits',
        '/api/audits/:id',
        '/api/audits/:id/sheet',
        '/api/health',
        // a study's films, shown together on the sheet [DS26]
        '/api/images/:id/films/:n/thumbnail',
        '/api/images/:id/thumbnail',
        '/api/images/:id/view',
        '/api/session',
      ])
      const sheet = (await as(t.app, rita, 'GET', sheetUrl(blind))).json() as SheetDto
      expect(sheet.items.length).toBe(robSheet.items.length)
      expect(sheet.items.every((i) => i.verdict === null && i.tags.length === 0)).toBe(true)
    })

    it('[A8] asking for another reader’s verdicts, results or reports is 403', async () => {
      for (const url of [
        sheetUrl(blind, `&reader=${robId}`),
        `/api/audits/${blind.id}?reader=${robId}`,
        `/api/audits/${blind.id}/results`,
        `/api/audits/${blind.id}/results?reader=rob`,
        `/api/audits/${blind.id}/report.html`,
        `/api/audits/${blind.id}/report.pdf?reader=rob`,
        `/api/datasets/${blind.datasetId}/problems/missing-files`,
        '/api/readers',
      ]) {
        const r = await as(t.app, rita, 'GET', url)
        expect(r.statusCode, url).toBe(403)
        expect(r.body).not.toMatch(/absent|labelled/)
      }
    })

    it('[A8] sees only the audits assigned to them, and their films', async () => {
      const list = (await as(t.app, rita, 'GET', '/api/audits')).json() as { audits: AuditDto[] }
      expect(list.audits.map((a) => a.id)).toEqual([blind.id])
      expect((await as(t.app, rita, 'GET', `/api/audits/${open.id}`)).statusCode).toBe(403)
      expect((await as(t.app, rita, 'GET', sheetUrl(open))).statusCode).toBe(403)
      const openSheet = (await as(t.app, rob, 'GET', sheetUrl(open))).json() as SheetDto
      const inBlind = new Set(robSheet.items.map((i) => i.imageId))
      const elsewhere = openSheet.items.find((i) => !inBlind.has(i.imageId))!
      const r = await as(t.app, rita, 'GET', `/api/images/${elsewhere.imageId}/thumbnail`)
      expect(r.statusCode).toBe(403)
      // rob, assigned the open audit, sees its labels: blinding is per audit
      expect(JSON.stringify(openSheet)).toMatch(/labelled/)
    })

    it('[A8] writes as themself: a body naming another reader is 403, an unassigned audit 403', async () => {
      const f = blind.findings[0]!.findingId
      const event = (id: string, auditId = blind.id, imageId = robSheet.items[1]!.imageId) => ({
        kind: 'verdict',
        clientEventId: id,
        auditId,
        imageId,
        findingId: f,
        verdict: 'present',
      })
      const before = await countRows(t.store.db, 'verdict_event')
      const spoof = await as(t.app, rita, 'POST', '/api/events', {
        body: { readerId: robId, events: [event('rita-spoof-01')] },
      })
      expect(spoof.statusCode).toBe(403)
      const outside = await as(t.app, rita, 'POST', '/api/events', {
        body: { events: [event('rita-outside-1', open.id, open.findings[0]!.findingId)] },
      })
      expect(outside.statusCode).toBe(403)
      expect(await countRows(t.store.db, 'verdict_event')).toBe(before)
      const ok = await as(t.app, rita, 'POST', '/api/events', {
        body: { readerId: ritaId, events: [event('rita-own-0001')] },
      })
      expect(ok.statusCode, ok.body).toBe(200)
      const history = await verdictHistory(t.store.db, [robSheet.items[1]!.imageId])
      const mine = history.filter((h) => h.verdict === 'present')
      expect(mine.map((h) => h.readerId)).toEqual([ritaId])
      const logged = await listActivity(t.store.db, { user: 'rita' })
      expect(logged.at(-1)).toMatchObject({
        action: 'events',
        address: '127.0.0.1',
        detail: { readerId: ritaId, verdicts: 1, tags: 0 },
      })
    })

    it('[A8] cannot raise their own role, add users, assign audits or read the log', async () => {
      const attempts = [
        ['PATCH', `/api/users/${ritaId}`, { role: 'admin' }],
        ['POST', '/api/users', { name: 'mallory', role: 'admin', password: 'mallory-pass' }],
        ['PUT', `/api/audits/${open.id}/assignments/${ritaId}`, undefined],
        ['DELETE', `/api/audits/${blind.id}/assignments/${robId}`, undefined],
        ['POST', '/api/audits', { name: 'mine', findings: ['Effusion'] }],
        ['POST', '/api/readers', { name: 'rita2' }],
        ['GET', '/api/activity', undefined],
        ['GET', '/api/users', undefined],
      ] as const
      for (const [method, url, body] of attempts) {
        const r = await as(t.app, rita, method, url, body === undefined ? {} : { body })
        expect(r.statusCode, `${method} ${url}`).toBe(403)
      }
      expect((await findUser(t.store.db, 'rita'))?.role).toBe('reader')
      expect(await findUser(t.store.db, 'mallory')).toBeUndefined()
    })
  })

  describe('a viewer and an admin', () => {
    it('[A8] a viewer reads results and reports but no sheet, film or write', async () => {
      expect((await as(t.app, vic, 'GET', `/api/audits/${blind.id}/results`)).statusCode).toBe(200)
      expect((await as(t.app, vic, 'GET', `/api/audits/${blind.id}/report.html`)).statusCode).toBe(
        200,
      )
      expect((await as(t.app, vic, 'GET', sheetUrl(blind))).statusCode).toBe(403)
      const img = robSheet.items[0]!.imageId
      expect((await as(t.app, vic, 'GET', `/api/images/${img}/thumbnail`)).statusCode).toBe(403)
      const write = await as(t.app, vic, 'POST', '/api/events', {
        body: {
          events: [
            {
              kind: 'tag',
              clientEventId: 'vic-tag-0001',
              auditId: blind.id,
              imageId: img,
              tag: 'rotated',
              on: true,
            },
          ],
        },
      })
      expect(write.statusCode).toBe(403)
    })

    it('[A5] an admin assigns, unassigns, changes roles and disables; the log says who', async () => {
      const list = await as(t.app, admin, 'GET', `/api/audits/${blind.id}/assignments`)
      expect(
        (list.json() as { assignments: { user: string }[] }).assignments.map((a) => a.user),
      ).toEqual(['rita', 'rob'])
      const viewerId = (await findUser(t.store.db, 'vic'))!.id
      const refused = await as(
        t.app,
        admin,
        'PUT',
        `/api/audits/${blind.id}/assignments/${viewerId}`,
      )
      expect(refused.statusCode).toBe(400)
      const demote = await as(t.app, admin, 'PATCH', `/api/users/${viewerId}`, {
        body: { disabled: true },
      })
      expect(demote.statusCode, demote.body).toBe(200)
      expect((await as(t.app, vic, 'GET', '/api/audits')).statusCode).toBe(401)
      const self = await as(t.app, admin, 'PATCH', `/api/users/${admin.answer.user.id}`, {
        body: { role: 'viewer' },
      })
      expect(self.statusCode).toBe(400)
      const log = (await as(t.app, admin, 'GET', '/api/activity?user=ana')).json() as {
        entries: { action: string; address: string | null }[]
      }
      expect(log.entries.map((e) => e.action)).toEqual(
        expect.arrayContaining(['session.login', 'audit.create', 'assignment.add', 'user.disable']),
      )
      expect(log.entries.every((e) => e.address === '127.0.0.1')).toBe(true)
    })
  })
})
