import { addUser, listActivity } from '@cxr-audit/store'
import type { FastifyInstance } from 'fastify'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../../test-support/temp-store.ts'
import { buildApp } from './app.ts'
import { as, login, type Login } from './testing/sessions.ts'
import { openTestApp, type TestApp } from './testing/test-app.ts'

const cli = { name: 'cli:test' }
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
/** A concrete URL for a route of the table: any id will do, the guard answers first. */
const concrete = (url: string): string =>
  url.replace(/:id|:userId/g, '1').replace(/:kind/g, 'missing-files')

let t: TestApp
let admin: Login
describe.each(DIALECTS)('%s', (kind) => {
  beforeAll(async () => {
    t = await openTestApp({ kind, images: 12, accounts: true })
    await addUser(t.store, { name: 'ana', role: 'admin', password: 'ana-password', by: cli })
    await addUser(t.store, { name: 'rita', role: 'reader', password: 'rita-password', by: cli })
    await addUser(t.store, { name: 'vic', role: 'viewer', password: 'vic-password', by: cli })
    await addUser(t.store, { name: 'target', role: 'reader', password: 'target-pass', by: cli })
    admin = await login(t.app, 'ana', 'ana-password')
  })
  afterAll(async () => t.close())

  describe('logging in and out', () => {
    it('[A4] a login answers the user and a CSRF token with an HttpOnly, SameSite=Strict cookie', async () => {
      expect(admin.answer).toEqual({
        user: { id: expect.any(Number), name: 'ana', role: 'admin' },
        csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      })
      expect(admin.setCookie).toMatch(
        /^cxr_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/,
      )
      // plain http without a trusted proxy: no Secure (the browser would drop the cookie)
      const spoofed = await login(t.app, 'ana', 'ana-password', { 'x-forwarded-proto': 'https' })
      expect(spoofed.setCookie).not.toMatch(/Secure/)
      const me = await as(t.app, admin, 'GET', '/api/session')
      expect(me.json()).toEqual(admin.answer)
    })

    it('[A4] behind --trust-proxy over https the cookie is Secure (and HSTS is sent)', async () => {
      const proxied: FastifyInstance = await buildApp({
        store: t.store,
        cacheDir: join(t.dir, 'cache'),
        accounts: true,
        trustProxy: true,
      })
      try {
        const s = await login(proxied, 'ana', 'ana-password', {
          'x-forwarded-proto': 'https',
          'x-forwarded-for': '203.0.113.7',
        })
        expect(s.setCookie).toMatch(/; Secure$/)
        const r = await proxied.inject({
          url: '/api/session',
          headers: { cookie: s.cookie, 'x-forwarded-proto': 'https' },
        })
        expect(r.headers['strict-transport-security']).toMatch(/max-age=/)
        const logins = await listActivity(t.store.db, { user: 'ana' })
        expect(logins.at(-1)).toMatchObject({ action: 'session.login', address: '203.0.113.7' })
      } finally {
        await proxied.close()
      }
    })

    it('[A4] a wrong name and a wrong password get the same 401', async () => {
      const post = (name: string, password: string) =>
        t.app.inject({ method: 'POST', url: '/api/session', payload: { name, password } })
      const wrongName = await post('nobody', 'ana-password')
      const wrongPassword = await post('ana', 'not-her-password')
      expect(wrongName.statusCode).toBe(401)
      expect(wrongPassword.statusCode).toBe(401)
      expect(wrongName.body).toBe(wrongPassword.body)
      expect(wrongName.headers['set-cookie']).toBeUndefined()
      const failed = await listActivity(t.store.db, { user: 'anonymous' })
      expect(failed.map((e) => e.target)).toEqual(expect.arrayContaining(['nobody', 'ana']))
      expect(JSON.stringify(failed)).not.toContain('not-her-password')
    })

    it('[A4] failed logins are rate-limited per name and address', async () => {
      const post = (password: string, remoteAddress = '127.0.0.1', name = 'target') =>
        t.app.inject({
          method: 'POST',
          url: '/api/session',
          payload: { name, password },
          remoteAddress,
        })
      for (let i = 0; i < 5; i++) expect((await post(`guess-${i}`)).statusCode).toBe(401)
      const limited = await post('target-pass')
      expect(limited.statusCode).toBe(429)
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
      // the same name from another address, another name from this one: still allowed
      expect((await post('target-pass', '10.1.2.3')).statusCode).toBe(200)
      expect((await post('rita-password', '127.0.0.1', 'rita')).statusCode).toBe(200)
      // one address guessing across names is stopped too (20 failures)
      for (let i = 0; i < 20; i++) await post('x', '10.9.9.9', `name-${i}`)
      expect((await post('rita-password', '10.9.9.9', 'rita')).statusCode).toBe(429)
    })

    it('[A4] after logout the cookie is worthless, even replayed', async () => {
      const s = await login(t.app, 'vic', 'vic-password')
      expect((await as(t.app, s, 'GET', '/api/audits')).statusCode).toBe(200)
      const out = await as(t.app, s, 'DELETE', '/api/session')
      expect(out.statusCode).toBe(200)
      expect(String(out.headers['set-cookie'])).toMatch(/^cxr_session=; .*Max-Age=0/)
      const replay = await as(t.app, s, 'GET', '/api/audits')
      expect(replay.statusCode).toBe(401)
      expect((await as(t.app, s, 'POST', '/api/events', { body: { events: [] } })).statusCode).toBe(
        401,
      )
    })
  })

  describe('every route of the table', () => {
    it('[A6] the table lists the API and every route declares who may use it', () => {
      const routes = t.app.apiRoutes.map((r) => `${r.method} ${r.url}`)
      expect(routes).toEqual(
        expect.arrayContaining([
          'POST /api/session',
          'POST /api/events',
          'GET /api/audits/:id/sheet',
          'GET /api/images/:id/view',
          'GET /api/audits/:id/report.pdf',
          'PATCH /api/users/:id',
          'GET /api/activity',
        ]),
      )
      expect(routes.length).toBeGreaterThanOrEqual(30)
    })

    it('[A7] without a session every route but the login is 401, before the body is validated', async () => {
      const checked: string[] = []
      for (const r of t.app.apiRoutes) {
        if (r.method === 'POST' && r.url === '/api/session') continue
        for (const cookie of [
          undefined,
          'cxr_session=forged-token-0000000000000000000000000000000',
        ])
          for (const body of WRITES.has(r.method) ? [{ not: 'valid' }] : [undefined]) {
            const res = await t.app.inject({
              method: r.method as 'GET',
              url: concrete(r.url),
              headers: cookie === undefined ? {} : { cookie },
              ...(body === undefined ? {} : { payload: body }),
            })
            expect(res.statusCode, `${r.method} ${r.url}`).toBe(401)
            expect(res.json()).toMatchObject({ error: { kind: 'unauthenticated' } })
          }
        checked.push(`${r.method} ${r.url}`)
      }
      expect(checked.length).toBe(t.app.apiRoutes.length - 1)
    })

    it('[A7] every write without the session CSRF token is 403, before the body is validated', async () => {
      const writes = t.app.apiRoutes.filter((r) => WRITES.has(r.method))
      expect(writes.length).toBeGreaterThanOrEqual(8)
      for (const r of writes) {
        if (r.method === 'POST' && r.url === '/api/session') continue
        for (const csrf of [false, 'wrong-token', ''] as const) {
          const res = await as(t.app, admin, r.method, concrete(r.url), {
            body: { not: 'valid' },
            csrf,
          })
          expect(res.statusCode, `${r.method} ${r.url} csrf=${String(csrf)}`).toBe(403)
          expect(res.json()).toMatchObject({ error: { kind: 'csrf' } })
        }
      }
      // another session's token is not this session's
      const other = await login(t.app, 'rita', 'rita-password')
      const res = await as(t.app, admin, 'POST', '/api/audits', { body: {}, csrf: other.csrf })
      expect(res.statusCode).toBe(403)
    })

    it('[A7] a viewer writing anything is 403 before its body is read', async () => {
      const viewer = await login(t.app, 'vic', 'vic-password')
      for (const r of t.app.apiRoutes.filter(
        (x) => WRITES.has(x.method) && x.access !== 'session',
      )) {
        if (r.access === 'open') continue
        const res = await as(t.app, viewer, r.method, concrete(r.url), { body: { not: 'valid' } })
        expect(res.statusCode, `${r.method} ${r.url}`).toBe(403)
        expect(res.json()).toMatchObject({ error: { kind: 'forbidden' } })
      }
    })

    it('[A10] answers carry the security headers: CSP without inline script, nosniff, no framing', async () => {
      for (const url of ['/', '/api/audits']) {
        const r = await as(t.app, admin, 'GET', url)
        const csp = String(r.headers['content-security-policy'])
        expect(csp).toMatch(/script-src 'self'(;|$)/)
        expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/)
        expect(csp).toMatch(/frame-ancestors 'none'/)
        expect(r.headers['x-content-type-options']).toBe('nosniff')
        expect(r.headers['x-frame-options']).toBe('DENY')
      }
      const api = await as(t.app, admin, 'GET', '/api/audits')
      expect(api.headers['cache-control']).toBe('no-store')
    })
  })
})
