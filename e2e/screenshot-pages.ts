/**
 * Makes docs/images/results-page.png and docs/images/models-page.png: the results page of an
 * audit reviewed by two readers, and the models page of the real DenseNet-121 predictions
 * against Google's expert labels. Run: npx tsx e2e/screenshot-pages.ts
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildModelStore } from '../apps/server/src/testing/model-app.ts'
import type { AuditDto } from '@cxr-audit/contract'
import { ResultsPageObject, ModelsPageObject } from './pages/stats-pages.ts'
import { reviewByApi } from './support/review.ts'
import { Workbench, launchChromium, newContext } from './support/workbench.ts'

const OUT = (name: string): string =>
  fileURLToPath(new URL(`../docs/images/${name}`, import.meta.url))

const dir = await mkdtemp(join(tmpdir(), 'cxr-shot-pages-'))
const db = join(dir, 'shot.sqlite')
await buildModelStore(db)
const wb = new Workbench(db, dir)
await wb.start()
const browser = await launchChromium()
try {
  const { audit } = (
    await wb.api<{ audit: AuditDto }>('POST', '/api/audits', {
      name: 'Effusion and pneumothorax labels',
      findings: ['Effusion', 'Pneumothorax', 'Infiltration'],
      positives: 18,
      negatives: 6,
      seed: 2017,
    })
  ).json
  await reviewByApi(wb, audit, 'Dr Okafor', 0)
  const reader = await reviewByApi(wb, audit, 'Dr Lindqvist', 3)
  const context = await newContext(browser)
  await context.addInitScript(
    (r) => localStorage.setItem('cxr-audit:reader', JSON.stringify(r)),
    reader,
  )
  const page = await context.newPage()
  await page.setViewportSize({ width: 1440, height: 1000 })
  const results = new ResultsPageObject(page, wb.url)
  await results.open(audit.id)
  await page.screenshot({ path: OUT('results-page.png'), fullPage: true })
  const models = new ModelsPageObject(page, wb.url)
  await models.open()
  await page.screenshot({ path: OUT('models-page.png'), fullPage: true })
  process.stdout.write(`wrote ${OUT('results-page.png')} and ${OUT('models-page.png')}\n`)
} finally {
  await browser.close()
  await wb.stop()
  await rm(dir, { recursive: true, force: true })
}
