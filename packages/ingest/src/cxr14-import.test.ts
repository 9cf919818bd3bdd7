import { gunzipSync, gzipSync } from 'node:zlib'
import { mkdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CXR14_FINDINGS } from '@cxr-audit/core'
import {
  deriveFinding,
  ensureReader,
  findDataset,
  imageIdMap,
  listFindings,
  listImages,
  type Store,
} from '@cxr-audit/store'
import { addVerdicts, tableRows } from '@cxr-audit/store/testing'
import { sharedData } from '../../../test-support/shared-data.ts'
import { importCxr14, type Cxr14ImportSummary } from './cxr14-import.ts'
import { BadRowsError } from './cxr14-read.ts'
import { InputFileError } from './files.ts'
import { DIALECTS, snapshot, tempStore } from './test-helpers.ts'

const METADATA = sharedData('cxr14/Data_Entry_2017_v2020.csv.gz')
const BBOX = sharedData('cxr14/BBox_List_2017.csv.gz')
const IMAGES = sharedData('cxr14/images')

// counted independently from the CSV with Python's csv module
const COUNTS: Record<string, number> = {
  Atelectasis: 11559,
  Cardiomegaly: 2776,
  Effusion: 13317,
  Infiltration: 19894,
  Mass: 5782,
  Nodule: 6331,
  Pneumonia: 1431,
  Pneumothorax: 5302,
  Consolidation: 4667,
  Edema: 2303,
  Emphysema: 2516,
  Fibrosis: 1686,
  Pleural_Thickening: 3385,
  Hernia: 227,
}

describe.each(DIALECTS)('ChestX-ray14 import of the real files (%s)', (kind) => {
  let t: Awaited<ReturnType<typeof tempStore>>
  let summary: Cxr14ImportSummary
  beforeAll(async () => {
    t = await tempStore(kind)
    summary = await importCxr14(t.store, { metadata: METADATA, bbox: BBOX, images: [IMAGES] })
  })
  afterAll(() => t.cleanup())

  it('imports 112,120 images of 30,805 patients with the published counts', () => {
    expect(summary).toMatchObject({
      dataset: 'ChestX-ray14',
      images: 112120,
      patients: 30805,
      noFinding: 60361,
      imagesOnDisk: 216,
      bboxes: 984,
    })
    expect(summary.findings).toEqual(COUNTS)
    expect(Object.keys(summary.findings)).toEqual([...CXR14_FINDINGS])
    expect(summary.problems.find((p) => p.kind === 'missing-on-disk')?.count).toBe(112120 - 216)
  })

  it('[F4] derives Opacity and Nodule/Mass as unions', async () => {
    const ds = await findDataset(t.store.db)
    expect(
      await deriveFinding(t.store.db, ds.id, 'Opacity', [
        'Atelectasis',
        'Pneumonia',
        'Consolidation',
        'Infiltrate',
      ]),
    ).toEqual({
      name: 'Opacity',
      from: ['Atelectasis', 'Pneumonia', 'Consolidation', 'Infiltration'],
      positives: 31316,
    })
    expect(
      (await deriveFinding(t.store.db, ds.id, 'Nodule/Mass', ['nodule', 'MASS'])).positives,
    ).toBe(11207)
    await expect(deriveFinding(t.store.db, ds.id, 'X', ['Fracture'])).rejects.toThrow(
      /unknown finding "Fracture"/,
    )
    await expect(deriveFinding(t.store.db, ds.id, 'Effusion', ['Mass'])).rejects.toThrow(
      /labelled finding/,
    )
  })

  it('[I-4] a second import of the same files changes nothing', async () => {
    const before = await snapshot(t.store)
    const again = await importCxr14(t.store, { metadata: METADATA, bbox: BBOX, images: [IMAGES] })
    expect(again).toEqual(summary)
    expect(await snapshot(t.store)).toEqual(before)
  })

  it('[I-5] [I-7] adds a split from a list file and keeps it when the list is not given again', async () => {
    const test = ['00000001_000.png', '00000001_001.png', '00000002_000.png', 'not-in-metadata.png']
    const file = join(t.dir, 'test_list.txt')
    writeFileSync(file, test.join('\r\n'))
    const r = await importCxr14(t.store, { metadata: METADATA, testList: file })
    expect(r.splits).toEqual({ train: 112117, test: 3 })
    expect(r.imagesOnDisk).toBe(216)
    expect(r.problems.find((p) => p.kind === 'split-list-unknown-image')).toMatchObject({
      count: 1,
    })
    // patient 1 has 8 images: two in test, six in train
    const again = await importCxr14(t.store, { metadata: METADATA })
    expect(again.splits).toEqual({ train: 112117, test: 3 })
  })
})

describe.each(DIALECTS)('ChestX-ray14 import of bad input (%s)', (kind) => {
  let t: Awaited<ReturnType<typeof tempStore>>
  let good: string
  beforeAll(async () => {
    t = await tempStore(kind)
    good = join(t.dir, 'small.csv')
    writeFileSync(good, gunzipHead(METADATA, 51).join('\n') + '\n')
    await importCxr14(t.store, { metadata: good, name: 'small' })
  })
  afterAll(() => t.cleanup())

  const write = (name: string, text: string | Buffer): string => {
    const file = join(t.dir, name)
    writeFileSync(file, text)
    return file
  }
  async function unchanged(
    run: () => Promise<unknown>,
    error: RegExp | (new (...a: never[]) => Error),
  ): Promise<void> {
    const before = await snapshot(t.store)
    await expect(run()).rejects.toThrow(error as RegExp)
    expect(await snapshot(t.store)).toEqual(before)
  }

  it('[I-2] stops at malformed rows, names file, line and column, and changes nothing', async () => {
    const lines = gunzipHead(METADATA, 6)
    lines[2] = lines[2]!.replace(/,M,|,F,/, ',X,')
    lines[4] = lines[4]!.split(',').slice(0, 5).join(',')
    const file = write('bad.csv', lines.join('\n') + '\n')
    const before = await snapshot(t.store)
    const error = await importCxr14(t.store, { metadata: file, name: 'small' }).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(BadRowsError)
    expect((error as BadRowsError).errors).toEqual([
      {
        file,
        line: 3,
        column: 'Patient Gender',
        message: 'unknown gender "X" (expected M, F or O)',
      },
      { file, line: 5, column: null, message: 'expected 11 fields, found 5' },
    ])
    expect(await snapshot(t.store)).toEqual(before)
  })

  it('[I-2] --skip-bad-rows imports the rest and lists what was skipped', async () => {
    const lines = gunzipHead(METADATA, 6)
    lines[3] = lines[3]!.replace(/,(\d+),([MF]),/, ',old,$2,')
    const file = write('skip.csv', lines.join('\n'))
    const r = await importCxr14(t.store, { metadata: file, name: 'skipped', skipBadRows: true })
    expect(r.images).toBe(4)
    expect(r.skippedRows).toBe(1)
    expect(r.problems[0]).toMatchObject({
      kind: 'skipped-row',
      count: 1,
      examples: [`${file}:4 (Patient Age): age "old" is not a number`],
    })
  })

  it('[I-3] refuses a missing file, an empty file, a folder and corrupt gzip', async () => {
    await unchanged(
      () => importCxr14(t.store, { metadata: join(t.dir, 'nope.csv') }),
      /nope\.csv: cannot read: no such file/,
    )
    await unchanged(
      () => importCxr14(t.store, { metadata: write('empty.csv', '') }),
      /empty\.csv: the file is empty/,
    )
    await unchanged(() => importCxr14(t.store, { metadata: t.dir }), /is a folder, not a file/)
    const gz = gzipSync(readFileSync(good))
    await unchanged(
      () => importCxr14(t.store, { metadata: write('cut.csv.gz', gz.subarray(0, gz.length / 2)) }),
      /gzip data is corrupt or truncated/,
    )
    await unchanged(
      () => importCxr14(t.store, { metadata: good, images: [join(t.dir, 'no-folder')] }),
      InputFileError,
    )
  })

  it('[I-3] names a BBox list given as metadata', async () => {
    await unchanged(
      () => importCxr14(t.store, { metadata: BBOX }),
      /bounding-box list \(BBox_List_2017\.csv\), not the metadata; give it with --bbox/,
    )
  })

  it('[CSV2] reads a file with a byte-order mark and CRLF line ends', async () => {
    const file = write('bom.csv', '\uFEFF' + gunzipHead(METADATA, 11).join('\r\n') + '\r\n')
    const r = await importCxr14(t.store, { metadata: file, name: 'bom' })
    expect(r).toMatchObject({ images: 10, patients: 3, skippedRows: 0 })
  })

  it('[I-4] a re-import keeps an image that a verdict refers to, and its id', async () => {
    const ds = await findDataset(t.store.db, 'small')
    const first = (await listImages(t.store.db, ds.id))[0]!
    await addVerdict(t.store, first.id)
    const shorter = write(
      'shorter.csv',
      gunzipHead(METADATA, 51)
        .filter((_, i) => i !== 1)
        .join('\n'),
    )
    const before = (await findDataset(t.store.db, 'small')).importedAt
    await importCxr14(t.store, { metadata: shorter, name: 'small' })
    // a re-import that changed something is dated; an unchanged one is not ([I-4] above)
    expect((await findDataset(t.store.db, 'small')).importedAt > before).toBe(true)
    const still = (await imageIdMap(t.store.db, ds.id, [first.name])).get(first.name)
    expect(still).toBe(first.id)
    expect((await tableRows(t.store.db, 'verdict_event')).map((v) => v['image_id'])).toEqual([
      first.id,
    ])
  })

  it('[I-8] keeps the first row of a repeated name, in sorted files and in any order', async () => {
    const [header, ...rows] = gunzipHead(METADATA, 7)
    const box = (name: string) =>
      `Image Index,Finding Label,Bbox [x,y,w,h],,,\n${name},Mass,1,2,3,4,,,\n`
    // a repeat right after its row (a sorted file), and one far from it in a shuffled file
    const sorted = [
      header,
      rows[0],
      rows[1],
      rows[1]!.replace(/,\d+,[MF],/, ',99,F,'),
      ...rows.slice(2),
    ]
    const shuffled = [
      header,
      rows[3],
      rows[0],
      rows[5],
      rows[1],
      rows[0]!.replace(/,\d+,[MF],/, ',99,F,'),
      rows[2],
      rows[4],
    ]
    for (const [name, lines] of [
      ['dup-sorted', sorted],
      ['dup-shuffled', shuffled],
    ] as const) {
      const file = write(`${name}.csv`, lines.join('\n') + '\n')
      const first = rows[name === 'dup-sorted' ? 1 : 0]!.split(',')[0]!
      const r = await importCxr14(t.store, {
        metadata: file,
        name,
        bbox: write(`${name}-box.csv`, box(first)),
      })
      expect(r.images).toBe(6)
      expect(r.bboxes).toBe(1)
      expect(r.problems.find((p) => p.kind === 'duplicate-image')).toMatchObject({
        count: 1,
        examples: [`${first} (line ${name === 'dup-sorted' ? 4 : 6})`],
      })
      const ds = await findDataset(t.store.db, name)
      const kept = (await listImages(t.store.db, ds.id)).find((im) => im.name === first)!
      expect(kept.age).not.toBe(99)
    }
  })

  it('[I-6] finds images in nested folders and reports files the metadata does not list', async () => {
    const root = join(t.dir, 'images_001')
    mkdirSync(join(root, 'images'), { recursive: true })
    copyFileSync(join(IMAGES, '00000846_000.png'), join(root, 'images', '00000001_000.png'))
    copyFileSync(join(IMAGES, '00000846_000.png'), join(root, 'images', 'stray.png'))
    const r = await importCxr14(t.store, { metadata: good, name: 'small', images: [root] })
    expect(r.imagesOnDisk).toBe(1)
    expect(r.problems.find((p) => p.kind === 'not-in-metadata')).toMatchObject({
      count: 1,
      examples: ['stray.png'],
    })
  })
})

function gunzipHead(file: string, lines: number): string[] {
  return gunzipSync(readFileSync(file)).toString('utf8').split('\n').slice(0, lines)
}

async function addVerdict(store: Store, imageId: number): Promise<void> {
  const reader = await ensureReader(store.db, 'r', 'person')
  const [finding] = await listFindings(store.db, (await findDataset(store.db, 'small')).id)
  await addVerdicts(store, [
    {
      clientEventId: 'e1',
      readerId: reader.id,
      auditId: null,
      imageId,
      findingId: finding!.id,
      verdict: 'absent',
      createdAt: 'now',
    },
  ])
}
