import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { addUser, findUser, listActivity, openStore, verdictHistory } from '@cxr-audit/store'
import { DIALECTS } from '../test-support/temp-store.ts'
import { buildFixture, imageId, type Fixture } from '../apps/server/src/testing/fixture.ts'
import { AppPages } from './pages/app-pages.ts'
import { SheetPageObject } from './pages/sheet-page.ts'
import { Workbench, launchChromium, newContext } from './support/workbench.ts'

let dir: string
let fixture: Fixture
let wb: Workbench
let browser: Browser
let contexts: BrowserContext[] = []
let auditId: number
const violations: string[] = []

/** A fresh browser profile that records any Content-Security-Policy violation. */
async function freshPage(): Promise<Page> {
  const context = await newContext(browser)
  contexts.push(context)
  const page = await context.newPage()
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text())
  })
  return page
}

async function logIn(page: Page, name: string, password: string): Promise<void> {
  await page.getByTestId('login-name').fill(name)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
}

describe.each(DIALECTS)('%s', (kind) => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cxr-e2e-accounts-'))
    fixture = await buildFixture({ dir, images: 40, kind })
    const store = await openStore(fixture.db)
    try {
      const by = { name: 'cli:e2e' }
      await addUser(store, { name: 'ana', role: 'admin', password: 'ana-password', by })
      await addUser(store, { name: 'rita', role: 'reader', password: 'rita-password', by })
    } finally {
      await store.close()
    }
    wb = new Workbench(fixture.db, dir, { accounts: true })
    ;[browser] = await Promise.all([launchChromium(), wb.start()])
  })

  afterAll(async () => {
    for (const c of contexts) await c.close()
    contexts = []
    await browser?.close()
    await wb?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  describe('accounts in Chromium', () => {
    it('[A4] the app asks for a login; a wrong password is refused with the same message', async () => {
      const page = await freshPage()
      await page.goto(wb.url)
      await page.getByTestId('login-page').waitFor()
      await logIn(page, 'ana', 'not-the-password')
      await expect(page.getByTestId('login-error').textContent()).resolves.toBe(
        'wrong name or password',
      )
      await logIn(page, 'nobody', 'ana-password')
      await expect(page.getByTestId('login-error').textContent()).resolves.toBe(
        'wrong name or password',
      )
    })

    it('[A5] an admin logs in, draws a blinded audit, assigns it and reads the log', async () => {
      const page = await freshPage()
      await page.goto(wb.url)
      await logIn(page, 'ana', 'ana-password')
      await page.getByTestId('user-name').waitFor()
      expect(await page.getByTestId('user-name').getAttribute('data-role')).toBe('admin')
      auditId = await new AppPages(page, wb.url).createAudit({
        name: 'Blinded effusion',
        findings: ['Effusion'],
        positives: 4,
        negatives: 2,
        seed: 9,
        blinded: true,
      })
      await page.getByTestId('admin-link').click()
      await page.locator('[data-testid="admin-page"][data-state="ready"]').waitFor()
      await page.getByTestId('assign-audit').selectOption(String(auditId))
      await page.getByTestId('assign-user').selectOption({ label: 'rita' })
      await page.getByTestId('assign-submit').click()
      await page.locator('[data-testid="activity"] tr[data-action="assignment.add"]').waitFor()
      for (const action of ['session.login-failed', 'session.login', 'audit.create'])
        expect(
          await page.locator(`[data-testid="activity"] tr[data-action="${action}"]`).count(),
        ).toBeGreaterThan(0)
      await page.getByTestId('logout').click()
      await page.getByTestId('login-page').waitFor()
    })

    it('[A8] a reader sees the assigned audit only, reviews it blinded, and the verdict is hers', async () => {
      const page = await freshPage()
      await page.goto(wb.url)
      await logIn(page, 'rita', 'rita-password')
      await page.locator('[data-testid="home"][data-state="ready"]').waitFor()
      expect(await page.getByTestId('admin-link').count()).toBe(0)
      const sheet = new SheetPageObject(page)
      const audit = await wb.api<{ audits: unknown[] }>('GET', '/api/audits')
      expect(audit.status).toBe(401)
      await page.goto(`${wb.url}/#/audits/${auditId}`)
      await page.getByTestId('continue').click()
      await sheet.waitPainted(0)
      expect(await page.getByTestId('label').count()).toBe(0)
      expect(await page.content()).not.toMatch(/labelled|label-chip/)
      await sheet.select(0)
      await sheet.press('x')
      await sheet.expectVerdict(0, 'absent')
      await sheet.waitSaved()
      const store = wb.store!
      const id = await imageId(store, (await sheet.tile(0).getAttribute('data-image'))!)
      const history = await verdictHistory(store.db, [id])
      const rita = (await listActivity(store.db, { user: 'rita' })).map((e) => e.action)
      const ritaId = (await findUser(store.db, 'rita'))!.id
      expect(history.map((h) => [h.readerId, h.verdict])).toEqual([[ritaId, 'absent']])
      expect(rita).toEqual(expect.arrayContaining(['session.login', 'events']))
    })

    it('[A10] no page broke the Content-Security-Policy (no inline script anywhere)', () => {
      expect(violations).toEqual([])
    })
  })
})
