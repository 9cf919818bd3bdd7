import { findModel, type Store } from '@cxr-audit/store'
import { giveVerdicts, makeModelFixture, type ModelFixture } from '@cxr-audit/store/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS, tempStore } from '../../../test-support/temp-store.ts'
import { EvalCache } from './eval-cache.ts'

describe.each(DIALECTS)('the model evaluation cache (%s)', (kind) => {
  let store: Store
  let cleanup: () => Promise<void>
  let fx: ModelFixture
  let modelId: number
  beforeAll(async () => {
    ;({ store, cleanup } = await tempStore(kind))
    fx = await makeModelFixture(store)
    modelId = (await findModel(store.db, 'm')).model.id
  })
  afterAll(() => cleanup())

  it('[W32] answers a repeated request from memory and recomputes after any new mark', async () => {
    const cache = new EvalCache<number>(store)
    let runs = 0
    const compute = async (): Promise<number> => ++runs
    expect(await cache.get(modelId, { against: 'original' }, compute)).toBe(1)
    expect(await cache.get(modelId, { against: 'original' }, compute)).toBe(1)
    expect(await cache.get(modelId, { against: 'r' }, compute)).toBe(2)
    await giveVerdicts(store, fx, 'r', [[0, 'Mass', 'absent']])
    expect(await cache.get(modelId, { against: 'original' }, compute)).toBe(3)
    expect(await cache.get(modelId, { against: 'original' }, compute)).toBe(3)
    expect(await cache.get(modelId + 1000, { against: 'original' }, compute)).toBe(4)
  })
})
