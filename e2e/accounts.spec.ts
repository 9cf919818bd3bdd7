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
const dialogs: string[] = []
const SCRIPT = '<script>alert(1)</script>'
const IMG = '<img src=x onerror=alert(2)>'

/** A fresh browser profile that records any Content-Security-Policy violation. */
async function freshPage(): Promise<Page> {
  const context = await newContext(browser)
  contexts.push(context)
  const page = await context.newPage()
  page.on('dialog', (d) => {
    dialogs.push(d.message())
    void d.dismiss()
  })
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text())
  })
  return page
}

async function logIn(page: Page, name: string, password: string): Promise<void> {
  // the form is busy while an attempt is in flight (its failure then clears the password)
  await page.locator('[data-testid="login-submit"]:not([disabled])').waitFor()
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

    it('[A10] a hostile name tried at login and a hostile tag are shown as text, never run', async () => {
      const page = await freshPage()
      await page.goto(wb.url)
      await logIn(page, SCRIPT, 'whatever-password')
      await page.getByTestId('login-error').waitFor()
      await logIn(page, IMG, 'whatever-password')
      await logIn(page, 'ana', 'ana-password')
      await page.getByTestId('user-name').waitFor()
      // an audit whose tag is markup, drawn through the API with the session's CSRF token
      const status = await page.evaluate(async (tag) => {
        const res = await fetch('/api/audits', {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-csrf-token': sessionStorage.getItem('cxr-audit:csrf') ?? '',
          },
          body: JSON.stringify({
            name: 'Hostile tag',
            findings: ['Mass'],
            positives: 2,
            seed: 1,
            tags: [tag],
          }),
        })
        return res.status
      }, SCRIPT)
      expect(status).toBe(201)
      await page.goto(`${wb.url}/#/admin`)
      await page.locator('[data-testid="admin-page"][data-state="ready"]').waitFor()
      const failed = page.locator('[data-testid="activity"] tr[data-action="session.login-failed"]')
      const targets = await failed.locator('td:nth-child(4)').allTextContents()
      expect(targets).toEqual(expect.arrayContaining([SCRIPT, IMG]))
      const audits = await page.getByTestId('assign-audit').locator('option').allTextContents()
      expect(audits).toContain('Hostile tag')
      await page.goto(`${wb.url}/#/audits`)
      const sheetUrl = await page.evaluate(async () => {
        const r = (await (await fetch('/api/audits')).json()) as {
          audits: { id: number; name: string; findings: { findingId: number }[] }[]
        }
        const a = r.audits.find((x) => x.name === 'Hostile tag')!
        return `#/audits/${a.id}/sheet/${a.findings[0]!.findingId}/0`
      })
      const sheet = new SheetPageObject(page)
      await sheet.open(`${wb.url}/${sheetUrl}`)
      expect(await page.getByText(SCRIPT).count()).toBeGreaterThan(0)
      expect(await page.locator('script:not([src])').count()).toBe(0)
      expect(dialogs).toEqual([])
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
