import { importCxr14 } from '@cxr-audit/ingest'
import { openStore } from '@cxr-audit/store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AuditDto, DatasetDto, DatasetPageDto } from '@cxr-audit/contract'
import { DIALECTS } from '../test-support/temp-store.ts'
import { buildFixture } from '../apps/server/src/testing/fixture.ts'
import { sharedData } from '../test-support/shared-data.ts'
import { reviewByApi } from './support/review.ts'
import { Workbench, launchChromium, newContext } from './support/workbench.ts'

// The dataset page's reader tags by split [K7]: the 216 shared films with NIH's split lists,
// one audit reviewed (verdicts and "chest drain" tags), then the page in Chromium.
let dir: string
let wb: Workbench
let browser: Browser
let page: Page
let dataset: DatasetDto

describe.each(DIALECTS)('%s', (kind) => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cxr-e2e-tags-'))
    const fixture = await buildFixture({ dir, inPlace: true, kind })
    // the same import again with the split lists: only the splits change (decision 003)
    const store = await openStore(fixture.db)
    try {
      await importCxr14(store, {
        metadata: join(dir, 'Data_Entry_2017_v2020.csv'),
        bbox: sharedData('cxr14/BBox_List_2017.csv.gz'),
        images: [fixture.imagesDir],
        trainList: sharedData('cxr14/splits/train_val_list.txt'),
        testList: sharedData('cxr14/splits/test_list.txt'),
        name: 'CXR14 fixture',
      })
    } finally {
      await store.close()
    }
    wb = new Workbench(fixture.db, dir)
    ;[browser] = await Promise.all([launchChromium(), wb.start()])
    page = await (await newContext(browser)).newPage()
    dataset = (await wb.api<{ datasets: DatasetDto[] }>('GET', '/api/datasets')).json.datasets[0]!
    const audit = (
      await wb.api<{ audit: AuditDto }>('POST', '/api/audits', {
        name: 'E2E tags by split',
        findings: ['Effusion', 'Cardiomegaly'],
        positives: 18,
        negatives: 9,
        seed: 5,
      })
    ).json.audit
    await reviewByApi(wb, audit, 'Dr Tags', 0)
  }, 480_000)

  afterAll(async () => {
    await browser?.close()
    await wb?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  it('[K7] the dataset page compares each reader tag between train and test, with the SMD', async () => {
    const api = (await wb.api<DatasetPageDto>('GET', `/api/datasets/${dataset.id}`)).json
    const t = api.tagsBySplit
    expect(t.compared).toEqual(['train', 'test'])
    expect(t.reviewed.train! + t.reviewed.test!).toBeGreaterThan(30)
    const drain = t.rows.find((r) => r.level === 'chest drain')!
    expect(drain.values.train!.n + drain.values.test!.n).toBeGreaterThan(4)
    expect(drain.smd).toBeCloseTo(
      (drain.values.train!.value! - drain.values.test!.value!) /
        Math.sqrt(
          (drain.values.train!.value! * (1 - drain.values.train!.value!) +
            drain.values.test!.value! * (1 - drain.values.test!.value!)) /
            2,
        ),
      12,
    )
    await page.goto(`${wb.url}/#/datasets/${dataset.id}`)
    const section = page.getByTestId('tags-by-split')
    await section.waitFor()
    expect(await section.locator('th').allTextContents()).toEqual([
      'tag',
      `train (${t.reviewed.train} reviewed)`,
      `test (${t.reviewed.test} reviewed)`,
      'SMD',
    ])
    const row = section.locator('[data-testid="tag-split-row"][data-tag="chest drain"]')
    const cells = await row.locator('td').allTextContents()
    const share = (v: { value: number | null; n: number }) =>
      `${v.n} (${(v.value! * 100).toFixed(1)}%)`
    expect(cells).toEqual([
      'chest drain',
      share(drain.values.train!),
      share(drain.values.test!),
      drain.smd!.toFixed(3),
    ])
    expect(await row.getAttribute('class')).toBe(drain.flag ? 'flag' : '')
  })
})
