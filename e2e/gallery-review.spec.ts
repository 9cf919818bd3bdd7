import { importPredictions } from '@cxr-audit/ingest'
import { openStore } from '@cxr-audit/store'
import { wilsonInterval, GALLERY_CELLS } from '@cxr-audit/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DIALECTS } from '../test-support/temp-store.ts'
import { buildFixture } from '../apps/server/src/testing/fixture.ts'
import type { AuditDto, GalleryReviewDto, ModelDto } from '@cxr-audit/contract'
import { PREDICTIONS } from '../apps/server/src/testing/model-app.ts'
import { sharedData } from '../test-support/shared-data.ts'
import { AppPages } from './pages/app-pages.ts'
import { SheetPageObject } from './pages/sheet-page.ts'
import { ModelsPageObject } from './pages/stats-pages.ts'
import { Workbench, launchChromium, newContext } from './support/workbench.ts'

// One reader opens the four galleries of a finding from the models page and reviews each: the
// first film's label is wrong, the rest confirmed. The models page then shows the model's call
// against the reader, whose counts follow by hand from what was pressed.
let dir: string
let wb: Workbench
let browser: Browser
let page: Page

const pctText = (x: number): string => `${(x * 100).toFixed(1)}%`

describe.each(DIALECTS)('%s', (kind) => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cxr-e2e-galleries-'))
    const fixture = await buildFixture({ dir, inPlace: true, kind })
    const store = await openStore(fixture.db)
    await importPredictions(store, { file: sharedData(PREDICTIONS), model: 'densenet' })
    await store.close()
    wb = new Workbench(fixture.db, dir)
    ;[browser] = await Promise.all([launchChromium(), wb.start()])
    page = await (await newContext(browser)).newPage()
  })

  afterAll(async () => {
    await browser?.close()
    await wb?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  it('[W37] [M45] after the TP, FP, TN and FN galleries are reviewed, the models page shows the model against the reader', async () => {
    const models = new ModelsPageObject(page, wb.url)
    const sheet = new SheetPageObject(page)
    await page.goto(`${wb.url}/#/models`)
    await new AppPages(page, wb.url).giveName('Dr Gallery')
    for (const [i, cell] of GALLERY_CELLS.entries()) {
      await models.open()
      if (i === 0)
        expect(await page.getByTestId('gallery-review').textContent()).toContain(
          'No gallery of this model yet',
        )
      const before = await sheet.paints()
      await models.gallery('Effusion', cell)
      await sheet.waitPainted(before)
      await sheet.press('x') // the first film: its label is wrong
      await sheet.press('PageDown') // the rest confirm their labels
      await page.getByTestId('audit-done').waitFor()
      await sheet.waitSaved()
      if (i === 1) {
        // two cells reviewed: the page says which are missing, no table yet
        await models.open()
        await page.locator('[data-testid="gallery-review"][data-state="ready"]').waitFor()
        expect(await page.getByTestId('gallery-call-table').count()).toBe(0)
        expect(await page.getByTestId('gallery-review-pending').textContent()).toContain(
          'review the TN, FN galleries',
        )
      }
    }
    const { audits } = (await wb.api<{ audits: AuditDto[] }>('GET', '/api/audits')).json
    const drawn = (cell: string): number =>
      audits.find((a) => a.name.startsWith(`densenet Effusion ${cell.toUpperCase()}`))!.items
    const [tp, fp, tn, fn] = GALLERY_CELLS.map(drawn) as [number, number, number, number]
    // by hand: TP and FN films are labelled positive (x = absent), FP and TN negative (x = present)
    const positive = { present: tp - 1 + 1, absent: 1 + fp - 1, uncertain: 0 }
    const negative = { present: 1 + fn - 1, absent: tn - 1 + 1, uncertain: 0 }
    const { models: list } = (await wb.api<{ models: ModelDto[] }>('GET', '/api/models')).json
    const review = (
      await wb.api<GalleryReviewDto>('GET', `/api/models/${list[0]!.id}/gallery-review`)
    ).json
    expect(review.tables).toHaveLength(1)
    expect(review.tables[0]).toMatchObject({
      finding: 'Effusion',
      complete: true,
      calledPositive: positive,
      calledNegative: negative,
      ppv: tp / (tp + fp),
      npv: tn / (tn + fn),
    })

    await models.open()
    await page.locator('[data-testid="gallery-review"][data-state="ready"]').waitFor()
    const table = page.locator('[data-testid="gallery-call-table"][data-finding="Effusion"]')
    const cells = async (row: string): Promise<string[]> =>
      table.locator(`[data-testid="${row}"] td`).allTextContents()
    const ppv = wilsonInterval(tp, tp + fp)
    const npv = wilsonInterval(tn, tn + fn)
    expect(await cells('called-positive')).toEqual([
      String(positive.present),
      String(positive.absent),
      '0',
      `PPV ${pctText(tp / (tp + fp))} (${(ppv.low * 100).toFixed(1)}–${(ppv.high * 100).toFixed(1)}%)`,
    ])
    expect(await cells('called-negative')).toEqual([
      String(negative.present),
      String(negative.absent),
      '0',
      `NPV ${pctText(tn / (tn + fn))} (${(npv.low * 100).toFixed(1)}–${(npv.high * 100).toFixed(1)}%)`,
    ])
  })
})
