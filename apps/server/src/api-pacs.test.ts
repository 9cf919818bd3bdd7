import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { importDicomweb } from '@cxr-audit/ingest'
import { findDataset, openStore, type Store } from '@cxr-audit/store'
import { imageRow, setImageFields } from '@cxr-audit/store/testing'
import type { FastifyInstance } from 'fastify'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sharedIdentity } from '../../../test-support/dicom-fixtures.ts'
import { DIALECTS, tempDatabase } from '../../../test-support/temp-store.ts'
import { startOrthanc, type TestOrthanc } from '../../../test-support/orthanc.ts'
import {
  NIH,
  PATIENTS,
  SIIM,
  uploadTestArchive,
  type TestArchive,
} from '../../../test-support/pacs.ts'
import { buildApp } from './app.ts'
import type { AuditDto, DatasetPageDto, SheetDto } from '@cxr-audit/contract'

let orthanc: TestOrthanc
let archive: TestArchive
let store: Store
let app: FastifyInstance
let dir: string
let datasetId: number

const get = async (url: string) => {
  const r = await app.inject({ url })
  return { status: r.statusCode, text: r.body, json: () => r.json() as unknown, raw: r }
}
const imageId = async (name: string): Promise<number> => (await imageRow(store.db, name)).id

// one archive for the file; a database of each kind in turn
beforeAll(async () => {
  orthanc = await startOrthanc()
  archive = await uploadTestArchive(orthanc)
})
afterAll(async () => orthanc?.dispose())

describe.each(DIALECTS)('%s', (kind) => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cxr-pacs-api-'))
    store = await openStore(await tempDatabase(kind, dir, 'db.sqlite'))
    await importDicomweb(store, { url: orthanc.dicomweb, env: orthanc.env, name: 'PACS' })
    datasetId = (await findDataset(store.db)).id
    app = await buildApp({
      store,
      cacheDir: join(dir, 'cache'),
      loopbackOnly: true,
      env: orthanc.env,
    })
  })
  afterAll(async () => {
    await app?.close()
    await store?.close()
    await rm(dir, { recursive: true, force: true })
  })

  describe('a DICOMweb dataset in the workbench', () => {
    it('[D5] the dataset page marks a dataset that is not de-identified', async () => {
      const page = (await get(`/api/datasets/${datasetId}`)).json() as DatasetPageDto
      expect(page.privacy).toEqual({
        instances: 9,
        identifiable: 7,
        burnedIn: 1,
        deidentified: false,
      })
      expect(page.problems.map((p) => [p.kind, p.count])).toEqual(
        expect.arrayContaining([
          ['not-de-identified', 7],
          ['burned-in-annotation', 1],
        ]),
      )
    })

    it('[D6] [I23] thumbnails and views come from the archive on demand; MONOCHROME1 shows inverted', async () => {
      const mean = async (name: string): Promise<number> => {
        const r = await app.inject({ url: `/api/images/${await imageId(name)}/thumbnail` })
        expect(r.statusCode).toBe(200)
        expect(r.headers['content-type']).toBe('image/jpeg')
        return (await sharp(r.rawPayload).stats()).channels[0]!.mean
      }
      const m1 = await mean(archive.monochrome1)
      const m2 = await mean(archive.jpegBaseline)
      expect(m1 + m2).toBeGreaterThan(250)
      expect(m1 + m2).toBeLessThan(260)
      const v = await app.inject({
        url: `/api/images/${await imageId(archive.uncompressed)}/view?preset=lung`,
      })
      expect(v.statusCode).toBe(200)
      expect(v.headers['content-type']).toBe('image/png')
      const bad = await app.inject({
        url: `/api/images/${await imageId(archive.corrupt)}/thumbnail`,
      })
      expect(bad.statusCode).toBe(422)
    })

    it('[D3] an item whose path is not an instance of the dataset URL is refused before any request', async () => {
      const id = await imageId(archive.uncompressed)
      const original = await imageRow(store.db, archive.uncompressed)
      for (const path of [
        '../../../etc/passwd',
        'http://169.254.169.254/latest',
        'studies/1/series/2/instances/3?x=http://evil',
        '/etc/passwd',
      ]) {
        await setImageFields(store.db, id, { path })
        const r = await app.inject({ url: `/api/images/${id}/view?invert=true` })
        expect(r.statusCode, path).toBe(403)
        expect(r.json()).toMatchObject({ error: { kind: 'outside-root' } })
      }
      await setImageFields(store.db, id, { path: original.path })
    })

    it('[D5] blinded readers never see patient names or ids in any answer', async () => {
      const forbidden = [
        ...Object.values(PATIENTS).flatMap((p) => [
          p.patientId,
          p.patientName,
          p.patientName.split('^')[0]!,
        ]),
        sharedIdentity(NIH).patient,
        sharedIdentity(SIIM).patient,
      ]
      const created = await app.inject({
        method: 'POST',
        url: '/api/audits',
        payload: {
          datasetId,
          name: 'Blinded PACS',
          findings: ['Pneumothorax'],
          negatives: 9,
          blinded: true,
          seed: 3,
        },
      })
      expect(created.statusCode, created.body).toBe(201)
      const audit = (created.json() as { audit: AuditDto }).audit
      const reader = (
        (
          await app.inject({
            method: 'POST',
            url: '/api/readers',
            payload: { name: 'Blind Reader' },
          })
        ).json() as { reader: { id: number } }
      ).reader.id
      const answers: string[] = []
      const page = (await get(`/api/datasets/${datasetId}`)).json() as DatasetPageDto
      const urls = [
        '/api/datasets',
        `/api/datasets/${datasetId}`,
        `/api/datasets/${datasetId}/findings`,
        '/api/audits',
        `/api/audits/${audit.id}`,
        `/api/audits/${audit.id}?reader=${reader}`,
        `/api/audits/${audit.id}/results`,
        '/api/readers',
        ...page.problems.map((p) => `/api/datasets/${datasetId}/problems/${p.kind}?page=0`),
      ]
      for (const f of audit.findings)
        for (let p = 0; p < f.pages; p++)
          urls.push(
            `/api/audits/${audit.id}/sheet?finding=${f.findingId}&page=${p}&reader=${reader}`,
          )
      for (const url of urls) {
        const r = await get(url)
        expect(r.status, `${url}: ${r.text}`).toBeLessThan(500)
        answers.push(r.text)
      }
      const sheet = (await get(urls[urls.length - 1]!)).json() as SheetDto
      expect(sheet.items.length).toBeGreaterThan(0)
      expect(sheet.items[0]).not.toHaveProperty('labelled')
      const all = answers.join('\n')
      for (const secret of forbidden) expect(all, secret).not.toContain(secret)
    })

    it('[D6] a stopped archive is a typed 502 for a film not cached; cached films are still served', async () => {
      const cached = await imageId(archive.jpegBaseline)
      const uncached = await imageId(archive.images.find((n) => n.endsWith('.2.2.1'))!)
      await orthanc.stop()
      try {
        const r = await app.inject({ url: `/api/images/${uncached}/view?preset=bone` })
        expect(r.statusCode).toBe(502)
        expect(r.json()).toMatchObject({ error: { kind: 'unavailable' } })
        expect((await app.inject({ url: `/api/images/${cached}/thumbnail` })).statusCode).toBe(200)
      } finally {
        await orthanc.start()
      }
      expect(
        (await app.inject({ url: `/api/images/${uncached}/view?preset=bone` })).statusCode,
      ).toBe(200)
    })
  })
})
