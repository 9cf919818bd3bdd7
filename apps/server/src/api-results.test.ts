import { labelAccuracy, readerAgreement } from '@cxr-audit/store'
import { reader } from '@cxr-audit/store/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../../test-support/temp-store.ts'
import type { AuditDto, ResultsDto } from '@cxr-audit/contract'
import { REPORT_CSP } from './routes/results.ts'
import { openTestApp, type TestApp } from './testing/test-app.ts'

let t: TestApp
let audit: AuditDto
let readers: { a: number; b: number }

/** JSON as it crosses the wire (undefined fields dropped). */
const wire = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T

// every third image absent, every fifth uncertain, the rest present (positives) / absent
const marks = (shift: number) => (i: number, labelled: number) =>
  (i + shift) % 5 === 0
    ? 'uncertain'
    : (i + shift) % 3 === 0
      ? 'absent'
      : labelled === 1
        ? 'present'
        : 'absent'

async function review(
  reader: number,
  verdictOf: (i: number, labelled: number) => string,
): Promise<void> {
  const events: object[] = []
  for (const f of audit.findings) {
    for (let page = 0; page < f.pages; page++) {
      const sheet = await t.sheet(audit, f.findingId, page, reader)
      sheet.items.forEach((it, i) => {
        events.push({
          kind: 'verdict',
          clientEventId: `r${reader}-${f.findingId}-${page}-${i}`,
          auditId: audit.id,
          imageId: it.imageId,
          findingId: f.findingId,
          verdict: verdictOf(i, it.labelled!),
        })
        if (i % 4 === 0)
          events.push({
            kind: 'tag',
            clientEventId: `t${reader}-${f.findingId}-${page}-${i}`,
            auditId: audit.id,
            imageId: it.imageId,
            tag: 'chest drain',
            on: true,
          })
      })
    }
  }
  const r = await t.json('POST', '/api/events', { readerId: reader, events })
  if (r.status !== 200) throw new Error(r.raw.body)
}

describe.each(DIALECTS)('%s', (kind) => {
  beforeAll(async () => {
    t = await openTestApp({ kind })
    audit = await t.createAudit({
      name: 'results',
      findings: ['Effusion', 'Infiltration'],
      positives: 12,
      negatives: 6,
      seed: 5,
    })
    readers = { a: await t.reader('Dr Results A'), b: await t.reader('Dr Results B') }
  })
  afterAll(async () => t.close())

  describe('the results page API', () => {
    it('[W24] with no verdict yet: no table, a note, and no error', async () => {
      const r = await t.json<ResultsDto>('GET', `/api/audits/${audit.id}/results`)
      expect(r.status).toBe(200)
      expect(r.body.accuracy).toBeNull()
      expect(r.body.agreement).toBeNull()
      expect(r.body.notes.join(' ')).toMatch(/No verdict yet/)
      expect(r.body.tags).toContain('chest drain')
    })

    it('[W24][W25] one reader: the JSON is labelAccuracy of the audit, unchanged', async () => {
      await review(readers.a, marks(0))
      const r = await t.json<ResultsDto>('GET', `/api/audits/${audit.id}/results`)
      expect(r.status).toBe(200)
      expect(r.body.reader).toBe('Dr Results A')
      expect(r.body.accuracy).toEqual(wire(await labelAccuracy(t.store.db, { auditId: audit.id })))
      expect(r.body.accuracy!.findings.map((f) => f.finding)).toEqual(['Effusion', 'Infiltration'])
      expect(r.body.agreement).toBeNull()
      expect(r.body.notes.join(' ')).toMatch(/at least two readers/)
    })

    it('[W24][W27] two readers: consensus by default, each reader on request, and agreement', async () => {
      await review(readers.b, marks(2))
      const r = await t.json<ResultsDto>('GET', `/api/audits/${audit.id}/results`)
      expect(r.body.audit.readers).toEqual(['Dr Results A', 'Dr Results B'])
      expect(r.body.reader).toBe('consensus:Dr Results A,Dr Results B')
      expect(r.body.accuracy).toEqual(wire(await labelAccuracy(t.store.db, { auditId: audit.id })))
      expect(r.body.agreement).toEqual(
        wire(await readerAgreement(t.store.db, { auditId: audit.id })),
      )
      expect(r.body.agreement!.findings[0]!.pairs).toHaveLength(1)
      const b = await t.json<ResultsDto>(
        'GET',
        `/api/audits/${audit.id}/results?reader=${encodeURIComponent('Dr Results B')}&ci=clopper-pearson&seed=3&replicates=200`,
      )
      expect(b.body.accuracy).toEqual(
        wire(
          await labelAccuracy(t.store.db, {
            auditId: audit.id,
            reader: reader('Dr Results B'),
            ci: 'clopper-pearson',
          }),
        ),
      )
      expect(b.body.agreement).toEqual(
        wire(await readerAgreement(t.store.db, { auditId: audit.id, seed: 3, replicates: 200 })),
      )
    })

    it('[W26] per subgroup: the groups and the test of each finding, with its method', async () => {
      for (const by of ['view', 'sex', 'age-band', 'split', 'tag:chest drain']) {
        const r = await t.json<ResultsDto>(
          'GET',
          `/api/audits/${audit.id}/results?by=${encodeURIComponent(by)}`,
        )
        const parsed = by.startsWith('tag:') ? { kind: 'tag' as const, tag: by.slice(4) } : null
        const want = await labelAccuracy(t.store.db, {
          auditId: audit.id,
          by: parsed ?? { kind: by as 'view' },
        })
        expect(r.body.accuracy).toEqual(wire(want))
        const f = r.body.accuracy!.findings[0]!
        expect(f.subgroups!.length).toBeGreaterThan(0)
        expect(f.subgroupTest!.by).toBe(by)
      }
      const tag = await t.json<ResultsDto>(
        'GET',
        `/api/audits/${audit.id}/results?by=tag:chest%20drain`,
      )
      const groups = tag.body.accuracy!.findings[0]!.subgroups!.map((s) => s.group)
      expect(groups).toEqual(['tagged', 'untagged'])
      expect(tag.body.accuracy!.findings[0]!.subgroupTest!.ppv.method).toBe('fisher-exact')
    })

    it('[W24] bad parameters are 400, an unknown audit 404', async () => {
      const bad = await t.json<{ error: { kind: string } }>(
        'GET',
        `/api/audits/${audit.id}/results?by=colour`,
      )
      expect(bad.status).toBe(400)
      expect((await t.json('GET', `/api/audits/${audit.id}/results?ci=normal`)).status).toBe(400)
      const nobody = await t.json<{ error: { message: string } }>(
        'GET',
        `/api/audits/${audit.id}/results?reader=nobody`,
      )
      expect(nobody.status).toBe(400)
      expect((await t.json('GET', '/api/audits/9999/results')).status).toBe(404)
    })

    it('[W28] the report downloads as self-contained HTML with its own script-free policy', async () => {
      const r = await t.app.inject({ method: 'GET', url: `/api/audits/${audit.id}/report.html` })
      expect(r.statusCode).toBe(200)
      expect(r.headers['content-type']).toMatch(/^text\/html/)
      expect(r.headers['content-disposition']).toBe(
        `attachment; filename="audit-${audit.id}-report.html"`,
      )
      expect(r.headers['content-security-policy']).toBe(REPORT_CSP)
      expect(REPORT_CSP).toMatch(/default-src 'none'/)
      expect(r.body).toContain('<!DOCTYPE html>')
      expect(r.body).toContain('&quot;results&quot;')
      expect(r.body).not.toMatch(/<script/i)
    })

    it('[W28] and as PDF, printed by Chromium', async () => {
      const r = await t.app.inject({
        method: 'GET',
        url: `/api/audits/${audit.id}/report.pdf?reader=${encodeURIComponent('Dr Results A')}`,
      })
      expect(r.statusCode).toBe(200)
      expect(r.headers['content-type']).toBe('application/pdf')
      expect(r.rawPayload.subarray(0, 5).toString()).toBe('%PDF-')
    })
  })
})
