import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findDataset, labelValueCounts, type Store } from '@cxr-audit/store'
import { countRows } from '@cxr-audit/store/testing'
import { sharedData } from '../../../test-support/shared-data.ts'
import { BadRowsError } from './cxr14-read.ts'
import { importLabels } from './labels-import.ts'
import { importMimic } from './mimic-import.ts'
import { importPredictions } from './predictions-import.ts'
import { DIALECTS, snapshot, tempStore } from './test-helpers.ts'

const NOTES = sharedData('formats/MIMIC-CXR-JPG_layout_notes.txt')
// a synthetic sample in the published layouts and its counts by pandas:
// scripts/golden/mimic_fixture.py
const FIXTURE = fileURLToPath(new URL('./golden/mimic/', import.meta.url))
const META = join(FIXTURE, 'mimic-cxr-2.0.0-metadata.csv')
const LABELS = join(FIXTURE, 'mimic-cxr-2.0.0-chexpert.csv')
const SPLIT = join(FIXTURE, 'mimic-cxr-2.0.0-split.csv')
const GOLDEN = JSON.parse(readFileSync(join(FIXTURE, 'counts.json'), 'utf8')) as Record<
  string,
  unknown
>
const OBS =
  'Atelectasis,Cardiomegaly,Consolidation,Edema,Enlarged Cardiomediastinum,Fracture,Lung Lesion,Lung Opacity,No Finding,Pleural Effusion,Pleural Other,Pneumonia,Pneumothorax,Support Devices'
const META_HEAD =
  'dicom_id,subject_id,study_id,PerformedProcedureStepDescription,ViewPosition,Rows,Columns,StudyDate,StudyTime,ProcedureCodeSequence_CodeMeaning,ViewCodeSequence_CodeMeaning,PatientOrientationCodeSequence_CodeMeaning'

/** The official example rows of the metadata, as the layout notes in ../shared/data give them. */
function officialRows(): string[] {
  return readFileSync(NOTES, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^[0-9a-f]{8}(-[0-9a-f]{8}){4},\d+,\d+,/.test(l))
}

describe.each(DIALECTS)('MIMIC-CXR-JPG import (%s)', (kind) => {
  let t: Awaited<ReturnType<typeof tempStore>>
  let store: Store
  beforeAll(async () => {
    t = await tempStore(kind)
    store = t.store
  })
  afterAll(() => t.cleanup())

  it("[DS8] the official example rows: study 50414267's negbio labels apply to both its films, views from ViewPosition", async () => {
    const rows = officialRows()
    expect(rows).toHaveLength(3)
    const meta = join(t.dir, 'meta.csv')
    writeFileSync(meta, [META_HEAD, ...rows].join('\n') + '\n')
    const negbio = join(t.dir, 'negbio.csv')
    const blanks = OBS.split(',').map((o) => (o === 'No Finding' ? '1.0' : ''))
    writeFileSync(negbio, `subject_id,study_id,${OBS}\n10000032,50414267,${blanks.join(',')}\n`)
    const split = join(t.dir, 'split.csv')
    writeFileSync(
      split,
      'dicom_id,study_id,subject_id,split\n02aa804e-bde0afdd-112c0b34-7bc16630-4e384014,50414267,10000032,train\n',
    )
    // an image folder as the JPG archive lays it out
    const jpg = join(
      t.dir,
      'mimic-cxr-jpg/files/p10/p10000032/s50414267/02aa804e-bde0afdd-112c0b34-7bc16630-4e384014.jpg',
    )
    mkdirSync(dirname(jpg), { recursive: true })
    writeFileSync(jpg, 'not read at import')
    const s = await importMimic(store, {
      metadata: meta,
      labels: negbio,
      split,
      images: [join(t.dir, 'mimic-cxr-jpg')],
      name: 'official',
    })
    expect(s).toMatchObject({
      dataset: 'official',
      itemKind: 'film',
      images: 3,
      studies: 2,
      patients: 1,
      labelledStudies: 1,
      findings: { 'No Finding': 2, Cardiomegaly: 0 },
      notMentioned: { 'No Finding': 1, Cardiomegaly: 3 },
      views: { PA: 1, LATERAL: 1, AP: 1 },
      splits: { train: 1 },
      imagesOnDisk: 1,
    })
    expect(s.problems.map((p) => [p.kind, p.count])).toEqual([
      ['missing-split', 2],
      ['unlabelled-study', 1],
    ])
    expect((await findDataset(store.db, 'official')).sourceFormat).toBe('mimic')
  })

  it('[DS8] the sample: every count as pandas reads it; re-import changes nothing', async () => {
    const s = await importMimic(store, { metadata: META, labels: LABELS, split: SPLIT })
    expect(s).toMatchObject({ dataset: 'MIMIC-CXR', skippedRows: 0, ...GOLDEN })
    const ds = await findDataset(store.db, 'MIMIC-CXR')
    const sum = (k: string): number =>
      Object.values(GOLDEN[k] as Record<string, number>).reduce((a, b) => a + b, 0)
    expect(await labelValueCounts(store.db, ds.id)).toEqual({
      '1': sum('findings'),
      '0': sum('negative'),
      '-1': sum('uncertain'),
    })
    const before = await snapshot(store)
    await importMimic(store, { metadata: META, labels: LABELS, split: SPLIT })
    expect(await snapshot(store)).toEqual(before)
  })

  it('[DS3] a reader keyed by study_id and predictions keyed by path with any prefix', async () => {
    const file = join(t.dir, 'reader.csv')
    writeFileSync(file, 'study_id,Cardiomegaly\n50414267,1\n53911762,0\n99999999,1\n')
    const r = await importLabels(store, {
      file,
      reader: 'rad1',
      dataset: 'MIMIC-CXR',
      idColumn: 'study_id',
    })
    expect(r).toMatchObject({ images: 3, verdicts: 3, unknownImageNames: ['99999999'] })
    const preds = join(t.dir, 'preds.csv')
    writeFileSync(
      preds,
      'Path,Cardiomegaly\n' +
        'mimic-cxr-jpg/2.0.0/files/p10/p10000032/s50414267/02aa804e-bde0afdd-112c0b34-7bc16630-4e384014.jpg,0.9\n' +
        'files/p10/p10000032/s53911762/68b5c4b1-227d0485-9cc38c3f-7b84ab51-4b472714.jpg,0.2\n',
    )
    const p = await importPredictions(store, {
      file: preds,
      model: 'm',
      dataset: 'MIMIC-CXR',
    })
    expect(p).toMatchObject({ images: 2 })
  })

  it('[DS6] a bad cell, a bad study_id, a subject that is not the metadata’s: file, line, column; nothing changes', async () => {
    const bad = join(t.dir, 'bad.csv')
    writeFileSync(
      bad,
      `subject_id,study_id,${OBS}\n10000032,50414267,maybe${','.repeat(13)}\nx,50414267${','.repeat(14)}\n10000099,53911762${','.repeat(14)}\n`,
    )
    const before = await snapshot(store)
    const e = await importMimic(store, { metadata: META, labels: bad }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(BadRowsError)
    expect((e as BadRowsError).errors).toEqual([
      { file: bad, line: 2, column: 'Atelectasis', message: expect.stringContaining('"maybe"') },
      { file: bad, line: 3, column: 'subject_id', message: expect.stringContaining('"x"') },
      { file: bad, line: 4, column: 'subject_id', message: expect.stringContaining('10000032') },
    ])
    expect(await snapshot(store)).toEqual(before)
    const noView = join(t.dir, 'noview.csv')
    writeFileSync(noView, 'dicom_id,subject_id,study_id\na,1,2\n')
    await expect(importMimic(store, { metadata: noView, labels: LABELS })).rejects.toThrow(
      /noview\.csv: not MIMIC-CXR-JPG's metadata: no column "ViewPosition"/,
    )
    expect(await snapshot(store)).toEqual(before)
  })

  it('[DS6] duplicate rows keep the first and are listed; unknown studies are listed', async () => {
    const meta = join(t.dir, 'dup-meta.csv')
    const text = readFileSync(META, 'utf8').trimEnd().split('\n')
    writeFileSync(meta, [...text, text[1]!].join('\n') + '\n')
    const labels = join(t.dir, 'dup-labels.csv')
    const l = readFileSync(LABELS, 'utf8').trimEnd().split('\n')
    writeFileSync(labels, [...l, l[1]!, `10000032,59999999${','.repeat(14)}`].join('\n') + '\n')
    copyFileSync(SPLIT, join(t.dir, 'split-copy.csv'))
    const s = await importMimic(store, { metadata: meta, labels, name: 'dups' })
    expect(s.images).toBe(GOLDEN['images'])
    const kinds = Object.fromEntries(s.problems.map((p) => [p.kind, p.count]))
    expect(kinds).toMatchObject({ 'duplicate-image': 1, 'duplicate-study': 1, 'unknown-study': 1 })
    expect(await countRows(store.db, 'image')).toBeGreaterThan(0)
  })
})
