import { findDataset, listAudits, listModels, loadImageFacts } from '@cxr-audit/store'
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

  it('[W23] ships a real model and the pixel checks of the demo images', async () => {
    const db = await tempDatabase(kind, dir, 'demo-full.sqlite')
    const cacheDir = join(dir, `cache-${kind}`)
    const demo = await prepareDemo({ examples: EXAMPLES, db, predictions: PREDICTIONS, cacheDir })
    const dataset = await findDataset(demo.store.db, DEMO_DATASET)
    const models = await listModels(demo.store.db, dataset.id)
    expect(models.map((m) => m.name)).toEqual([DEMO_MODEL])
    const facts = await loadImageFacts(demo.store.db, dataset.id)
    expect(facts).toHaveLength(44)
    expect(facts.every((f) => f.phash !== null && f.unreadableReason === null)).toBe(true)
    await demo.store.close()
  }, 180_000) // imports 112,120 rows and decodes the demo films: slow on a loaded 2-core machine
})
