import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Store } from '@cxr-audit/store'
import { countRows, tableRows } from '@cxr-audit/store/testing'
import { BadRowsError } from './cxr14-read.ts'
import { DIALECTS, snapshot, tempStore } from './test-helpers.ts'
import { importVindr } from './vindr-import.ts'

// a sample in the published layout and its counts by pandas: scripts/golden/vindr_fixture.py
const FIXTURE = fileURLToPath(new URL('./golden/vindr/', import.meta.url))
const SAMPLE = join(FIXTURE, 'annotations_train.csv')
const GOLDEN = JSON.parse(readFileSync(join(FIXTURE, 'counts.json'), 'utf8')) as Record<
  string,
  unknown
>
const HEAD = 'image_id,class_name,class_id,rad_id,x_min,y_min,x_max,y_max'

describe.each(DIALECTS)('VinDr-CXR import (%s)', (kind) => {
  let t: Awaited<ReturnType<typeof tempStore>>
  let store: Store
  beforeAll(async () => {
    t = await tempStore(kind)
    store = t.store
  })
  afterAll(() => t.cleanup())

  it("[DS10] the issue's rows: a box, a No finding row without one; readers P:R<n> with their boxes", async () => {
    const file = join(t.dir, 'two.csv')
    writeFileSync(
      file,
      `${HEAD}\n9a5094b2563a1ef3ff50dc5c7ff71345,Cardiomegaly,3,R10,691.0,1375.0,1653.0,1831.0\n` +
        '063319de25ce7edb9b1c6b8881290140,No finding,14,R10,,,,\n' +
        '9a5094b2563a1ef3ff50dc5c7ff71345,No finding,14,R8,,,,\n',
    )
    const s = await importVindr(store, { file, name: 'two', readerPrefix: 'P' })
    expect(s).toMatchObject({
      dataset: 'two',
      images: 2,
      readers: ['P:R10', 'P:R8'],
      reads: 3,
      // one reader of two marked Cardiomegaly: a tie
      findings: { Cardiomegaly: 0, 'No finding': 1 },
      uncertain: { Cardiomegaly: 1, 'No finding': 1 },
      boxes: 1,
      verdicts: 6,
      problems: [],
    })
    const boxes = await tableRows(store.db, 'reader_box')
    expect(boxes).toHaveLength(1)
    expect(boxes[0]).toMatchObject({ x: 691, y: 1375, w: 962, h: 456 })
  })

  it('[DS10] the sample: majorities, ties, reads and boxes as pandas counts them; re-import changes nothing', async () => {
    const s = await importVindr(store, { file: SAMPLE })
    expect(s).toMatchObject({ dataset: 'VinDr-CXR', layout: 'boxes', skippedRows: 0, ...GOLDEN })
    const classes = Object.keys(GOLDEN['findings'] as object).length
    expect(s.verdicts).toBe((GOLDEN['reads'] as number) * classes)
    const before = await snapshot(store)
    const again = await importVindr(store, { file: SAMPLE })
    expect(again.findings).toEqual(s.findings)
    expect(await snapshot(store)).toEqual(before)
  })

  it('[DS10] the film-level table: image_id,rad_id, then 0/1 per finding', async () => {
    const file = join(t.dir, 'labels.csv')
    writeFileSync(
      file,
      'image_id,rad_id,Cardiomegaly,Pneumonia,No finding\na,R1,1,0,0\na,R2,1,1,0\na,R3,0,0,1\nb,R1,0,0,1\n',
    )
    const s = await importVindr(store, { file, name: 'table' })
    expect(s).toMatchObject({
      layout: 'labels',
      images: 2,
      reads: 4,
      boxes: 0,
      findings: { Cardiomegaly: 1, Pneumonia: 0, 'No finding': 1 },
    })
  })

  it('[DS6] a class row without a box, a box on No finding, a bad number: file, line, column; nothing changes', async () => {
    const file = join(t.dir, 'bad.csv')
    writeFileSync(
      file,
      `${HEAD}\na,Cardiomegaly,3,R1,,,,\nb,No finding,14,R1,1,2,3,4\nc,Cardiomegaly,3,R1,1,2,x,4\nd,Cardiomegaly,4,R1,1,2,3,4\n`,
    )
    const rows = await countRows(store.db, 'verdict_event')
    const before = await snapshot(store)
    const e = await importVindr(store, { file }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(BadRowsError)
    expect((e as BadRowsError).errors.map((x) => [x.line, x.column])).toEqual([
      [2, 'x_min'],
      [3, 'x_min'],
      [4, 'x_max'],
    ])
    expect(await snapshot(store)).toEqual(before)
    expect(await countRows(store.db, 'verdict_event')).toBe(rows)
  })

  it('[DS6] unknown classes, duplicate rows and No finding beside a finding are listed', async () => {
    const file = join(t.dir, 'quirks.csv')
    writeFileSync(
      file,
      `${HEAD}\na,Alien,20,R1,1,2,3,4\na,Alien,20,R1,1,2,3,4\nb,No finding,14,R2,,,,\nb,Cardiomegaly,3,R2,1,2,3,4\n`,
    )
    const s = await importVindr(store, { file, name: 'quirks' })
    expect(Object.fromEntries(s.problems.map((p) => [p.kind, p.examples]))).toEqual({
      'duplicate-row': ['a (line 3)'],
      'unknown-class': ['Alien'],
      'no-finding-and-finding': ['b (R2)'],
    })
  })
})
