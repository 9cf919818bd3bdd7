import { tableRows } from '@cxr-audit/store/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DIALECTS } from '../test-support/temp-store.ts'
import { buildFixture } from '../apps/server/src/testing/fixture.ts'
import type { AuditDto, ReaderConditionsDto, ResultsDto, SheetDto } from '@cxr-audit/contract'
import { AppPages } from './pages/app-pages.ts'
import { SheetPageObject, ViewerObject } from './pages/sheet-page.ts'
import { ResultsPageObject } from './pages/stats-pages.ts'
import { Workbench, launchChromium, newContext } from './support/workbench.ts'

// One reader reads two pages, opening one film in the viewer and applying two presets; the
// recorded facts and the pace computed from them are checked against the stored event times.
let dir: string
let wb: Workbench
let browser: Browser
let page: Page
let audit: AuditDto

describe.each(DIALECTS)('%s', (kind) => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cxr-e2e-reading-'))
    const fixture = await buildFixture({ dir, inPlace: true, kind })
    wb = new Workbench(fixture.db, dir)
    ;[browser] = await Promise.all([launchChromium(), wb.start()])
    page = await (await newContext(browser)).newPage()
    audit = (
      await wb.api<{ audit: AuditDto }>('POST', '/api/audits', {
        name: 'E2E reading',
        findings: ['Effusion'],
        positives: 12,
        negatives: 24,
        seed: 5,
      })
    ).json.audit
  })

  afterAll(async () => {
    await browser?.close()
    await wb?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  it('[W35] [W34] [W36] viewer, preset and page times are recorded and the pace follows from them', async () => {
    expect(audit.items).toBe(36)
    const finding = audit.findings[0]!.findingId
    const sheet = new SheetPageObject(page)
    await page.goto(`${wb.url}/#/audits/${audit.id}/sheet/${finding}/0`)
    await new AppPages(page, wb.url).giveName('Dr Pace')
    await sheet.waitPainted(0)
    // open film 2 in the viewer, apply "lung" by its button, then the next preset by key
    await sheet.select(2)
    await sheet.press('Enter')
    const viewer = new ViewerObject(page)
    await viewer.waitReady()
    await page.locator('.viewer-controls button', { hasText: /^lung$/ }).click()
    await page.locator('[data-testid="viewer"][data-preset="lung"]').waitFor()
    await sheet.press('p')
    await page.locator('[data-testid="viewer"][data-preset="mediastinum"]').waitFor()
    await sheet.press('Escape')
    await viewer.root().waitFor({ state: 'detached' })
    await sheet.press('x') // film 2: the label is wrong
    await sheet.press('PageDown') // page 1 finished
    await sheet.waitPainted(1)
    await sheet.waitSaved()
    await sheet.press('l', 'd') // film 1 of page 2: doubtful
    await sheet.press('PageDown') // page 2 finished: the audit is done
    await page.getByTestId('audit-done').waitFor()
    await sheet.waitSaved()

    // the reading events reach the server a moment after they happen
    let me: ReaderConditionsDto | undefined
    for (let i = 0; i < 100; i++) {
      const r = await wb.api<ResultsDto>('GET', `/api/audits/${audit.id}/results`)
      me = r.json.readingConditions.readers.find((x) => x.reader === 'Dr Pace')
      if (me?.presets !== null && Object.keys(me?.presets ?? {}).length === 2) break
      await page.waitForTimeout(100)
    }
    const db = wb.store!.db
    // the second page's `sheet` event may come in a later batch than the presets
    let reading = await tableRows(db, 'reading_event')
    for (let i = 0; i < 100 && reading.length < 5; i++) {
      await page.waitForTimeout(100)
      reading = await tableRows(db, 'reading_event')
    }
    const page0 = (
      await wb.api<SheetDto>('GET', `/api/audits/${audit.id}/sheet?finding=${finding}&page=0`)
    ).json
    const page1 = (
      await wb.api<SheetDto>('GET', `/api/audits/${audit.id}/sheet?finding=${finding}&page=1`)
    ).json
    const film = page0.items[2]!.imageId
    expect(reading.map((r) => [r['kind'], r['image_id'], r['preset'], r['page']])).toEqual([
      ['sheet', null, null, 0],
      ['viewer', film, null, null],
      ['preset', film, 'lung', null],
      ['preset', film, 'mediastinum', null],
      ['sheet', null, null, 1],
    ])
    // each page finished when its last film got a verdict: the pace by hand from the rows
    const verdicts = await tableRows(db, 'verdict_event')
    const finishedAt = (s: SheetDto): number => {
      const ids = new Set(s.items.map((i) => i.imageId))
      return Math.max(
        ...verdicts
          .filter((v) => ids.has(v['image_id'] as number))
          .map((v) => Date.parse(v['created_at'] as string)),
      )
    }
    const seconds = (finishedAt(page1) - finishedAt(page0)) / 1000
    expect(seconds).toBeGreaterThan(0)
    expect(me).toMatchObject({
      films: 36,
      pages: 2,
      timedPages: 1,
      timedFilms: 18,
      breaks: 0,
      recorded: true,
      viewerFilms: 1,
      viewerOpens: 1,
      viewerShare: 1 / 36,
      presets: { lung: 1, mediastinum: 1 },
    })
    expect(me!.timedSeconds).toBeCloseTo(seconds, 9)
    expect(me!.medianSecondsPerFilm).toBeCloseTo(seconds / 18, 9)
    expect(me!.filmsPerHour).toBeCloseTo((3600 * 18) / seconds, 6)

    // the results page shows the same numbers
    const results = new ResultsPageObject(page, wb.url)
    await results.open(audit.id)
    const row = page.locator('[data-testid="reading-table"] tr[data-reader="Dr Pace"]')
    expect(await row.getByTestId('viewer-share').textContent()).toBe('1 (2.8%)')
    expect(await row.getByTestId('presets').textContent()).toBe('lung (1), mediastinum (1)')
    expect(await row.getByTestId('median-seconds').textContent()).toBe((seconds / 18).toFixed(1))
  })
})
