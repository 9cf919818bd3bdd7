import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findDataset, labelValueCounts, listFindings, type Store } from '@cxr-audit/store'
import { countRows } from '@cxr-audit/store/testing'
import { sharedData } from '../../../test-support/shared-data.ts'
import { importChexpert, type ChexpertImportSummary } from './chexpert-import.ts'
import { BadRowsError } from './cxr14-read.ts'
import { importLabels } from './labels-import.ts'
import { DIALECTS, snapshot, tempStore } from './test-helpers.ts'

const VALID = sharedData('chexpert/valid.csv')
const TRAIN = sharedData('chexpert/chexpert_train.csv.gz')

interface Golden {
  images: number
  patients: number
  studies: number
  findings: Record<string, number>
  uncertain: Record<string, number>
  negative: Record<string, number>
  notMentioned: Record<string, number>
  views: Record<string, number>
}
// made by pandas: scripts/golden/chexpert_counts.py
const GOLDEN = JSON.parse(
  readFileSync(new URL('./golden/chexpert-counts.json', import.meta.url), 'utf8'),
) as { valid: Golden; train: Golden }

const expectGolden = (s: ChexpertImportSummary, g: Golden): void => {
  expect(s).toMatchObject({
    itemKind: 'film',
    images: g.images,
    patients: g.patients,
    studies: g.studies,
    findings: g.findings,
    uncertain: g.uncertain,
    negative: g.negative,
    notMentioned: g.notMentioned,
    views: g.views,
  })
}

describe.each(DIALECTS)('CheXpert import of the real files (%s)', (kind) => {
  let t: Awaited<ReturnType<typeof tempStore>>
  beforeAll(async () => {
    t = await tempStore(kind)
  })
  afterAll(() => t.cleanup())

  it('[DS1] valid.csv: 234 films, 200 studies, 200 patients, every count as pandas reads it', async () => {
    const s = await importChexpert(t.store, { files: [VALID], name: 'valid' })
    expectGolden(s, GOLDEN.valid)
    expect(s).toMatchObject({ dataset: 'valid', splits: { valid: 234 }, skippedRows: 0 })
    expect(s.problems).toEqual([])
  })

  it('[DS1] importing the same file again changes nothing', async () => {
    const before = await snapshot(t.store)
    await importChexpert(t.store, { files: [VALID], name: 'valid' })
    expect(await snapshot(t.store)).toEqual(before)
  })
})

describe.each(DIALECTS)('CheXpert import of the 223,414-row train file (%s)', (kind) => {
  let t: Awaited<ReturnType<typeof tempStore>>
  beforeAll(async () => {
    t = await tempStore(kind)
  })
  afterAll(() => t.cleanup())

  it('[DS2] stores 1.0, 0.0 and -1.0 as 1, 0, -1 and a blank as no row', async () => {
    const s = await importChexpert(t.store, { files: [TRAIN], name: 'train' })
    expectGolden(s, GOLDEN.train)
    expect(s.splits).toEqual({ train: 223414 })
    const ds = await findDataset(t.store.db, 'train')
    expect(ds).toMatchObject({ sourceFormat: 'chexpert', itemKind: 'film' })
    const sum = (r: Record<string, number>): number => Object.values(r).reduce((a, b) => a + b, 0)
    expect(await labelValueCounts(t.store.db, ds.id)).toEqual({
      '1': sum(GOLDEN.train.findings),
      '0': sum(GOLDEN.train.negative),
      '-1': sum(GOLDEN.train.uncertain),
    })
    expect((await listFindings(t.store.db, ds.id)).map((f) => f.name)).toHaveLength(14)
  }, 180_000)
})

const HEAD =
  'Path,Sex,Age,Frontal/Lateral,AP/PA,No Finding,Enlarged Cardiomediastinum,Cardiomegaly,Lung Opacity,Lung Lesion,Edema,Consolidation,Pneumonia,Atelectasis,Pneumothorax,Pleural Effusion,Pleural Other,Fracture,Support Devices'

describe.each(DIALECTS)('CheXpert quirks and bad input (%s)', (kind) => {
  let t: Awaited<ReturnType<typeof tempStore>>
  let store: Store
  beforeAll(async () => {
    t = await tempStore(kind)
    store = t.store
    await importChexpert(store, { files: [VALID] })
  })
  afterAll(() => t.cleanup())

  it('[DS6] a bad cell stops the import with file, line and column; nothing changes', async () => {
    const file = join(t.dir, 'bad.csv')
    writeFileSync(
      file,
      `${HEAD}\nCheXpert-v1.0-small/train/patient00001/study1/view1_frontal.jpg,Female,68,Frontal,AP,1.0,,,,,,,,,0.0,,,,yes\n`,
    )
    const before = await snapshot(store)
    const e = await importChexpert(store, { files: [file] }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(BadRowsError)
    expect((e as BadRowsError).errors).toEqual([
      { file, line: 2, column: 'Support Devices', message: expect.stringContaining('"yes"') },
    ])
    expect(await snapshot(store)).toEqual(before)
  })

  it('[DS6] a study-keyed file cannot replace a film dataset; it imports as its own dataset', async () => {
    const file = join(t.dir, 'test-studies.csv')
    writeFileSync(
      file,
      'Study,Lung Opacity,Pleural Effusion\nCheXpert-v1.0/test/patient64741/study1,1,0\nCheXpert-v1.0/test/patient64742/study1,0,\n',
    )
    const before = await snapshot(store)
    await expect(importChexpert(store, { files: [file] })).rejects.toThrow(
      /holds films and this file's items are studys|holds films/,
    )
    expect(await snapshot(store)).toEqual(before)
    const s = await importChexpert(store, { files: [file], name: 'CheXpert test' })
    expect(s).toMatchObject({
      itemKind: 'study',
      studies: 2,
      patients: 2,
      findings: { 'Lung Opacity': 1, 'Pleural Effusion': 0 },
      negative: { 'Lung Opacity': 1, 'Pleural Effusion': 1 },
      notMentioned: { 'Lung Opacity': 0, 'Pleural Effusion': 1 },
      splits: { test: 2 },
    })
    expect('images' in s).toBe(false)
    expect((await findDataset(store.db, 'CheXpert test')).itemKind).toBe('study')
  })

  it('[DS3] a reader file keyed by study, columns reordered, other prefix: each film of the study gets the verdicts', async () => {
    const file = join(t.dir, 'bc1.csv')
    // Lung Lesion before Lung Opacity, as the published reader files have it; one unknown study
    writeFileSync(
      file,
      'Study,Lung Lesion,Lung Opacity,Cardiomegaly\n' +
        'CheXpert-v1.0/valid/patient64541/study1,0,1,1\n' +
        'CheXpert-v1.0/valid/patient64542/study1,0,0,0\n' +
        'CheXpert-v1.0/valid/patient99999/study1,0,0,0\n',
    )
    const s = await importLabels(store, { file, reader: 'bc1', dataset: 'CheXpert' })
    expect(s).toMatchObject({
      readers: ['bc1'],
      unknownImages: 1,
      unknownImageNames: ['CheXpert-v1.0/valid/patient99999/study1'],
      mapped: { 'Lung Lesion': 'Lung Lesion', 'Lung Opacity': 'Lung Opacity' },
    })
    // patient64541/study1 has one film in valid.csv, patient64542/study1 two (frontal, lateral)
    expect(s.images).toBe(3)
    expect(s.verdicts).toBe(9)
    expect(await countRows(store.db, 'verdict_event')).toBe(9)
    // the same file again adds nothing
    expect(
      (await importLabels(store, { file, reader: 'bc1', dataset: 'CheXpert' })).newVerdicts,
    ).toBe(0)
  })
})
