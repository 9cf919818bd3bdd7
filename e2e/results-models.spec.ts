import { importPredictions } from '@cxr-audit/ingest'
import { openStore } from '@cxr-audit/store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { DIALECTS } from '../test-support/temp-store.ts'
import { buildFixture } from '../apps/server/src/testing/fixture.ts'
import type { AuditDto, ModelEvalDto, ResultsDto } from '@cxr-audit/contract'
import { PREDICTIONS } from '../apps/server/src/testing/model-app.ts'
import { sharedData } from '../test-support/shared-data.ts'
import { AppPages } from './pages/app-pages.ts'
import { SheetPageObject } from './pages/sheet-page.ts'
import { ModelsPageObject, ResultsPageObject } from './pages/stats-pages.ts'
import { Workbench, launchChromium, newContext } from './support/workbench.ts'

// One reader: marks a sheet, reads the results, then audits the model and opens a gallery.
let dir: string
let wb: Workbench
let browser: Browser
let page: Page
let audit: AuditDto

describe.each(DIALECTS)('%s', (kind) => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cxr-e2e-stats-'))
    const fixture = await buildFixture({ dir, inPlace: true, kind })
    const store = await openStore(fixture.db)
    await importPredictions(store, { file: sharedData(PREDICTIONS), model: 'densenet' })
    await store.close()
    wb = new Workbench(fixture.db, dir)
    ;[browser] = await Promise.all([launchChromium(), wb.start()])
    page = await (await newContext(browser)).newPage()
    audit = (
      await wb.api<{ audit: AuditDto }>('POST', '/api/audits', {
        name: 'E2E results',
        findings: ['Effusion'],
        positives: 12,
        negatives: 6,
        seed: 3,
      })
    ).json.audit
  })

  afterAll(async () => {
    await browser?.close()
    await wb?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  describe('the results and models pages in Chromium', () => {
    it('[W24][W25] after a few verdicts, the results page shows the PPV table and the forest plot', async () => {
      const sheet = new SheetPageObject(page)
      await page.goto(`${wb.url}/#/audits/${audit.id}/sheet/${audit.findings[0]!.findingId}/0`)
      await new AppPages(page, wb.url).giveName('Dr Results')
      await sheet.waitPainted(0)
      await sheet.press('x') // tile 0: the label is wrong
      await sheet.expectVerdict(0, 'absent', 'red')
      await sheet.press('l', 'd') // tile 1: doubtful
      await sheet.expectVerdict(1, 'uncertain', 'orange')
      await sheet.press('PageDown') // the only page: the rest confirm their labels
      await page.getByTestId('audit-done').waitFor()
      await sheet.waitSaved()
      await page.getByTestId('results-link').click()
      const results = new ResultsPageObject(page, wb.url)
      await results.waitReady()
      const api = (await wb.api<ResultsDto>('GET', `/api/audits/${audit.id}/results`)).json
      const effusion = api.accuracy!.findings[0]!
      expect(effusion).toMatchObject({ labelledPositive: 12, absent: 1, uncertain: 1, present: 10 })
      expect(await results.ppv('Effusion').textContent()).toContain(
        `${(effusion.ppv! * 100).toFixed(1)}%`,
      )
      await results.forestRow('Effusion').locator('circle.ppv').waitFor()
      expect(await results.forestRow('Effusion').locator('path.published').count()).toBe(1)
      expect(await page.getByTestId('report-html').getAttribute('href')).toMatch(
        new RegExp(`^/api/audits/${audit.id}/report\\.html`),
      )
    })

    it('[R8] the results page downloads every table (CSV, LaTeX) and figure (SVG, PDF) as one ZIP', async () => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('report-zip').click(),
      ])
      expect(download.suggestedFilename()).toBe(`audit-${audit.id}-tables-figures.zip`)
      const file = join(dir, 'exports.zip')
      await download.saveAs(file)
      // read by Info-ZIP, not by our own code
      const names = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).trim().split('\n')
      expect(names).toEqual(
        expect.arrayContaining([
          'tables/label-accuracy-positives.csv',
          'tables/label-accuracy-positives.tex',
          'tables/label-accuracy-negatives.csv',
          'tables/reporting-checklist.csv',
          'figures/forest-plot-ppv.svg',
          'figures/forest-plot-ppv.pdf',
        ]),
      )
      const csv = execFileSync('unzip', ['-p', file, 'tables/label-accuracy-positives.csv'], {
        encoding: 'utf8',
      })
      expect(csv.split('\r\n')[1]).toMatch(/^Effusion,12,10,1,1,/)
      expect(execFileSync('unzip', ['-tq', file], { encoding: 'utf8' })).toMatch(/No errors/)
    })

    it('[W29][W30] the models page shows the AUC table; FP opens a gallery sheet in one click', async () => {
      const models = new ModelsPageObject(page, wb.url)
      await models.open()
      expect(await page.getByTestId('auc-row').count()).toBe(16)
      expect(await models.aucRow('Effusion').textContent()).toMatch(
        /0\.\d{3} \(0\.\d{3}–[01]\.\d{3}\)/,
      )
      expect(await page.getByTestId('roc-curve').count()).toBe(16)
      const sheet = new SheetPageObject(page)
      const before = await sheet.paints()
      await models.gallery('Effusion', 'fp')
      await sheet.waitPainted(before)
      expect(page.url()).toMatch(/#\/audits\/\d+\/sheet\/\d+\/0$/)
      const { audits } = (await wb.api<{ audits: AuditDto[] }>('GET', '/api/audits')).json
      const gallery = audits.find((a) => a.name.startsWith('densenet Effusion FP'))!
      expect(page.url()).toContain(`#/audits/${gallery.id}/sheet/`)
      expect(await sheet.count()).toBe(gallery.items)
      // a false positive is labelled negative: every tile says so
      const labels = await page
        .locator('[data-testid="tile"] [data-testid="label"]')
        .allTextContents()
      expect(labels).toHaveLength(gallery.items)
      expect(labels.every((l) => l.startsWith('−'))).toBe(true)
    })

    it('[M51] the models page offers DeLong or patient-clustered intervals and says which it shows', async () => {
      const models = new ModelsPageObject(page, wb.url)
      await models.open()
      const shown = page.getByTestId('interval-shown')
      expect(await shown.getAttribute('data-cluster')).toBe('films')
      expect(await shown.textContent()).toContain('95% DeLong intervals')
      const modelId = (await wb.api<{ models: { id: number }[] }>('GET', '/api/models')).json
        .models[0]!.id
      const films = (
        await wb.api<ModelEvalDto>('GET', `/api/models/${modelId}/eval?findings=Effusion`)
      ).json.report
      // the warning is shown exactly when the evaluation has one (patients with several films)
      const warning = page.getByTestId('interval-warning')
      if (films.warning === undefined) expect(await warning.count()).toBe(0)
      else
        expect(await warning.textContent()).toMatch(
          /patients have more than one film.*choose patients as clusters above/,
        )
      await page.getByTestId('interval-choice').selectOption('patient')
      await page.locator('[data-testid="interval-shown"][data-cluster="patient"]').waitFor()
      await page.locator('[data-testid="auc-section"][data-state="ready"]').waitFor()
      expect(await shown.textContent()).toMatch(/patients as clusters \(Obuchowski 1997\)/)
      expect(await page.getByTestId('interval-warning').count()).toBe(0)
      const api = (
        await wb.api<ModelEvalDto>(
          'GET',
          `/api/models/${modelId}/eval?cluster=patient&findings=Effusion`,
        )
      ).json.report
      const effusion = api.findings.find((f) => f.finding === 'Effusion')!
      expect(api.methods.interval).toMatch(/Obuchowski/)
      expect(await models.aucRow('Effusion').textContent()).toContain(
        `(${effusion.aucLow!.toFixed(3)}–${effusion.aucHigh!.toFixed(3)})`,
      )
    })
  })
})
