import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../../test-support/temp-store.ts'
import type { AuditProgressDto, DatasetPageDto, PlanAnswer, SheetDto } from '@cxr-audit/contract'
import { openTestApp, type TestApp } from './testing/test-app.ts'

let t: TestApp
describe.each(DIALECTS)('%s', (kind) => {
  beforeAll(async () => {
    t = await openTestApp({ kind, images: 60 })
  })
  afterAll(async () => t.close())

  describe('audits through the API', () => {
    it('[W3] the same seed and data draw the same images in the same order', async () => {
      const a = await t.createAudit({
        name: 'a',
        findings: ['Effusion'],
        positives: 5,
        negatives: 5,
        seed: 11,
      })
      const b = await t.createAudit({
        name: 'b',
        findings: ['effusion'],
        positives: 5,
        negatives: 5,
        seed: '11',
      })
      const c = await t.createAudit({
        name: 'c',
        findings: ['Effusion'],
        positives: 5,
        negatives: 5,
        seed: 12,
      })
      const names = async (id: typeof a): Promise<string[]> =>
        (await t.sheet(id, id.findings[0]!.findingId, 0)).items.map((i) => i.name)
      expect(await names(b)).toEqual(await names(a))
      expect(await names(c)).not.toEqual(await names(a))
      expect(a.seed).toBe(11)
    })

    it('[W2] a seed that is not a whole number is refused with 400', async () => {
      const r = await t.json<{ error: { kind: string; message: string } }>('POST', '/api/audits', {
        name: 'bad seed',
        findings: ['Effusion'],
        seed: 'abc',
      })
      expect(r.status).toBe(400)
      expect(r.body.error.message).toMatch(/seed must be a whole number/)
    })

    it('[W8] a finding with no image on disk is refused, naming the finding', async () => {
      const r = await t.json<{ error: { message: string } }>('POST', '/api/audits', {
        name: 'nothing',
        findings: ['Hernia'],
        positives: 5,
        filters: { view: 'LL' },
      })
      expect(r.status).toBe(400)
      expect(r.body.error.message).toMatch(/nothing to review for Hernia/)
      const list = await t.json<{ audits: { name: string }[] }>('GET', '/api/audits')
      expect(list.body.audits.map((x) => x.name)).not.toContain('nothing')
    })

    it('[W6] a sample larger than the population takes all and says so', async () => {
      const r = await t.json<{ audit: { items: number }; notes: string[] }>('POST', '/api/audits', {
        name: 'greedy',
        findings: ['Pneumothorax'],
        positives: 10000,
      })
      expect(r.status).toBe(201)
      expect(r.body.notes[0]).toMatch(
        /^Pneumothorax: asked for 10000 labelled positives, only \d+ patients on disk match: took all/,
      )
    })

    it('[W7] blinded: neither the label nor the boxes are in the sheet answer', async () => {
      const audit = await t.createAudit({
        name: 'blind',
        findings: ['Effusion'],
        positives: 4,
        negatives: 4,
        seed: 3,
        blinded: true,
      })
      const r = await t.json<SheetDto>(
        'GET',
        `/api/audits/${audit.id}/sheet?finding=${audit.findings[0]!.findingId}&page=0`,
      )
      expect(r.status).toBe(200)
      expect(r.body.items).toHaveLength(8)
      for (const it of r.body.items) {
        expect(it).not.toHaveProperty('labelled')
        expect(it).not.toHaveProperty('boxes')
      }
      expect(r.raw.body).not.toMatch(/labelled|"boxes"/)
      const open = await t.createAudit({
        name: 'open',
        findings: ['Effusion'],
        positives: 4,
        negatives: 4,
        seed: 3,
      })
      const s = await t.sheet(open, open.findings[0]!.findingId, 0)
      expect(s.items.map((i) => i.labelled)).toEqual([1, 1, 1, 1, 0, 0, 0, 0])
    })

    it('[W9] sheets hold 18 items and point to the next and previous sheet', async () => {
      const audit = await t.createAudit({
        name: 'big',
        findings: ['Infiltration', 'Effusion'],
        positives: 100,
        negatives: 10,
        seed: 5,
        onePerPatient: false,
      })
      const [inf, eff] = audit.findings
      const first = await t.sheet(audit, inf!.findingId, 0)
      expect(first.items.length).toBe(Math.min(18, inf!.items))
      expect(first.pageSize).toBe(18)
      const last = await t.sheet(audit, inf!.findingId, inf!.pages - 1)
      expect(last.next).toEqual({ findingId: eff!.findingId, page: 0 })
      const past = await t.json(
        'GET',
        `/api/audits/${audit.id}/sheet?finding=${inf!.findingId}&page=${inf!.pages}`,
      )
      expect(past.status).toBe(404)
    })

    it('[W17] readers register by name once; progress is per reader and finding', async () => {
      const ada = await t.reader('Ada')
      expect(await t.reader('  Ada ')).toBe(ada)
      const audit = await t.createAudit({
        name: 'progress',
        findings: ['Effusion'],
        positives: 3,
        negatives: 0,
        seed: 1,
      })
      const f = audit.findings[0]!.findingId
      const sheet = await t.sheet(audit, f, 0)
      const ev = (i: number, verdict: string) => ({
        kind: 'verdict',
        clientEventId: `prog-${i}-${verdict}`,
        auditId: audit.id,
        imageId: sheet.items[i]!.imageId,
        findingId: f,
        verdict,
      })
      const r = await t.json('POST', '/api/events', {
        readerId: ada,
        events: [ev(0, 'absent'), ev(1, 'uncertain')],
      })
      expect(r.status).toBe(200)
      const p = await t.json<{ progress: AuditProgressDto }>(
        'GET',
        `/api/audits/${audit.id}?reader=${ada}`,
      )
      expect(p.body.progress.findings[0]).toMatchObject({
        items: 3,
        reviewed: 2,
        absent: 1,
        uncertain: 1,
        nextPage: 0,
      })
      const other = await t.json<{ progress: AuditProgressDto }>(
        'GET',
        `/api/audits/${audit.id}?reader=${await t.reader('Bea')}`,
      )
      expect(other.body.progress.findings[0]!.reviewed).toBe(0)
      expect(other.body.progress.readers).toEqual([{ readerId: ada, name: 'Ada', verdicts: 2 }])
    })

    it('[W1] the planner answers both ways', async () => {
      const n = await t.json<PlanAnswer>('GET', '/api/plan?expected=0.8&halfWidth=0.05')
      expect(n.body.n).toBe(245)
      const w = await t.json<PlanAnswer>('GET', '/api/plan?expected=0.8&n=100')
      expect(w.body.halfWidth).toBeCloseTo(0.0777, 3)
      expect((await t.json('GET', '/api/plan?expected=2&n=100')).status).toBe(400)
    })

    it('[W20] the dataset page lists the problems with their images on disk', async () => {
      const r = await t.json<DatasetPageDto>('GET', '/api/datasets/1')
      expect(r.status).toBe(200)
      expect(r.body.dataset.imagesOnDisk).toBe(60)
      expect(r.body.prevalence.find((p) => p.finding === 'Effusion')?.positives).toBeGreaterThan(0)
      // the 14 findings and No Finding, a labelled finding of its own [X6]
      expect(r.body.cooccurrence.findings).toHaveLength(15)
      const missing = r.body.problems.find((p) => p.kind === 'missing-on-disk')
      expect(missing).toBeUndefined() // every row of the fixture has its file
      const names = await t.json<{ findings: { name: string; positivesOnDisk: number }[] }>(
        'GET',
        '/api/datasets/1/findings',
      )
      expect(
        names.body.findings.find((f) => f.name === 'Opacity')?.positivesOnDisk,
      ).toBeGreaterThan(0)
    })
  })
})
