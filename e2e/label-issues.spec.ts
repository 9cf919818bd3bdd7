import { importPredictions } from '@cxr-audit/ingest'
import { findModelLabelIssues, openStore } from '@cxr-audit/store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../test-support/temp-store.ts'
import type { Browser, Page } from 'playwright-core'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildFixture } from '../apps/server/src/testing/fixture.ts'
import type { AuditDto, ResultsDto, SheetDto } from '@cxr-audit/contract'
import { PREDICTIONS } from '../apps/server/src/testing/model-app.ts'
import { sharedData } from '../test-support/shared-data.ts'
import { AppPages } from './pages/app-pages.ts'
import { SheetPageObject } from './pages/sheet-page.ts'
import { ResultsPageObject } from './pages/stats-pages.ts'
import { Workbench, launchChromium, newContext } from './support/workbench.ts'

// A reader reviews the labels `label-issues` flagged, then reads how many were really wrong.
let dir: string
let wb: Workbench
let browser: Browser
let page: Page
let audit: AuditDto

describe.each(DIALECTS)('%s', (kind) => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cxr-e2e-flags-'))
    const fixture = await buildFixture({ dir, inPlace: true, kind })
    const store = await openStore(fixture.db)
    await importPredictions(store, { file: sharedData(PREDICTIONS), model: 'densenet' })
    await findModelLabelIssues(store, {
      model: 'densenet',
      findings: ['Effusion'],
      audit: { name: 'E2E flags', top: 6 },
    })
    await store.close()
    wb = new Workbench(fixture.db, dir)
    ;[browser] = await Promise.all([launchChromium(), wb.start()])
    page = await (await newContext(browser)).newPage()
    audit = (await wb.api<{ audits: AuditDto[] }>('GET', '/api/audits')).json.audits.find(
      (a) => a.name === 'E2E flags',
    )!
  })

  afterAll(async () => {
    await browser?.close()
    await wb?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  describe('a label-issue audit in Chromium', () => {
    it('[LI4] the reader marks flagged labels wrong; the results page shows the flag precision', async () => {
      const findingId = audit.findings[0]!.findingId
      const items = (
        await wb.api<SheetDto>('GET', `/api/audits/${audit.id}/sheet?finding=${findingId}&page=0`)
      ).json.items
      // "x" says the label shown is wrong: absent on a labelled positive, present on a negative
      const wrong = (i: number) => (items[i]!.labelled === 1 ? 'absent' : 'present')
      const sheet = new SheetPageObject(page)
      await page.goto(`${wb.url}/#/audits/${audit.id}/sheet/${findingId}/0`)
      await new AppPages(page, wb.url).giveName('Dr Flags')
      await sheet.waitPainted(0)
      await sheet.press('x') // tile 0: the flagged label is wrong
      await sheet.expectVerdict(0, wrong(0), 'red')
      await sheet.press('l', 'x') // tile 1 too
      await sheet.expectVerdict(1, wrong(1), 'red')
      await sheet.press('PageDown') // the only page: the other four labels are confirmed right
      await page.getByTestId('audit-done').waitFor()
      await sheet.waitSaved()
      await page.getByTestId('results-link').click()
      const results = new ResultsPageObject(page, wb.url)
      await results.waitReady()
      const api = (await wb.api<ResultsDto>('GET', `/api/audits/${audit.id}/results`)).json
      const row = api.accuracy!.labelIssues[0]!
      expect(row).toMatchObject({
        finding: 'Effusion',
        judged: 6,
        confirmedWrong: 2,
        confirmedRight: 4,
      })
      expect(await results.flagCell('Effusion', 'confirmed-wrong').textContent()).toBe('2')
      expect(await results.flagCell('Effusion', 'flag-precision').textContent()).toContain(
        `${((2 / 6) * 100).toFixed(1)}%`,
      )
    })
  })
})
