import { createGalleries, evaluateModel, findReader } from '@cxr-audit/store'
import { asWritten } from '@cxr-audit/store/testing'
import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../../test-support/temp-store.ts'
import type {
  AuditDto,
  GalleryAnswer,
  ModelDto,
  ModelEvalDto,
  ModelPageDto,
  SheetDto,
} from '@cxr-audit/contract'
import { openModelTestApp, type ModelTestApp } from './testing/model-app.ts'

let t: ModelTestApp
let model: ModelDto

const wire = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T

async function call<T>(
  method: 'GET' | 'POST',
  url: string,
  body?: object,
): Promise<{ status: number; body: T; raw: LightMyRequestResponse }> {
  const raw = await t.app.inject({ method, url, ...(body === undefined ? {} : { payload: body }) })
  return { status: raw.statusCode, body: raw.json() as T, raw }
}

describe.each(DIALECTS)('%s', (kind) => {
  beforeAll(async () => {
    t = await openModelTestApp(kind)
    model = (await call<{ models: ModelDto[] }>('GET', '/api/models')).body.models[0]!
  })
  afterAll(async () => t?.close())

  describe('the models page API on the real predictions and expert labels', () => {
    it('[W29] lists the model and what it can be measured against', async () => {
      expect(model).toMatchObject({
        name: 'densenet',
        dataset: 'ChestX-ray14',
        file: 'densenet121-jrzech-test-preds.csv',
      })
      expect(model.findings).toHaveLength(14)
      const page = await call<ModelPageDto>('GET', `/api/models/${model.id}`)
      expect(page.status).toBe(200)
      expect(page.body.models.map((m) => m.name)).toEqual(['densenet'])
      const truths = page.body.truths
      expect(truths.find((x) => x.against === 'google')).toMatchObject({
        kind: 'imported',
        suggested: true,
      })
      const individual = truths.filter((x) => x.against.startsWith('google-reader:'))
      expect(individual.length).toBeGreaterThan(1)
      expect(individual.every((x) => !x.suggested && x.kind === 'imported')).toBe(true)
      expect(truths.find((x) => x.against === 'consensus:google-reader:*')).toMatchObject({
        kind: 'consensus',
        suggested: true,
      })
      expect((await call('GET', '/api/models/999')).status).toBe(404)
    })

    it('[W29] against the original labels: evaluateModel unchanged, ROC curves thinned', async () => {
      const r = await call<ModelEvalDto>('GET', `/api/models/${model.id}/eval?curves=true`)
      expect(r.status).toBe(200)
      expect(r.body.report).toEqual(wire(await evaluateModel(t.store, { model: 'densenet' })))
      // the 14 labelled findings and the derived Opacity and Nodule/Mass (maximum of the parts)
      expect(r.body.report.findings).toHaveLength(16)
      expect(r.body.roc).toHaveLength(16)
      for (const c of r.body.roc!) {
        expect(c.fpr.length).toBe(c.tpr.length)
        expect(c.fpr.length).toBeLessThanOrEqual(402)
        expect([c.fpr[0], c.tpr[0]]).toEqual([0, 0])
        expect([c.fpr.at(-1), c.tpr.at(-1)]).toEqual([1, 1])
      }
      expect(r.raw.body.length).toBeLessThan(400_000)
    })

    it('[W29] against a reader: same images, the original labels beside, and the paired difference', async () => {
      const r = await call<ModelEvalDto>(
        'GET',
        `/api/models/${model.id}/eval?against=google&compare=true`,
      )
      const want = await evaluateModel(
        t.store,
        asWritten({
          model: 'densenet',
          against: 'google',
          compareOriginal: true,
        }),
      )
      expect(r.body.report).toEqual(wire(want))
      expect(r.body.roc).toBeNull()
      expect(r.body.report.findings.map((f) => f.finding)).toEqual([
        'Pneumothorax',
        'Opacity',
        'Nodule/Mass',
      ])
      for (const f of r.body.report.findings) {
        expect(f.original!.n).toBe(f.n)
        expect(f.comparison!.method).toMatch(/bootstrap/)
      }
      const pneumothorax = r.body.report.findings[0]!
      expect(pneumothorax.publishedAuc).not.toBeNull()
      const consensus = await call<ModelEvalDto>(
        'GET',
        `/api/models/${model.id}/eval?against=${encodeURIComponent('consensus:google-reader:*')}&compare=true&threshold=sens:0.9`,
      )
      expect(consensus.body.report).toEqual(
        wire(
          await evaluateModel(
            t.store,
            asWritten({
              model: 'densenet',
              against: 'consensus:google-reader:*',
              compareOriginal: true,
              threshold: 'sens:0.9',
            }),
          ),
        ),
      )
    })

    it('[W29] the threshold: youden, a target sensitivity or a number', async () => {
      for (const threshold of ['youden', 'sens:0.9', '0.5']) {
        const r = await call<ModelEvalDto>(
          'GET',
          `/api/models/${model.id}/eval?threshold=${encodeURIComponent(threshold)}&findings=Effusion`,
        )
        expect(r.body.report).toEqual(
          wire(
            await evaluateModel(
              t.store,
              asWritten({ model: 'densenet', threshold, findings: ['Effusion'] }),
            ),
          ),
        )
        const point = r.body.report.findings[0]!.operatingPoint!
        if (threshold === 'sens:0.9') expect(point.sensitivity).toBeGreaterThanOrEqual(0.9)
        if (threshold === '0.5') expect(point.threshold).toBe(0.5)
      }
    })

    it('[M51] cluster=patient gives the same document as eval --cluster patient; any other unit is a 400', async () => {
      const r = await call<ModelEvalDto>(
        'GET',
        `/api/models/${model.id}/eval?cluster=patient&findings=Effusion`,
      )
      expect(r.status).toBe(200)
      expect(r.body.report).toEqual(
        wire(
          await evaluateModel(t.store, {
            model: 'densenet',
            findings: ['Effusion'],
            cluster: 'patient',
          }),
        ),
      )
      expect(r.body.report.cluster).toBe('patient')
      expect(r.body.report.methods.interval).toMatch(/Obuchowski/)
      expect((await call('GET', `/api/models/${model.id}/eval?cluster=film`)).status).toBe(400)
    })

    it('[W31] the hidden-stratification table for the chosen subgroups', async () => {
      const r = await call<ModelEvalDto>(
        'GET',
        `/api/models/${model.id}/eval?by=view&by=sex&findings=Effusion&findings=Pneumothorax`,
      )
      const want = await evaluateModel(
        t.store,
        asWritten({
          model: 'densenet',
          by: ['view', 'sex'],
          findings: ['Effusion', 'Pneumothorax'],
        }),
      )
      expect(r.body.report.hiddenStratification).toEqual(wire(want.hiddenStratification))
      expect(r.body.report.hiddenStratification.some((row) => row.flagged)).toBe(true)
      const single = await call<ModelEvalDto>(
        'GET',
        `/api/models/${model.id}/eval?by=age-band&findings=Effusion`,
      )
      expect(single.body.report.hiddenStratification.every((x) => x.by === 'age-band')).toBe(true)
    })

    it('[W29] bad options are 400 with the store message', async () => {
      const bad = await call<{ error: { kind: string; message: string } }>(
        'GET',
        `/api/models/${model.id}/eval?threshold=best`,
      )
      expect(bad.status).toBe(400)
      expect(bad.body.error.kind).toBe('bad-input')
      expect((await call('GET', `/api/models/${model.id}/eval?compare=true`)).status).toBe(400)
      expect((await call('GET', `/api/models/${model.id}/eval?by=colour`)).status).toBe(400)
      expect((await call('GET', `/api/models/${model.id}/eval?against=nobody`)).status).toBe(400)
    })

    it('[W30] a gallery is a write: it needs a registered person', async () => {
      const body = { finding: 'Effusion', cell: 'fp' }
      expect((await call('POST', `/api/models/${model.id}/galleries`, body)).status).toBe(400)
      const unknown = await call<{ error: { kind: string } }>(
        'POST',
        `/api/models/${model.id}/galleries`,
        { ...body, readerId: 99999 },
      )
      expect(unknown.body.error.kind).toBe('unknown-reader')
      const google = (await findReader(t.store.db, 'google'))!
      const imported = await call<{ error: { kind: string } }>(
        'POST',
        `/api/models/${model.id}/galleries`,
        { ...body, readerId: google.id },
      )
      expect(imported.status).toBe(400)
      expect(imported.body.error.kind).toBe('unknown-reader')
      expect((await call<{ audits: AuditDto[] }>('GET', '/api/audits')).body.audits).toEqual([])
    })

    it('[W30] one click creates the review audit and answers its first sheet', async () => {
      const reader = (
        await call<{ reader: { id: number } }>('POST', '/api/readers', { name: 'Dr Gallery' })
      ).body.reader.id
      const r = await call<GalleryAnswer>('POST', `/api/models/${model.id}/galleries`, {
        readerId: reader,
        finding: 'Effusion',
        cell: 'fp',
        threshold: 'youden',
        seed: 7,
      })
      expect(r.status).toBe(201)
      const preview = await createGalleries(
        t.store,
        asWritten({
          model: 'densenet',
          finding: 'Effusion',
          cells: ['fp' as const],
          threshold: 'youden',
          seed: 7,
          preview: true,
        }),
      )
      const gallery = r.body.report.galleries[0]!
      expect(gallery.images).toEqual(wire(preview.galleries[0]!.images))
      expect(gallery.audit).toMatchObject({
        created: true,
        name: 'densenet Effusion FP @youden seed 7',
      })
      const audits = (await call<{ audits: AuditDto[] }>('GET', '/api/audits')).body.audits
      expect(audits.map((a) => a.id)).toEqual([gallery.audit!.id])
      const s = r.body.sheet!
      expect(s.auditId).toBe(gallery.audit!.id)
      const sheet = await call<SheetDto>(
        'GET',
        `/api/audits/${s.auditId}/sheet?finding=${s.findingId}&page=${s.page}`,
      )
      expect(sheet.status).toBe(200)
      expect(sheet.body.items.map((i) => i.name)).toEqual(gallery.images.map((i) => i.image))
      expect(sheet.body.items.every((i) => i.labelled === 0)).toBe(true)
      const again = await call<GalleryAnswer>('POST', `/api/models/${model.id}/galleries`, {
        readerId: reader,
        finding: 'Effusion',
        cell: 'fp',
        threshold: 'youden',
        seed: 7,
      })
      expect(again.status).toBe(200)
      expect(again.body.report.galleries[0]!.audit).toMatchObject({
        id: gallery.audit!.id,
        created: false,
      })
    })
  })
})
