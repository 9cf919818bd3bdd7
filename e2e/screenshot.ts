/**
 * Makes docs/images/contact-sheet.png (the README shows it): a real sheet of 18 shared CXR14
 * films with a few marks. Run: npx tsx e2e/screenshot.ts
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildFixture } from '../apps/server/src/testing/fixture.ts'
import type { AuditDto } from '@cxr-audit/contract'
import { SheetPageObject } from './pages/sheet-page.ts'
import { Workbench, launchChromium, newContext } from './support/workbench.ts'

const OUT = fileURLToPath(new URL('../docs/images/contact-sheet.png', import.meta.url))

const dir = await mkdtemp(join(tmpdir(), 'cxr-shot-'))
const fixture = await buildFixture({ dir, inPlace: true })
const wb = new Workbench(fixture.db, dir)
await wb.start()
const browser = await launchChromium()
try {
  const { audit } = (
    await wb.api<{ audit: AuditDto }>('POST', '/api/audits', {
      name: 'Pneumothorax, labelled positives',
      findings: ['Pneumothorax'],
      positives: 18,
      negatives: 0,
      seed: 2017,
    })
  ).json
  const reader = (await wb.api<{ reader: object }>('POST', '/api/readers', { name: 'Dr Reader' }))
    .json.reader
  const context = await newContext(browser)
  await context.addInitScript(
    (r) => localStorage.setItem('cxr-audit:reader', JSON.stringify(r)),
    reader,
  )
  const page = await context.newPage()
  await page.setViewportSize({ width: 1600, height: 1000 })
  const sheet = new SheetPageObject(page)
  await sheet.open(`${wb.url}/#/audits/${audit.id}/sheet/${audit.findings[0]!.findingId}/0`)
  await sheet.press('l', 'x', 'l', 'l', '1', 'j', 'd', 'l', 'x', '7', 'h', 'h', 'h')
  await sheet.waitSaved()
  await page.screenshot({ path: OUT })
  process.stdout.write(`wrote ${OUT}\n`)
} finally {
  await browser.close()
  await wb.stop()
  await rm(dir, { recursive: true, force: true })
}
