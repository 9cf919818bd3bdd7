import { readdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { importCxr14 } from '@cxr-audit/ingest'
import { renderReportHtml, buildReport } from '@cxr-audit/report'
import { ensureReader, findDataset, listFindings, now } from '@cxr-audit/store'
import { addTags, addVerdicts, insertAudit, positiveImages } from '@cxr-audit/store/testing'
import { IMAGES, googleSubsetMetadata } from '../packages/ingest/src/labels-test-fixture.ts'
import { DIALECTS, tempStore } from '../test-support/temp-store.ts'
import { launchChromium, newContext } from './support/workbench.ts'

// Issue #13, bad input: a reader name or tag `<script>alert(1)</script>` is rendered inert in
// the report as Chromium shows it, not only absent from the HTML text [A10].
const NAME = '<script>alert(1)</script>'
const TAG = '<img src=x onerror=alert(2)>'

describe.each(DIALECTS)('a report with a hostile reader name and tag, in Chromium (%s)', (kind) => {
  let t: Awaited<ReturnType<typeof tempStore>>
  let browser: Browser
  let html: string
  beforeAll(async () => {
    t = await tempStore(kind)
    const onDisk = new Set(readdirSync(IMAGES))
    await importCxr14(t.store, {
      metadata: googleSubsetMetadata(t.dir, 0, onDisk),
      images: [IMAGES],
    })
    const ds = await findDataset(t.store.db)
    const effusion = (await listFindings(t.store.db, ds.id)).find((f) => f.name === 'Effusion')!
    const ids = await positiveImages(t.store.db, effusion.id, {
      limit: 3,
      orderBy: 'name',
      onDisk: true,
    })
    const person = await ensureReader(t.store.db, NAME, 'person')
    const auditId = await insertAudit(t.store.db, {
      datasetId: ds.id,
      name: 'hostile',
      seed: '1',
      plan: {},
      items: ids.map((imageId) => ({ imageId, findingId: effusion.id, labelled: 1 })),
    })
    // every label contradicted, so each film is a red case of the contact sheet with its tag
    await addVerdicts(
      t.store,
      ids.map((imageId, i) => ({
        clientEventId: `hostile-v-${i}`,
        readerId: person.id,
        auditId,
        imageId,
        findingId: effusion.id,
        verdict: 'absent' as const,
        createdAt: now(),
      })),
    )
    await addTags(
      t.store,
      ids.map((imageId, i) => ({
        clientEventId: `hostile-t-${i}`,
        readerId: person.id,
        auditId,
        imageId,
        tag: TAG,
        on: true,
        createdAt: now(),
      })),
    )
    html = renderReportHtml(await buildReport(t.store, { auditId }))
    browser = await launchChromium()
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await t?.cleanup()
  })

  it('[A10] the name and the tag are shown as text; no script runs, no element is injected', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    const dialogs: string[] = []
    page.on('dialog', (d) => {
      dialogs.push(d.message())
      void d.dismiss()
    })
    await page.setContent(html, { waitUntil: 'load' })
    const text = await page.locator('body').innerText()
    expect(text).toContain(NAME)
    expect(text).toContain(TAG)
    expect(await page.locator('script').count()).toBe(0)
    expect(await page.locator('img[src="x"]').count()).toBe(0)
    expect(await page.locator('img[onerror]').count()).toBe(0)
    // give an injected handler the time it would need to fire
    await page.waitForTimeout(300)
    expect(dialogs).toEqual([])
    await context.close()
  })
})
