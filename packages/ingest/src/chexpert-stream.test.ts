import { gunzipSync } from 'node:zlib'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { danglingReferences, importedRows } from '@cxr-audit/store/testing'
import { sharedData } from '../../../test-support/shared-data.ts'
import {
  importChexpert,
  type ChexpertImportOptions,
  type ChexpertImportSummary,
} from './chexpert-import.ts'
import { DIALECTS, tempStore } from './test-helpers.ts'

const VALID = sharedData('chexpert/valid.csv')
const TRAIN = sharedData('chexpert/chexpert_train.csv.gz')

/**
 * One film-keyed file into a new dataset is written while it is read (docs/decisions/048); with
 * `stream: false` it is read first. Both must store exactly the same rows and say the same.
 */
describe.each(DIALECTS)('CheXpert import streamed and read first (%s)', (kind) => {
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
  async function same(o: ChexpertImportOptions): Promise<ChexpertImportSummary> {
    const a = await tempStore(kind)
    const b = await tempStore(kind)
    made.push(a, b)
    const streamed = await importChexpert(a.store, o)
    const readFirst = await importChexpert(b.store, { ...o, stream: false })
    expect(streamed).toEqual(readFirst)
    expect(JSON.stringify(streamed)).toBe(JSON.stringify(readFirst))
    expect(await importedRows(a.store)).toEqual(await importedRows(b.store))
    // written with SQLite's reference checks off (loadTransaction): every reference holds
    expect(await danglingReferences(a.store)).toEqual([])
    return streamed
  }

  it('stores the same rows from the real valid.csv, with a few films on disk', async () => {
    const images = join(dir, 'images')
    const lines = readFileSync(VALID, 'utf8').split('\n')
    for (const line of lines.slice(1, 30)) {
      const file = join(images, line.split(',')[0]!.replace(/^CheXpert-v1.0-small\//, ''))
      mkdirSync(dirname(file), { recursive: true })
      writeFileSync(file, '')
    }
    await same({ files: [VALID], name: 'valid' })
    const s = await same({ files: [VALID], name: 'valid', images: [images] })
    expect(s.imagesOnDisk).toBe(29)
  })

  it('stores the same rows from 30,000 train rows with a repeat, blanks, an extra column and a bad row skipped', async () => {
    const lines = gunzipSync(readFileSync(TRAIN)).toString('utf8').split('\n').slice(0, 30001)
    const rows = lines.slice(1).map((l) => `${l},x`)
    rows.push(rows[7]!) // a repeated path: the first row is kept
    rows[100] = rows[100]!.replace(/,(-?1\.0|0\.0|),/, ',,') // a blank cell
    rows[200] = rows[200]!.replace(/,(1\.0|0\.0|),/, ',-1.0,') // an uncertain one
    rows[300] = rows[300]!.replace(/,(Male|Female),\d+,/, ',$1,,') // a blank age
    rows[20000] = rows[20000]!.split(',').slice(0, 4).join(',') // too few columns
    rows[25000] = rows[25000]!.replace(/,(1\.0|0\.0|-1\.0),/, ',yes,') // not a label
    const file = join(dir, 'awkward.csv')
    writeFileSync(file, [`${lines[0]},Unknown Column`, ...rows].join('\n') + '\n')
    const s = await same({ files: [file], name: 'awkward', skipBadRows: true })
    expect(s).toMatchObject({ images: 29998, skippedRows: 2, ignoredColumns: ['Unknown Column'] })
    expect(s.problems.map((p) => p.kind)).toEqual([
      'duplicate-image',
      'ignored-column',
      'skipped-row',
    ])
  })
})
