import { gunzipSync } from 'node:zlib'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BadRowsError, importChexpert, type ChexpertImportOptions } from '@cxr-audit/ingest'
import { importedRows, snapshot } from '@cxr-audit/store/testing'
import { sharedData } from '../../../../test-support/shared-data.ts'
import { DIALECTS, tempStore } from '../../../../test-support/temp-store.ts'
import { readChexpertInWorker } from './chexpert-worker-reader.ts'

const TRAIN = sharedData('chexpert/chexpert_train.csv.gz')

/** `import chexpert` of one file reads in a worker thread (docs/decisions/048). */
describe.each(DIALECTS)('CheXpert import read in a worker thread (%s)', (kind) => {
  const made: Awaited<ReturnType<typeof tempStore>>[] = []
  let dir: string
  let small: string
  beforeAll(async () => {
    made.push(await tempStore(kind))
    dir = made[0]!.dir
    small = join(dir, 'small.csv')
    const lines = gunzipSync(readFileSync(TRAIN)).toString('utf8').split('\n')
    // the first 10,000 rows and then again the first row: several batches and a repeat
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
  const inWorker = (o: ChexpertImportOptions) => ({
    ...o,
    source: readChexpertInWorker({
      file: o.files[0]!,
      images: o.images,
      skipBadRows: o.skipBadRows,
    }),
  })

  it('stores what reading everything first stores, and says the same', async () => {
    const o = { files: [small] }
    const [a, b] = [await store(), await store()]
    const streamed = await importChexpert(a, inWorker(o))
    expect(streamed).toEqual(await importChexpert(b, { ...o, stream: false }))
    expect(streamed.problems.map((p) => p.kind)).toEqual(['duplicate-image'])
    expect(await importedRows(a)).toEqual(await importedRows(b))
  })

  it('reads a study-keyed file first, also when its thread ended before its start was taken', async () => {
    const studies = join(dir, 'studies.csv')
    const header = readFileSync(small, 'utf8').split('\n')[0]!.split(',').slice(5)
    writeFileSync(
      studies,
      [
        ['Study', ...header].join(','),
        ['CheXpert-v1.0/test/patient64741/study1', ...header.map((_, i) => (i % 3 === 0 ? 1 : 0))],
        ['CheXpert-v1.0/test/patient64742/study1', ...header.map((_, i) => (i % 4 === 0 ? 1 : 0))],
      ].join('\n') + '\n',
    )
    const [a, b] = [await store(), await store()]
    const source = readChexpertInWorker({ file: studies })
    // the thread sends its start and ends before the import asks for anything
    await source.outcome()
    const got = await importChexpert(a, { files: [studies], source })
    expect(got).toEqual(await importChexpert(b, { files: [studies], stream: false }))
    expect(got.itemKind).toBe('study')
    expect(await importedRows(a)).toEqual(await importedRows(b))
  })

  it('stops the thread on a re-import, which reads everything first', async () => {
    const a = await store()
    const first = await importChexpert(a, inWorker({ files: [small] }))
    const before = await snapshot(a)
    const source = readChexpertInWorker({ file: small })
    const again = await importChexpert(a, { files: [small], source })
    expect(again).toEqual(first)
    expect(await snapshot(a)).toEqual(before)
    expect(await source.outcome()).toBeNull()
  })

  it('throws the errors of the read-first import, as their classes, and writes nothing', async () => {
    const a = await store()
    const lines = readFileSync(small, 'utf8').split('\n')
    lines[3] = lines[3]!.replace(/,(1\.0|0\.0|-1\.0),/, ',maybe,')
    lines[9000] = lines[9000]!.split(',').slice(0, 5).join(',')
    const bad = join(dir, 'bad.csv')
    writeFileSync(bad, lines.join('\n'))
    const header = join(dir, 'header-only.csv')
    writeFileSync(header, lines[0] + '\n')
    for (const o of [
      { files: [bad] },
      { files: [join(dir, 'nope.csv')] },
      { files: [header] },
      { files: [small], images: [join(dir, 'no-folder')] },
    ]) {
      const expected = await importChexpert(a, { ...o, stream: false }).catch((e: unknown) => e)
      const before = await snapshot(a)
      const got = await importChexpert(a, inWorker(o)).catch((e: unknown) => e)
      expect(expected).toBeInstanceOf(Error)
      expect(got).toBeInstanceOf((expected as Error).constructor)
      expect((got as Error).message).toBe((expected as Error).message)
      if (got instanceof BadRowsError) expect(got.errors).toEqual((expected as BadRowsError).errors)
      expect(await snapshot(a)).toEqual(before)
    }
    const malformed = await importChexpert(a, inWorker({ files: [bad] })).catch((e: unknown) => e)
    expect(malformed).toBeInstanceOf(BadRowsError)
    expect((malformed as BadRowsError).errors.map((e) => e.line)).toEqual([4, 9001])
  })
})
