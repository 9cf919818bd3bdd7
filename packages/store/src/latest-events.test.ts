import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS, tempStore } from '../../../test-support/temp-store.ts'
import { latestEvents } from './latest-events.ts'
import { giveTags, giveVerdicts, makeModelFixture, type ModelFixture } from './model-fixture.ts'
import { findReader } from './readers.ts'
import type { Store } from './store.ts'
import { currentTags, currentVerdicts } from './verdicts.ts'

describe.each(DIALECTS)('the latest event per key (%s)', (kind) => {
  let store: Store
  let fx: ModelFixture
  let cleanup: () => Promise<void>

  beforeAll(async () => {
    ;({ store, cleanup } = await tempStore(kind))
    fx = await makeModelFixture(store)
    await giveVerdicts(store, fx, 'ann', [
      [0, 'Mass', 'present'],
      [0, 'Mass', 'absent'], // changed her mind: absent is current
      [1, 'Mass', 'present'],
      [1, 'Mass', null], // withdrawn
      [0, 'Nodule', 'uncertain'],
    ])
    await giveVerdicts(store, fx, 'bob', [[0, 'Mass', 'present']])
    await giveTags(store, fx, 'ann', [
      [0, 'chest drain', true],
      [0, 'chest drain', false],
      [0, 'rotated', true],
    ])
  })
  afterAll(() => cleanup())

  const verdicts = async (filter: Parameters<typeof currentVerdicts>[1] = {}) =>
    (
      await latestEvents(store.db, 'verdict_event', filter)
        .innerJoin('reader as r', 'r.id', 'e.reader_id')
        .select(['r.name', 'e.image_id', 'e.finding_id', 'e.verdict'])
        .orderBy('e.id')
        .execute()
    ).map((v) => [v.name, fx.image.indexOf(v.image_id), v.finding_id, v.verdict])

  it('one event per (reader, image, finding): the last, withdrawn ones included', async () => {
    const mass = fx.finding['Mass']!
    const nodule = fx.finding['Nodule']!
    expect(await verdicts()).toEqual([
      ['ann', 0, mass, 'absent'],
      ['ann', 1, mass, null],
      ['ann', 0, nodule, 'uncertain'],
      ['bob', 0, mass, 'present'],
    ])
    // the current verdicts leave the withdrawn one out
    expect((await currentVerdicts(store.db)).map((v) => v.verdict)).toEqual([
      'absent',
      'uncertain',
      'present',
    ])
  })

  it('the filter narrows the events before the latest is taken', async () => {
    const ann = (await findReader(store.db, 'ann'))!.id
    expect(await verdicts({ readerIds: [ann], findingIds: [fx.finding['Mass']!] })).toEqual([
      ['ann', 0, fx.finding['Mass']!, 'absent'],
      ['ann', 1, fx.finding['Mass']!, null],
    ])
    expect(await verdicts({ imageIds: [] })).toEqual([])
  })

  it('one event per (reader, image, tag): a tag switched off stays off', async () => {
    const tags = await latestEvents(store.db, 'tag_event')
      .select(['e.tag', 'e.on'])
      .orderBy('e.id')
      .execute()
    expect(tags).toEqual([
      { tag: 'chest drain', on: 0 },
      { tag: 'rotated', on: 1 },
    ])
    expect((await currentTags(store.db)).map((t) => t.tag)).toEqual(['rotated'])
    expect(
      await latestEvents(store.db, 'tag_event', { tag: 'chest drain' }).select('e.on').execute(),
    ).toEqual([{ on: 0 }])
  })
})
