import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DIALECTS } from '../test-support/temp-store.ts'
import { buildFixture } from '../apps/server/src/testing/fixture.ts'
import type { AuditDto, SheetDto } from '@cxr-audit/contract'
import { AppPages } from './pages/app-pages.ts'
import { SheetPageObject, ViewerObject } from './pages/sheet-page.ts'
import { Workbench, launchChromium, newContext } from './support/workbench.ts'

// One reader's session, in order: create, review, reload, viewer, finish, restart.
let dir: string
let wb: Workbench
let browser: Browser
let context: BrowserContext
let page: Page
let sheet: SheetPageObject
let auditId: number
let audit: AuditDto

describe.each(DIALECTS)('%s', (kind) => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cxr-e2e-'))
    const fixture = await buildFixture({ dir, inPlace: true, kind })
    wb = new Workbench(fixture.db, dir)
    ;[browser] = await Promise.all([launchChromium(), wb.start()])
    context = await newContext(browser)
    page = await context.newPage()
    sheet = new SheetPageObject(page)
  })

  afterAll(async () => {
    await browser?.close()
    await wb?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  const firstSheetUrl = (): string =>
    `${wb.url}/#/audits/${auditId}/sheet/${audit.findings[0]!.findingId}/0`

  describe('the review workbench in Chromium', () => {
    it('[W3] creates an audit from the UI, drawn exactly as the API draws it', async () => {
      const app = new AppPages(page, wb.url)
      auditId = await app.createAudit({
        name: 'E2E effusion',
        findings: ['Effusion'],
        positives: 30,
        negatives: 10,
        seed: 42,
      })
      audit = (await wb.api<{ audit: AuditDto }>('GET', `/api/audits/${auditId}`)).json.audit
      expect(audit.seed).toBe(42)
      const twin = await wb.api<{ audit: AuditDto }>('POST', '/api/audits', {
        name: 'twin',
        findings: ['Effusion'],
        positives: 30,
        negatives: 10,
        seed: 42,
      })
      const names = async (a: AuditDto): Promise<string[]> =>
        (
          await wb.api<SheetDto>(
            'GET',
            `/api/audits/${a.id}/sheet?finding=${a.findings[0]!.findingId}&page=0`,
          )
        ).json.items.map((i) => i.name)
      expect(await names(twin.json.audit)).toEqual(await names(audit))
    })

    it('[W17][W14] gives a name once, then marks red, orange and a tag with the keyboard', async () => {
      await page.getByTestId('continue').click()
      await new AppPages(page, wb.url).giveName('Dr E2E')
      await sheet.waitPainted(0)
      expect(await sheet.count()).toBe(18)
      await sheet.press('x') // tile 0: a labelled positive, the label is wrong
      await sheet.expectVerdict(0, 'absent', 'red')
      await sheet.press('l', 'd') // tile 1: doubtful
      await sheet.expectVerdict(1, 'uncertain', 'orange')
      await sheet.press('l', '1') // tile 2: tag 1 (chest drain)
      await sheet.expectTags(2, ['chest drain'])
      await sheet.waitSaved()
    })

    it('[W16] reload: the marks come back from the server', async () => {
      await sheet.reload()
      await sheet.expectVerdict(0, 'absent', 'red')
      await sheet.expectVerdict(1, 'uncertain', 'orange')
      await sheet.expectTags(2, ['chest drain'])
      await sheet.expectVerdict(3, 'none')
    })

    it('[W21] opens the viewer, changes the window by drag and by preset, inverts', async () => {
      await sheet.select(2)
      await sheet.press('Enter')
      const viewer = new ViewerObject(page)
      await viewer.waitReady()
      const initial = await viewer.window()
      expect(initial).toBe('128/256')
      await viewer.dragWindow(-80, 40)
      await viewer.waitWindowNot(initial)
      expect(await viewer.window()).toBe('148/176')
      await sheet.press('p') // next preset after "custom": default
      await page.locator('[data-testid="viewer"][data-preset="default"]').waitFor()
      await sheet.press('p', 'i')
      await page
        .locator(
          '[data-testid="viewer"][data-preset="lung"][data-invert="true"][data-window="90/154"]',
        )
        .waitFor()
      await sheet.press('x') // the verdict keys work in the viewer
      await page.locator('[data-testid="viewer-verdict"]').waitFor()
      await sheet.press('Escape')
      await viewer.root().waitFor({ state: 'detached' })
      await sheet.expectVerdict(2, 'absent', 'red')
    })

    it('[W13] PageDown finishes the page: unmarked images confirm their label', async () => {
      const before = await sheet.sheetKey()
      await sheet.nextPage()
      expect(await sheet.sheetKey()).not.toBe(before)
      await sheet.waitSaved()
      const reader = Number(
        await page.evaluate(() => JSON.parse(localStorage.getItem('cxr-audit:reader')!).id),
      )
      const first = await wb.api<SheetDto>(
        'GET',
        `/api/audits/${auditId}/sheet?finding=${audit.findings[0]!.findingId}&page=0&reader=${reader}`,
      )
      const items = first.json.items
      expect(items.filter((i) => i.implied)).toHaveLength(15)
      for (const i of items.filter((x) => x.implied))
        expect(i.verdict).toBe(i.labelled === 1 ? 'present' : 'absent')
      expect(items.slice(0, 3).map((i) => i.verdict)).toEqual(['absent', 'uncertain', 'absent'])
    })

    it('[W16] every verdict survives a server restart', async () => {
      await wb.stop()
      await wb.start()
      await sheet.open(firstSheetUrl())
      await sheet.expectVerdict(0, 'absent', 'red')
      await sheet.expectVerdict(1, 'uncertain', 'orange')
      await sheet.expectTags(2, ['chest drain'])
      await sheet.expectVerdict(5, audit.findings[0]!.items > 5 ? 'present' : 'none')
      expect(await page.locator('[data-testid="tile"][data-implied="true"]').count()).toBe(15)
    })

    it('[W16] marks the server cannot take yet are kept across a reload and sent later', async () => {
      // the server is unreachable for marks (the app itself still loads)
      await page.route('**/api/events', (route) => route.abort('connectionrefused'))
      await sheet.select(4)
      await sheet.press('d')
      await sheet.expectVerdict(4, 'uncertain', 'orange')
      await page
        .locator('[data-testid="outbox"][data-state="retrying"][data-pending="1"]')
        .waitFor()
      await sheet.reload()
      // the unsent mark comes back from local storage and is shown over the sheet
      await page.locator('[data-testid="outbox"][data-pending="1"]').waitFor()
      await sheet.expectVerdict(4, 'uncertain', 'orange')
      await page.locator('[data-testid="tile"][data-index="4"][data-saved="false"]').waitFor()
      await page.unroute('**/api/events')
      // the outbox also retries on its own timer, which may win the race with the click on a
      // loaded machine: either way the kept mark must reach the server
      const retry = page.getByRole('button', { name: 'retry now' })
      await retry.click({ timeout: 3_000 }).catch(() => undefined)
      await sheet.waitSaved()
      const reader = Number(
        await page.evaluate(() => JSON.parse(localStorage.getItem('cxr-audit:reader')!).id),
      )
      const s = await wb.api<SheetDto>(
        'GET',
        `/api/audits/${auditId}/sheet?finding=${audit.findings[0]!.findingId}&page=0&reader=${reader}`,
      )
      expect(s.json.items[4]!.verdict).toBe('uncertain')
    })
  })
})
