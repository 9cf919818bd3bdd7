import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DIALECTS } from '../test-support/temp-store.ts'
import { buildFixture, type Fixture } from '../apps/server/src/testing/fixture.ts'
import type { AuditDto, SheetDto } from '@cxr-audit/contract'
import { AppPages } from './pages/app-pages.ts'
import { SheetPageObject } from './pages/sheet-page.ts'
import { Workbench, launchChromium, newContext } from './support/workbench.ts'

let dir: string
let fixture: Fixture
let wb: Workbench
let browser: Browser
let page: Page
let sheet: SheetPageObject
let audit: AuditDto

describe.each(DIALECTS)('%s', (kind) => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cxr-e2e-blind-'))
    fixture = await buildFixture({ dir, images: 80, corrupt: 1, kind })
    wb = new Workbench(fixture.db, dir)
    ;[browser] = await Promise.all([launchChromium(), wb.start()])
    page = await (await newContext(browser)).newPage()
    sheet = new SheetPageObject(page)
    // all images per patient, so the corrupt film (a labelled pneumothorax) is drawn
    const r = await wb.api<{ audit: AuditDto }>('POST', '/api/audits', {
      name: 'Blinded pneumothorax',
      findings: ['Pneumothorax'],
      positives: 12,
      negatives: 4,
      seed: 7,
      blinded: true,
      onePerPatient: false,
    })
    audit = r.json.audit
  })

  afterAll(async () => {
    await browser?.close()
    await wb?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  describe('a blinded audit in Chromium', () => {
    it('[W7] hides the original label from the page and from the API answer', async () => {
      await page.goto(`${wb.url}/#/audits/${audit.id}/sheet/${audit.findings[0]!.findingId}/0`)
      await new AppPages(page, wb.url).giveName('Dr Blind')
      await sheet.waitPainted(0)
      expect(await sheet.count()).toBe(audit.items)
      expect(await page.getByTestId('label').count()).toBe(0)
      expect(await page.locator('[data-blinded="true"]').count()).toBe(1)
      const html = await page.content()
      expect(html).not.toMatch(/label-chip|labelled/)
      const api = await wb.api<SheetDto>(
        'GET',
        `/api/audits/${audit.id}/sheet?finding=${audit.findings[0]!.findingId}&page=0`,
      )
      expect(api.text).not.toMatch(/labelled|"boxes"/)
    })

    it('[W18] an image that fails to decode shows as unreadable and can be marked unusable', async () => {
      const bad = page.locator(`[data-testid="tile"][data-image="${fixture.corrupt[0]}"]`)
      await bad.locator('[data-testid="unreadable"]').waitFor()
      expect(await bad.getAttribute('data-thumb')).toBe('error')
      const index = Number(await bad.getAttribute('data-index'))
      await sheet.select(index)
      await sheet.press('u')
      await sheet.expectTags(index, ['image unusable'])
      await sheet.waitSaved()
    })

    it('[W13] every image needs an explicit verdict before the page is finished', async () => {
      await sheet.select(0)
      await sheet.press('c')
      await sheet.expectVerdict(0, 'present', 'green')
      const before = await sheet.sheetKey()
      await sheet.press('PageDown')
      await page.locator('[data-testid="message"]', { hasText: 'still need a verdict' }).waitFor()
      expect(await sheet.sheetKey()).toBe(before)
      // mark the rest: x (absent) on each unmarked, usable film
      const n = await sheet.count()
      for (let i = 1; i < n; i++) {
        const tile = sheet.tile(i)
        if ((await tile.getAttribute('data-tags')) === 'image unusable') continue
        await sheet.select(i)
        await sheet.press('x')
        await sheet.expectVerdict(i, 'absent', 'red')
      }
      await sheet.press('PageDown')
      await page.getByTestId('audit-done').waitFor()
      await page.locator('[data-testid="outbox"][data-state="saved"][data-pending="0"]').waitFor()
      const progress = await wb.api<{
        progress: { findings: { reviewed: number; implied: number; items: number }[] }
      }>(
        'GET',
        `/api/audits/${audit.id}?reader=${await page.evaluate(() => JSON.parse(localStorage.getItem('cxr-audit:reader')!).id)}`,
      )
      expect(progress.json.progress.findings[0]).toMatchObject({
        reviewed: audit.items,
        implied: 0,
      })
    })
  })
})
