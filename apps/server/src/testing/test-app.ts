import { openStore, type Store } from '@cxr-audit/store'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildApp } from '../app.ts'
import type { AuditDto, CreateAuditBody, SheetDto } from '@cxr-audit/contract'
import { buildFixture, type Fixture, type FixtureOptions } from './fixture.ts'

export interface TestApp {
  readonly app: FastifyInstance
  readonly store: Store
  readonly fixture: Fixture
  readonly dir: string
  json<T>(
    method: 'GET' | 'POST',
    url: string,
    body?: unknown,
  ): Promise<{ status: number; body: T; raw: LightMyRequestResponse }>
  createAudit(
    body: Partial<CreateAuditBody> & { name: string; findings: string[] },
  ): Promise<AuditDto>
  sheet(audit: AuditDto, finding: number, page: number, reader?: number): Promise<SheetDto>
  reader(name: string): Promise<number>
  close(): Promise<void>
}

/** A real app on a real database (SQLite unless `kind`) and real images, driven with `inject`. */
export async function openTestApp(
  o: Omit<FixtureOptions, 'dir'> & { accounts?: boolean; trustProxy?: boolean } = {},
): Promise<TestApp> {
  const { accounts, trustProxy, ...fixtureOptions } = o
  const dir = await mkdtemp(join(tmpdir(), 'cxr-wb-'))
  const fixture = await buildFixture({ ...fixtureOptions, dir })
  const store = await openStore(fixture.db)
  const app = await buildApp({
    store,
    cacheDir: join(dir, 'cache'),
    loopbackOnly: true,
    accounts: accounts === true,
    trustProxy: trustProxy === true,
  })
  const t: TestApp = {
    app,
    store,
    fixture,
    dir,
    async json<T>(method: 'GET' | 'POST', url: string, body?: unknown) {
      const raw = await app.inject({
        method,
        url,
        ...(body === undefined ? {} : { payload: body as object }),
      })
      return { status: raw.statusCode, body: raw.json() as T, raw }
    },
    async createAudit(body) {
      const r = await t.json<{ audit: AuditDto }>('POST', '/api/audits', body)
      if (r.status !== 201) throw new Error(`audit not created: ${r.raw.body}`)
      return r.body.audit
    },
    async sheet(audit, finding, page, reader) {
      const q = reader === undefined ? '' : `&reader=${reader}`
      const r = await t.json<SheetDto>(
        'GET',
        `/api/audits/${audit.id}/sheet?finding=${finding}&page=${page}${q}`,
      )
      if (r.status !== 200) throw new Error(`no sheet: ${r.raw.body}`)
      return r.body
    },
    async reader(name) {
      const r = await t.json<{ reader: { id: number } }>('POST', '/api/readers', { name })
      return r.body.reader.id
    },
    async close() {
      await app.close()
      await store.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
  return t
}
