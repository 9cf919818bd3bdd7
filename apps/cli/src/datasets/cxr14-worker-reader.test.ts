import { gunzipSync } from 'node:zlib'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  BadRowsError,
  importCxr14,
  InputFileError,
  type Cxr14ImportOptions,
} from '@cxr-audit/ingest'
import { importedRows, snapshot } from '@cxr-audit/store/testing'
import { sharedData } from '../../../../test-support/shared-data.ts'
import { DIALECTS, tempStore } from '../../../../test-support/temp-store.ts'
import { readInWorker } from './cxr14-worker-reader.ts'

const METADATA = sharedData('cxr14/Data_Entry_2017_v2020.csv.gz')
const BBOX = sharedData('cxr14/BBox_List_2017.csv.gz')
const TEST = sharedData('cxr14/splits/test_list.txt')
const IMAGES = sharedData('cxr14/images')

/** `import cxr14` reads in a worker thread (docs/decisions/047): what it stores and throws. */
describe.each(DIALECTS)('ChestX-ray14 import read in a worker thread (%s)', (kind) => {
  const made: Awaited<ReturnType<typeof tempStore>>[] = []
  let dir: string
  let small: string
  beforeAll(async () => {
    made.push(await tempStore(kind))
    dir = made[0]!.dir
    small = join(dir, 'small.csv')
    const lines = gunzipSync(readFileSync(METADATA)).toString('utf8').split('\n')
    // the first 10,000 rows and then again the first row: two batches and a repeat
    writeFileSync(small, [...lines.slice(0, 10001), lines[1]].join('\n') + '\n')
  })
  afterAll(async () => {
    for (const s of made) await s.cleanup()
  })
  const store = async () => {
    const t = await tempStore(kind)
    made.push(t)
    return t.store
  }
  const inWorker = (o: Cxr14ImportOptions) => ({ ...o, source: readInWorker(o) })

  it('stores what reading everything first stores, and says the same', async () => {
    const o = { metadata: small, bbox: BBOX, testList: TEST, images: [IMAGES] }
    const [a, b] = [await store(), await store()]
    const streamed = await importCxr14(a, inWorker(o))
    expect(streamed).toEqual(await importCxr14(b, { ...o, stream: false }))
    expect(streamed.problems.map((p) => p.kind)).toContain('duplicate-image')
    expect(await importedRows(a)).toEqual(await importedRows(b))
  })

  it('stops the thread on a re-import, which reads everything first', async () => {
    const a = await store()
    const first = await importCxr14(a, inWorker({ metadata: small }))
    const before = await snapshot(a)
    const source = readInWorker({ metadata: small })
    const again = await importCxr14(a, { metadata: small, source })
    expect(again).toEqual(first)
    expect(await snapshot(a)).toEqual(before)
    // a stopped read is no failure
    expect(await source.outcome()).toBeNull()
  })

  it('throws the errors of the same-thread read, as their classes, and writes nothing', async () => {
    const a = await store()
    const lines = readFileSync(small, 'utf8').split('\n')
    lines[3] = lines[3]!.replace(/,M,|,F,/, ',X,')
    lines[9000] = lines[9000]!.split(',').slice(0, 5).join(',')
    const bad = join(dir, 'bad.csv')
    writeFileSync(bad, lines.join('\n'))
    for (const o of [
      { metadata: bad },
      { metadata: join(dir, 'nope.csv') },
      { metadata: small, testList: join(dir, 'no-list.txt') },
      { metadata: small, images: [join(dir, 'no-folder')] },
    ]) {
      const expected = await importCxr14(a, { ...o, stream: false }).catch((e: unknown) => e)
      const before = await snapshot(a)
      const got = await importCxr14(a, inWorker(o)).catch((e: unknown) => e)
      expect(expected).toBeInstanceOf(Error)
      expect(got).toBeInstanceOf((expected as Error).constructor)
      expect((got as Error).message).toBe((expected as Error).message)
      if (got instanceof BadRowsError) {
        expect(got.errors).toEqual((expected as BadRowsError).errors)
        expect(got.errors.map((e) => e.line)).toEqual([4, 9001])
      }
      expect(await snapshot(a)).toEqual(before)
    }
    const missing = await importCxr14(a, inWorker({ metadata: join(dir, 'nope.csv') })).catch(
      (e: unknown) => e,
    )
    expect(missing).toBeInstanceOf(InputFileError)
  })
})
