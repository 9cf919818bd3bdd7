import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { jsonAttributes, type DicomJsonDataset } from '@cxr-audit/core'
import { exportSr, importDicomweb } from '@cxr-audit/ingest'
import { openStore } from '@cxr-audit/store'
import type { AuditDto } from '@cxr-audit/contract'
import { startOrthanc, type TestOrthanc } from '../test-support/orthanc.ts'
import { DIALECTS, tempDatabase } from '../test-support/temp-store.ts'
import { PATIENTS, uploadTestArchive, type TestArchive } from '../test-support/pacs.ts'
import { AppPages } from './pages/app-pages.ts'
import { SheetPageObject } from './pages/sheet-page.ts'
import { Workbench, launchChromium, newContext } from './support/workbench.ts'

let dir: string
let orthanc: TestOrthanc
let archive: TestArchive
let wb: Workbench
let browser: Browser
let page: Page
let sheet: SheetPageObject
let audit: AuditDto
let datasetId: number

describe.each(DIALECTS)('%s', (kind) => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cxr-e2e-pacs-'))
    orthanc = await startOrthanc()
    archive = await uploadTestArchive(orthanc)
    // the server in this process reads the archive's credentials from the environment [D4]
    Object.assign(process.env, orthanc.env)
    const db = await tempDatabase(kind, dir, 'db.sqlite')
    const store = await openStore(db)
    await importDicomweb(store, { url: orthanc.dicomweb, env: orthanc.env, name: 'PACS' })
    await store.close()
    wb = new Workbench(db, dir)
    ;[browser] = await Promise.all([launchChromium(), wb.start()])
    page = await (await newContext(browser)).newPage()
    sheet = new SheetPageObject(page)
    datasetId = (await wb.api<{ datasets: { id: number }[] }>('GET', '/api/datasets')).json
      .datasets[0]!.id
    const r = await wb.api<{ audit: AuditDto }>('POST', '/api/audits', {
      datasetId,
      name: 'PACS pneumothorax',
      findings: ['Pneumothorax'],
      negatives: 9,
      seed: 5,
      blinded: true,
      onePerPatient: false,
    })
    audit = r.json.audit
  })

  afterAll(async () => {
    await browser?.close()
    await wb?.stop()
    await orthanc?.dispose()
    await rm(dir, { recursive: true, force: true })
  })

  describe('a DICOMweb-backed audit in Chromium', () => {
    it('[D6] the sheet shows every film fetched from the archive; the corrupt one is unreadable', async () => {
      await page.goto(`${wb.url}/#/audits/${audit.id}/sheet/${audit.findings[0]!.findingId}/0`)
      await new AppPages(page, wb.url).giveName('Dr PACS')
      await sheet.waitPainted(0)
      expect(await sheet.count()).toBe(9)
      const bad = page.locator(`[data-testid="tile"][data-image="${archive.corrupt}"]`)
      await bad.locator('[data-testid="unreadable"]').waitFor()
      const good = page.locator(`[data-testid="tile"][data-image="${archive.monochrome1}"]`)
      expect(await good.getAttribute('data-thumb')).toBe('loaded')
      const html = await page.content()
      for (const p of Object.values(PATIENTS)) {
        expect(html).not.toContain(p.patientId)
        expect(html).not.toContain(p.patientName)
      }
    })

    it('[D5] the dataset page says the films are not de-identified', async () => {
      await page.goto(`${wb.url}/#/datasets/${datasetId}`)
      const mark = page.getByTestId('privacy')
      await mark.waitFor()
      expect(await mark.getAttribute('data-deidentified')).toBe('false')
      expect(await mark.textContent()).toMatch(/Not de-identified\.\s*7 of 9 DICOM instances/)
    })

    it('[D8] a verdict given in the browser comes back from the archive as a coded SR entry', async () => {
      await sheet.open(`${wb.url}/#/audits/${audit.id}/sheet/${audit.findings[0]!.findingId}/0`)
      const tile = page.locator(`[data-testid="tile"][data-image="${archive.uncompressed}"]`)
      const index = Number(await tile.getAttribute('data-index'))
      await sheet.select(index)
      await sheet.press('x')
      await sheet.expectVerdict(index, 'absent', 'red')
      await sheet.waitSaved()
      const out = await exportSr(wb.store!, {
        reader: 'Dr PACS',
        auditId: audit.id,
        to: orthanc.dicomweb,
        env: orthanc.env,
      })
      expect(out).toMatchObject({ documents: 1, stored: 1, failed: [] })
      const auth = {
        authorization: `Basic ${Buffer.from(`${orthanc.user}:${orthanc.password}`).toString('base64')}`,
      }
      const found = (await (
        await fetch(`${orthanc.dicomweb}/instances?SOPInstanceUID=${out.reports[0]}`, {
          headers: auth,
        })
      ).json()) as DicomJsonDataset[]
      const ref = jsonAttributes(found[0]!)
      const meta = (await (
        await fetch(
          `${orthanc.dicomweb}/studies/${ref.text('0020000D')}/series/${ref.text('0020000E')}/instances/${out.reports[0]}/metadata`,
          { headers: auth },
        )
      ).json()) as DicomJsonDataset[]
      const sr = jsonAttributes(meta[0]!)
      const content = sr.items('0040A730')
      const observer = content.find((c) => c.text('0040A040') === 'PNAME')
      expect(observer?.text('0040A123')).toBe('Dr PACS')
      const findings = content.find((c) => c.text('0040A040') === 'CONTAINER')!.items('0040A730')
      const verdict = findings.find((c) => c.text('0040A040') === 'CODE')!
      expect(verdict.items('0040A043')[0]?.text('00080100')).toBe('36118008') // Pneumothorax
      expect(verdict.items('0040A168')[0]?.text('00080100')).toBe('2667000') // Absent
      expect(
        sr.items('0040A375')[0]?.items('00081115')[0]?.items('00081199')[0]?.text('00081155'),
      ).toBe(archive.uncompressed)
    })
  })
})
