import { listAudits } from '@cxr-audit/store'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_AUDIT, prepareDemo } from './demo.ts'

const EXAMPLES = fileURLToPath(new URL('../../../examples/cxr14/', import.meta.url))
let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cxr-demo-'))
})
afterAll(async () => rm(dir, { recursive: true, force: true }))

describe('the npm start demo', () => {
  it('[W23] imports examples/ once and draws the demo audit once, reproducibly', async () => {
    const db = join(dir, 'demo.sqlite')
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
})
