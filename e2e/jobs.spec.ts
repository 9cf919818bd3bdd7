import { EMBEDDINGS_QUEUE, openJobQueue, thumbnailBatches, THUMBNAILS_QUEUE } from '@cxr-audit/jobs'
import { findDataset, imagesOnDisk, openStore } from '@cxr-audit/store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DIALECTS } from '../test-support/temp-store.ts'
import { buildFixture } from '../apps/server/src/testing/fixture.ts'
import { runCli, runCliAsync } from '../apps/cli/src/run-cli.ts'
import { Workbench, launchChromium, newContext } from './support/workbench.ts'

const IMAGES = 8

describe.each(DIALECTS)('[T8] image work on the dataset page (%s)', (kind) => {
  let dir: string
  let db: string
  let wb: Workbench
  let browser: Browser
  let page: Page
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cxr-e2e-jobs-'))
    db = (await buildFixture({ dir, kind, images: IMAGES })).db
    wb = new Workbench(db, dir)
    ;[browser] = await Promise.all([launchChromium(), wb.start()])
    page = await (await newContext(browser)).newPage()
  })
  afterAll(async () => {
    await browser?.close()
    await wb?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  const progress = (text: string) =>
    page.locator('[data-testid=image-work] .progress-text').filter({ hasText: text }).waitFor()

  it('shows the images finished, and follows the queued batches as workers take them', async () => {
    await page.goto(`${wb.url}/#/datasets/1`)
    await progress(`0 / ${IMAGES} images finished`)
    if (kind === 'sqlite') {
      const r = runCli(['thumbnails', '--db', db], { cwd: dir })
      expect(r.code, r.stderr).toBe(0)
      await page.reload()
      await progress(`${IMAGES} / ${IMAGES} images finished`)
      expect(await page.locator('[data-testid=queues]').count()).toBe(0)
      return
    }
    // two batches queued as thumbnails --queue does, then one real worker takes them
    const store = await openStore(db)
    const dataset = await findDataset(store.db)
    const batches = thumbnailBatches(await imagesOnDisk(store.db, dataset.id), {
      dataset: dataset.name,
      size: IMAGES / 2,
      views: false,
      cacheDir: join(dir, 'cache'),
    })
    await store.close()
    const queue = await openJobQueue(db, { supervise: false })
    await queue.enqueue(THUMBNAILS_QUEUE, batches)
    await queue.close()
    await page.reload()
    const row = page.locator(`[data-testid=queues] tr[data-queue=${THUMBNAILS_QUEUE}] td`)
    await row.first().waitFor()
    expect(await row.allTextContents()).toEqual([THUMBNAILS_QUEUE, '2', '0', '0', '0'])
    const worker = await runCliAsync(['worker', '--db', db, '--exit-when-done'], { cwd: dir })
    expect(worker.code, worker.stderr).toBe(0)
    // the page looks again by itself while batches were waiting
    await progress(`${IMAGES} / ${IMAGES} images finished`)
    await page
      .locator(`[data-testid=queues] tr[data-queue=${THUMBNAILS_QUEUE}] td:nth-child(4)`)
      .filter({ hasText: '2' })
      .waitFor()
  })

  it('shows the vectors of each embedding model, queued on PostgreSQL for a worker', async () => {
    const args = ['embed', '--db', db, ...(kind === 'postgres' ? ['--queue', '--batch', '4'] : [])]
    const r = runCli(args, { cwd: dir })
    expect(r.code, r.stderr).toBe(0)
    if (kind === 'postgres') {
      await page.reload()
      await page
        .locator(`[data-testid=queues] tr[data-queue=${EMBEDDINGS_QUEUE}] td:nth-child(2)`)
        .filter({ hasText: '2' })
        .waitFor()
      const worker = await runCliAsync(['worker', '--db', db, '--exit-when-done'], { cwd: dir })
      expect(worker.code, worker.stderr).toBe(0)
    } else await page.reload()
    await page
      .locator('[data-testid=embedding-work] .progress-text')
      .filter({ hasText: `${IMAGES} / ${IMAGES} images embedded (mobilenetv2-12-int8)` })
      .waitFor()
  })
})
