import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { countRows } from '@cxr-audit/store/testing'
import { findDataset, labelValueCounts } from '@cxr-audit/store'
import { sharedData } from '../../../test-support/shared-data.ts'
import { BadRowsError } from './cxr14-read.ts'
import { importRsna } from './rsna-import.ts'
import { DIALECTS, snapshot, tempStore } from './test-helpers.ts'

const LABELS = sharedData('formats/rsna-stage_2_train_labels.csv.gz')

describe.each(DIALECTS)('RSNA Pneumonia import (%s)', (kind) => {
  let t: Awaited<ReturnType<typeof tempStore>>
  beforeAll(async () => {
    t = await tempStore(kind)
  })
  afterAll(() => t.cleanup())

  it('[DS7] the real train labels: 26,684 films, 6,012 with boxes, 9,555 boxes', async () => {
    // counted independently with Python's csv module: Target 1 rows, their distinct patientIds
    const s = await importRsna(t.store, { labels: LABELS })
    expect(s).toMatchObject({
      dataset: 'RSNA Pneumonia',
      images: 26684,
      patients: 26684,
      findings: { 'Lung Opacity': 6012 },
      boxes: 9555,
      skippedRows: 0,
      problems: [],
    })
    const ds = await findDataset(t.store.db, 'RSNA Pneumonia')
    expect(await labelValueCounts(t.store.db, ds.id)).toEqual({ '1': 6012, '0': 26684 - 6012 })
    expect(await countRows(t.store.db, 'box')).toBe(9555)
  }, 120_000)

  it('[DS7] importing again changes nothing; a bad row changes nothing and names line and column', async () => {
    const before = await snapshot(t.store)
    await importRsna(t.store, { labels: LABELS })
    expect(await snapshot(t.store)).toEqual(before)
    const bad = join(t.dir, 'bad.csv')
    writeFileSync(bad, 'patientId,x,y,width,height,Target\na,,,,,0\nb,1,,3,4,1\n')
    const e = await importRsna(t.store, { labels: bad }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(BadRowsError)
    expect((e as BadRowsError).errors[0]).toMatchObject({ file: bad, line: 3, column: 'y' })
    expect(await snapshot(t.store)).toEqual(before)
  }, 120_000)

  it('[DS7] --class-info adds Normal and Not Normal, and lists what disagrees', async () => {
    const labels = join(t.dir, 'l.csv')
    const info = join(t.dir, 'c.csv')
    writeFileSync(labels, 'patientId,x,y,width,height,Target\na,,,,,0\nb,1,2,3,4,1\nc,,,,,0\n')
    writeFileSync(info, 'patientId,class\na,Normal\nb,Lung Opacity\nc,Lung Opacity\nz,Normal\n')
    const s = await importRsna(t.store, { labels, classInfo: info, name: 'small' })
    expect(s.findings).toEqual({
      'Lung Opacity': 1,
      'No Lung Opacity / Not Normal': 0,
      Normal: 1,
    })
    expect(s.problems.map((p) => [p.kind, p.examples])).toEqual([
      ['class-info-unknown-image', ['z']],
      ['class-info-disagrees', ['c (Lung Opacity)']],
    ])
  })
})
