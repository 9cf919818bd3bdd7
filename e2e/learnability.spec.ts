import { importPredictions } from '@cxr-audit/ingest'
import { findModelLabelIssues, openStore } from '@cxr-audit/store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../test-support/temp-store.ts'
import type { Browser, Page } from 'playwright-core'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildFixture } from '../apps/server/src/testing/fixture.ts'
import type { DatasetDto, LearnabilityDto, SheetDto } from '@cxr-audit/contract'
import { PREDICTIONS } from '../apps/server/src/testing/model-app.ts'
import { runCliAsync } from '../apps/cli/src/run-cli.ts'
import { sharedData } from '../test-support/shared-data.ts'
import { AppPages } from './pages/app-pages.ts'
import { SheetPageObject } from './pages/sheet-page.ts'
import { Workbench, launchChromium, newContext } from './support/workbench.ts'

// The learnability page [KC6] on what the real commands left: `embed` of the 216 shared films,
// a probe and its shuffled-label null, a label-issue queue, a clusters run opened as audits.
let dir: string
let wb: Workbench
let browser: Browser
let page: Page
let dataset: DatasetDto
type Probe = { auc: number; aucLow: number; aucHigh: number; trainAuc: number; shuffled: boolean }
let real: Probe
let shuffled: Probe

describe.each(DIALECTS)('%s', (kind) => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cxr-e2e-lab-'))
    const fixture = await buildFixture({ dir, inPlace: true, kind })
    const cli = async (...args: string[]): Promise<unknown> => {
      const r = await runCliAsync([...args, '--db', fixture.db, '--json'])
      if (r.code !== 0) throw new Error(`${args[0]} failed: ${r.stderr}`)
      return r.json()
    }
    await cli('embed', '--cache', join(dir, 'cache'))
    real = (await cli('probe', '--finding', 'Effusion')) as Probe
    shuffled = (await cli('probe', '--finding', 'Effusion', '--shuffle-labels')) as Probe
    const store = await openStore(fixture.db)
    await importPredictions(store, { file: sharedData(PREDICTIONS), model: 'densenet' })
    await findModelLabelIssues(store, {
      model: 'densenet',
      findings: ['Effusion'],
      audit: { name: 'Lab queue', top: 6 },
    })
    await store.close()
    await cli(
      'clusters',
      '--finding',
      'Effusion',
      '--k',
      '3',
      '--model',
      'densenet',
      '--audit',
      'Lab',
    )
    wb = new Workbench(fixture.db, dir)
    ;[browser] = await Promise.all([launchChromium(), wb.start()])
    page = await (await newContext(browser)).newPage()
    dataset = (await wb.api<{ datasets: DatasetDto[] }>('GET', '/api/datasets')).json.datasets[0]!
  }, 480_000)

  afterAll(async () => {
    await browser?.close()
    await wb?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  describe('the learnability page in Chromium', () => {
    it('[KC6] shows the probe beside its shuffled null with the numbers `probe --json` printed', async () => {
      expect(real.shuffled).toBe(false)
      expect(shuffled.shuffled).toBe(true)
      await page.goto(`${wb.url}/#/datasets/${dataset.id}`)
      await page.getByTestId('learnability-link').click()
      await page.getByTestId('learnability-page').waitFor()
      const plot = page.getByTestId('probe-plot')
      await expect(plot.locator('[data-probe="real"] circle').count()).resolves.toBe(1)
      await expect(plot.locator('[data-probe="null"] circle').count()).resolves.toBe(1)
      const row = page.locator('[data-testid="probe-table"] tr[data-finding="Effusion"]')
      const iv = (p: Probe) =>
        `${p.auc.toFixed(3)} (${p.aucLow.toFixed(3)}–${p.aucHigh.toFixed(3)})`
      expect(await row.locator('[data-cell="auc"]').textContent()).toBe(iv(real))
      expect(await row.locator('[data-cell="null-auc"]').textContent()).toBe(iv(shuffled))
      // the dots sit where the AUCs are, the null's to the left of the probe's on this finding
      const cx = async (k: string) =>
        Number(await plot.locator(`[data-probe="${k}"] circle`).getAttribute('cx'))
      expect(Math.sign((await cx('real')) - (await cx('null')))).toBe(
        Math.sign(real.auc - Math.max(0.3, shuffled.auc)),
      )
    })

    it('[KC6] shows each cluster as a strip of thumbnails that load, opening its review sheet', async () => {
      const api = (await wb.api<LearnabilityDto>('GET', `/api/datasets/${dataset.id}/learnability`))
        .json
      const run = api.clusters.find((r) => r.name === 'Lab')!
      expect(run.clusters.map((c) => c.cluster)).toEqual([1, 2, 3])
      await page.goto(`${wb.url}/#/datasets/${dataset.id}/learnability`)
      const strips = page.getByTestId('cluster-strip')
      await expect(strips.count()).resolves.toBe(3)
      const first = strips.first().locator('img')
      expect(await first.count()).toBe(Math.min(12, run.clusters[0]!.images.length))
      await first.first().scrollIntoViewIfNeeded()
      await page.waitForFunction(
        () => {
          const img = document.querySelector<HTMLImageElement>('[data-testid="cluster-strip"] img')
          return img !== null && img.complete && img.naturalWidth > 0
        },
        undefined,
        { timeout: 20_000 },
      )
      expect(await first.first().getAttribute('src')).toBe(
        `/api/images/${run.clusters[0]!.images[0]}/thumbnail`,
      )
      await page.locator('[data-cluster="1"] a').click()
      await page.waitForURL(new RegExp(`#/audits/${run.clusters[0]!.auditId}/sheet/`))
    })

    it('[KC6] a reviewed queue shows its confirmation rate', async () => {
      const before = (
        await wb.api<LearnabilityDto>('GET', `/api/datasets/${dataset.id}/learnability`)
      ).json.labelIssues
      const queue = before.find((q) => q.audit === 'Lab queue')!
      expect(queue).toMatchObject({ finding: 'Effusion', flagged: 6, reviews: [] })
      await page.goto(`${wb.url}/#/datasets/${dataset.id}/learnability`)
      const row = page.locator('tr[data-queue="Lab queue:Effusion"]')
      expect(await row.locator('td').nth(4).textContent()).toBe('not reviewed yet')
      // review: the first flagged label is wrong, the other five right
      const items = (
        await wb.api<SheetDto>(
          'GET',
          `/api/audits/${queue.auditId}/sheet?finding=${queue.findingId}&page=0`,
        )
      ).json.items
      const sheet = new SheetPageObject(page)
      await row.locator('a').click()
      await new AppPages(page, wb.url).giveName('Dr Lab')
      await sheet.waitPainted(0)
      await sheet.press('x')
      await sheet.expectVerdict(0, items[0]!.labelled === 1 ? 'absent' : 'present', 'red')
      await sheet.press('PageDown')
      await page.getByTestId('audit-done').waitFor()
      await sheet.waitSaved()
      await page.goto(`${wb.url}/#/datasets/${dataset.id}/learnability`)
      const reviewed = page.locator('tr[data-queue="Lab queue:Effusion"][data-reader="Dr Lab"]')
      await reviewed.waitFor()
      expect(await reviewed.locator('[data-cell="judged"]').textContent()).toBe('6')
      expect(await reviewed.locator('[data-cell="confirmed-wrong"]').textContent()).toBe('1')
      // 1 of 6 with Wilson's 95% interval (0.0301, 0.5635)
      expect(await reviewed.locator('[data-cell="confirmation-rate"]').textContent()).toBe(
        '16.7% (3.0–56.4%)',
      )
    })
  })
})
