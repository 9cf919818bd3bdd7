import {
  evaluateModel,
  findDataset,
  listAudits,
  listModels,
  loadImageFacts,
  storedImportCounts,
} from '@cxr-audit/store'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS, tempDatabase } from '../../../test-support/temp-store.ts'
import { DEMO_AUDIT, DEMO_DATASET, DEMO_MODEL, prepareDemo } from './demo.ts'

const EXAMPLES = fileURLToPath(new URL('../../../examples/cxr14/', import.meta.url))
const PREDICTIONS = fileURLToPath(
  new URL('../../../examples/predictions/densenet121-jrzech-test-preds.csv.gz', import.meta.url),
)
let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cxr-demo-'))
})
afterAll(async () => rm(dir, { recursive: true, force: true }))

describe.each(DIALECTS)('the npm start demo (%s)', (kind) => {
  it('[W23] imports examples/ once and draws the demo audit once, reproducibly', async () => {
    const db = await tempDatabase(kind, dir, 'demo.sqlite')
    const first = await prepareDemo({ examples: EXAMPLES, db })
    const audits = await listAudits(first.store.db)
    await first.store.close()
    expect(audits.map((a) => a.name)).toEqual([DEMO_AUDIT])
    expect(audits[0]!.seed).toBe(2017)
    expect(audits[0]!.items).toBeGreaterThan(18)
    const again = await prepareDemo({ examples: EXAMPLES, db })
    expect(again.auditId).toBe(first.auditId)
    expect((await listAudits(again.store.db)).length).toBe(1)
    await again.store.close()
  })

  it("[W23] [DS20] ships a real model, NIH's split and the pixel checks of the demo images", async () => {
    const db = await tempDatabase(kind, dir, 'demo-full.sqlite')
    const cacheDir = join(dir, `cache-${kind}`)
    const demo = await prepareDemo({ examples: EXAMPLES, db, predictions: PREDICTIONS, cacheDir })
    const dataset = await findDataset(demo.store.db, DEMO_DATASET)
    const models = await listModels(demo.store.db, dataset.id)
    expect(models.map((m) => m.name)).toEqual([DEMO_MODEL])
    const facts = await loadImageFacts(demo.store.db, dataset.id)
    expect(facts).toHaveLength(44)
    expect(facts.every((f) => f.phash !== null && f.unreadableReason === null)).toBe(true)
    // [DS20] NIH's official split ships with the demo: the cohort table and `eval --split test`
    expect((await storedImportCounts(demo.store.db, dataset.id)).splits).toEqual({
      train: 86_524,
      test: 25_596,
    })
    const onTest = await evaluateModel(demo.store, {
      model: DEMO_MODEL,
      split: 'test',
      findings: ['Effusion'],
    })
    // the model's 22,433 films are its authors' own patient split: 5,213 of them are in NIH's
    // test list (counted with Python from the two files)
    expect(onTest.images).toBe(22_433)
    expect(onTest.scoredImages).toBe(5_213)
    await demo.store.close()
  }, 180_000) // imports 112,120 rows and decodes the demo films: slow on a loaded 2-core machine
})
