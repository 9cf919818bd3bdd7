import { gunzipSync } from 'node:zlib'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { danglingReferences, importedRows } from '@cxr-audit/store/testing'
import { sharedData } from '../../../test-support/shared-data.ts'
import { importCxr14 } from './cxr14-import.ts'
import type { Cxr14ImportOptions } from './cxr14-read.ts'
import { DIALECTS, tempStore } from './test-helpers.ts'

const METADATA = sharedData('cxr14/Data_Entry_2017_v2020.csv.gz')
const BBOX = sharedData('cxr14/BBox_List_2017.csv.gz')
const IMAGES = sharedData('cxr14/images')
const TRAIN = sharedData('cxr14/splits/train_val_list.txt')
const TEST = sharedData('cxr14/splits/test_list.txt')

/**
 * A new dataset is written while it is read (the streamed path, docs/decisions/047); a re-import
 * reads everything first. Both must store exactly the same rows and report the same summary.
 */
describe.each(DIALECTS)('ChestX-ray14 import streamed and read first (%s)', (kind) => {
  const made: Awaited<ReturnType<typeof tempStore>>[] = []
  let dir: string
  beforeAll(async () => {
    made.push(await tempStore(kind))
    dir = made[0]!.dir
  })
  afterAll(async () => {
    for (const s of made) await s.cleanup()
  })

  /** Imports into two new databases, streamed and read first, and compares everything. */
  async function same(o: Cxr14ImportOptions): Promise<void> {
    const a = await tempStore(kind)
    const b = await tempStore(kind)
    made.push(a, b)
    const streamed = await importCxr14(a.store, o)
    const readFirst = await importCxr14(b.store, { ...o, stream: false })
    expect(streamed).toEqual(readFirst)
    expect(await importedRows(a.store)).toEqual(await importedRows(b.store))
    // written with SQLite's reference checks off (loadTransaction): every reference holds
    expect(await danglingReferences(a.store)).toEqual([])
  }

  const head = (lines: number): string[] =>
    gunzipSync(readFileSync(METADATA)).toString('utf8').split('\n').slice(0, lines)

  it('stores the same rows from the real files with boxes, both split lists and images', async () => {
    await same({
      metadata: METADATA,
      bbox: BBOX,
      trainList: TRAIN,
      testList: TEST,
      images: [IMAGES],
    })
  })

  it('stores the same rows with one split list (the rest is the other split)', async () => {
    const file = join(dir, 'head.csv')
    writeFileSync(file, head(20001).join('\n') + '\n')
    await same({ metadata: file, testList: TEST, name: 'one list' })
  })

  it('stores the same rows from a file with repeats, blanks, bad rows skipped and out-of-order names', async () => {
    const lines = head(3000)
    const rows = lines.slice(1)
    // names out of order, a name repeated (in order and not), a blank age, a malformed row
    ;[rows[10], rows[20]] = [rows[20]!, rows[10]!]
    rows.push(rows[5]!, rows[2998]!)
    rows[30] = rows[30]!.replace(/,(\d+),([MF]),/, ',,$2,')
    rows[40] = rows[40]!.split(',').slice(0, 4).join(',')
    const file = join(dir, 'awkward.csv')
    writeFileSync(file, [lines[0], ...rows].join('\n') + '\n')
    await same({ metadata: file, name: 'awkward', skipBadRows: true, bbox: BBOX })
  })
})
