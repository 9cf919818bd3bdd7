import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InputFormatError } from '@cxr-audit/core'
import {
  StoreError,
  currentVerdicts,
  ensureReader,
  findReader,
  listLabelImports,
} from '@cxr-audit/store'
import { importCxr14 } from './cxr14-import.ts'
import { BadRowsError } from './cxr14-read.ts'
import { importLabels } from './labels-import.ts'
import { GOOGLE, googleSubsetMetadata } from './labels-test-fixture.ts'
import { countRows } from '@cxr-audit/store/testing'
import { DIALECTS, snapshot, tempStore } from './test-helpers.ts'

describe.each(DIALECTS)('import labels (%s)', (kind) => {
  let t: Awaited<ReturnType<typeof tempStore>>
  const file = (name: string, text: string): string => {
    const path = join(t.dir, name)
    writeFileSync(path, text)
    return path
  }
  const eventCount = (): Promise<number> => countRows(t.store.db, 'verdict_event')

  beforeAll(async () => {
    t = await tempStore(kind)
    await importCxr14(t.store, { metadata: googleSubsetMetadata(t.dir, 50) })
  })
  afterAll(async () => t.cleanup())

  it("[L1] reads Google's adjudicated file as it is (CRLF, Image Index, aliases); Fracture matches nothing", async () => {
    const s = await importLabels(t.store, { file: GOOGLE.adjudicated, reader: 'google' })
    expect(s).toMatchObject({
      readers: ['google'],
      images: 2414,
      verdicts: 3 * 2414,
      newVerdicts: 3 * 2414,
      unknownImages: 0,
      mapped: {
        Pneumothorax: 'Pneumothorax',
        'Airspace opacity': 'Opacity',
        'Nodule or mass': 'Nodule/Mass',
      },
      unmatchedColumns: ['Fracture'],
      format: 'wide',
    })
    expect(s.ignoredColumns).toEqual(
      expect.arrayContaining(['Finding Labels', 'Patient Age', 'Fracture', 'Set Id']),
    )
    expect((await findReader(t.store.db, 'google'))?.kind).toBe('imported')
    const [record] = await listLabelImports(t.store.db)
    expect(record).toMatchObject({
      reader: 'google',
      file: 'validation_labels.csv',
      unmatched: ['Fracture'],
    })
    expect(record!.sha256).toMatch(/^[0-9a-f]{64}$/)
  })

  it('[L1] importing the same file again adds no verdict', async () => {
    const before = await snapshot(t.store)
    const s = await importLabels(t.store, { file: GOOGLE.adjudicated, reader: 'google' })
    expect([s.verdicts, s.newVerdicts]).toEqual([3 * 2414, 0])
    expect(await snapshot(t.store)).toEqual(before)
    expect(await listLabelImports(t.store.db)).toHaveLength(1)
  })

  it('[L1] with --reader-column each reader ID becomes the reader NAME:<id>', async () => {
    const s = await importLabels(t.store, {
      file: GOOGLE.readers,
      reader: 'gr',
      readerColumn: 'Reader ID',
    })
    expect(s.readers).toHaveLength(13)
    expect(s.readers.every((r) => /^gr:\d+$/.test(r))).toBe(true)
    expect([s.images, s.verdicts, s.newVerdicts]).toEqual([2414, 3 * 7213, 3 * 7213])
    expect(s.mapped).toEqual({
      Pneumothorax: 'Pneumothorax',
      'Airspace opacity': 'Opacity',
      'Nodule/mass': 'Nodule/Mass',
    })
    expect(s.ignoredColumns).toEqual(['Patient ID', 'Fracture', 'Set ID'])
  })

  it('[L1] images not in the dataset are counted and listed, the rest imported', async () => {
    const s = await importLabels(t.store, {
      file: file(
        'unknown.csv',
        'Image Index,Mass\n00000119_001.png,YES\nnot-here.png,NO\nnor-this.png,YES\n',
      ),
      reader: 'small',
    })
    expect([s.verdicts, s.unknownImages, s.unknownImageNames]).toEqual([
      1,
      2,
      ['nor-this.png', 'not-here.png'],
    ])
  })

  it('[L1] a value that is not a verdict names line and column, and nothing is imported', async () => {
    const before = await snapshot(t.store)
    const bad = file(
      'bad.csv',
      'Image Index,Pneumothorax,Mass\n00000119_001.png,YES,NO\n00000134_000.png,NO,maybe\n',
    )
    const e = await importLabels(t.store, { file: bad, reader: 'bad' }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(BadRowsError)
    expect((e as BadRowsError).errors).toEqual([
      expect.objectContaining({
        line: 3,
        column: 'Mass',
        message: expect.stringMatching(/"maybe" is not a verdict/) as string,
      }),
    ])
    expect(await snapshot(t.store)).toEqual(before)
    const s = await importLabels(t.store, { file: bad, reader: 'bad', skipBadRows: true })
    expect([s.verdicts, s.skippedRows]).toEqual([3, 1])
  })

  it('[L1] a file without an image-id column is refused, nothing imported', async () => {
    const before = await eventCount()
    await expect(
      importLabels(t.store, { file: file('noid.csv', 'Name,Mass\na,YES\n'), reader: 'x' }),
    ).rejects.toBeInstanceOf(InputFormatError)
    expect(await eventCount()).toBe(before)
    expect(await findReader(t.store.db, 'x')).toBeUndefined()
  })

  it('[L1] a reader name used by a person is refused unless --append', async () => {
    await ensureReader(t.store.db, 'alice', 'person')
    const f = file('alice.csv', 'Image Index,Pneumothorax\n00000119_001.png,YES\n')
    await expect(importLabels(t.store, { file: f, reader: 'alice' })).rejects.toThrow(StoreError)
    await expect(importLabels(t.store, { file: f, reader: 'alice' })).rejects.toThrow(/--append/)
    const s = await importLabels(t.store, { file: f, reader: 'alice', append: true })
    expect(s.newVerdicts).toBe(1)
    expect((await findReader(t.store.db, 'alice'))?.kind).toBe('person')
  })

  it('[L1] a changed file appends new events: the latest verdict is the current one', async () => {
    const reader = await ensureReader(t.store.db, 'twice', 'imported')
    await importLabels(t.store, {
      file: file('v1.csv', 'Image Index,Mass\n00000119_001.png,YES\n'),
      reader: 'twice',
    })
    await importLabels(t.store, {
      file: file('v2.csv', 'Image Index,Mass\n00000119_001.png,NO\n'),
      reader: 'twice',
    })
    const current = await currentVerdicts(t.store.db, { readerIds: [reader.id] })
    expect(current.map((c) => c.verdict)).toEqual(['absent'])
  })
})
