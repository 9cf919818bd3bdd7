import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS, tempStore } from '../../../test-support/temp-store.ts'
import { listFindings } from './datasets.ts'
import { stats } from './migrations/011-stats.ts'
import type { Store } from './store.ts'
import { insertDataset } from './testing.ts'

describe.each(DIALECTS)('migration 011 on a database from before it (%s)', (kind) => {
  let store: Store
  let cleanup: () => Promise<void>
  beforeAll(async () => {
    ;({ store, cleanup } = await tempStore(kind))
  })
  afterAll(async () => cleanup())

  it('[X6] adds No Finding to ChestX-ray14 datasets, positive where Finding Labels names it, once', async () => {
    const db = store.db
    const cxr = await insertDataset(db, { name: 'old cxr14' })
    const other = await insertDataset(db, { name: 'pacs' })
    await db
      .updateTable('dataset')
      .set({ source_format: 'dicomweb' })
      .where('id', '=', other)
      .execute()
    // the findings an import made before No Finding was one
    for (const [position, name] of ['Effusion', 'Mass'].entries())
      await db
        .insertInto('finding')
        .values({ dataset_id: cxr, name, derived_from: null, position })
        .execute()
    const raw = [
      'No Finding',
      'Effusion',
      'Effusion|Mass',
      'No Finding|Mass',
      'Mass|No Finding',
      '',
    ]
    await db
      .insertInto('image')
      .values(
        raw.map((r, i) => ({
          dataset_id: i === 5 ? other : cxr,
          name: `im${i}.png`,
          patient: `p${i}`,
          sex: 'F',
          view: 'PA',
          raw_labels: i === 5 ? 'No Finding' : r,
          on_disk: 0,
        })),
      )
      .execute()
    const migration = stats(kind)
    await migration.up(db as never)
    await migration.up(db as never) // a second run adds nothing
    const findings = await listFindings(db, cxr)
    expect(findings.map((f) => [f.name, f.derivedFrom])).toEqual([
      ['Effusion', null],
      ['Mass', null],
      ['No Finding', null],
    ])
    expect(await listFindings(db, other)).toEqual([])
    const nf = findings[2]!.id
    const rows = await db
      .selectFrom('label')
      .innerJoin('image', 'image.id', 'label.image_id')
      .select(['image.name', 'label.value'])
      .where('label.finding_id', '=', nf)
      .orderBy('image.name')
      .execute()
    expect(rows).toEqual([
      { name: 'im0.png', value: 1 },
      { name: 'im3.png', value: 1 },
      { name: 'im4.png', value: 1 },
    ])
  })
})
