import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parsePythonList } from '@cxr-audit/core'
import { findDataset, listFindings, type Store } from '@cxr-audit/store'
import { countRows } from '@cxr-audit/store/testing'
import { sharedData } from '../../../test-support/shared-data.ts'
import { BadRowsError } from './cxr14-read.ts'
import { importPadchest } from './padchest-import.ts'
import { DIALECTS, snapshot, tempStore } from './test-helpers.ts'

const NOTES = sharedData('formats/PADCHEST_layout_notes.txt')
// a sample in the published layout and its counts by pandas: scripts/golden/padchest_fixture.py
const FIXTURE = fileURLToPath(new URL('./golden/padchest/', import.meta.url))
const SAMPLE = join(FIXTURE, 'padchest-sample.csv')
const GOLDEN = JSON.parse(readFileSync(join(FIXTURE, 'counts.json'), 'utf8')) as Record<
  string,
  unknown
>

/** The header and the one real row of PadChest, as the layout notes in ../shared/data give them. */
function realLines(): [string, string] {
  const lines = readFileSync(NOTES, 'utf8').split('\n')
  const header = lines.find((l) => l.startsWith(',ImageID,'))
  const row = lines.find((l) =>
    l.startsWith('1,135803415504923515076821959678074435083_fzis7d.png'),
  )
  if (header === undefined || row === undefined) throw new Error(`${NOTES}: no header or row`)
  return [header, row]
}

describe('PadChest labels [DS9]', () => {
  it('[DS9] reads Python-list strings: quotes, spaces, empty lists; refuses other text', () => {
    expect(parsePythonList("['pleural effusion', ' normal']")).toEqual([
      'pleural effusion',
      ' normal',
    ])
    expect(parsePythonList('[]')).toEqual([])
    expect(parsePythonList(`["it's", 'b']`)).toEqual(["it's", 'b'])
    expect(parsePythonList('normal')).toBeUndefined()
    expect(parsePythonList("['a' 'b']")).toBeUndefined()
  })
})

describe.each(DIALECTS)('PadChest import (%s)', (kind) => {
  let t: Awaited<ReturnType<typeof tempStore>>
  let store: Store
  beforeAll(async () => {
    t = await tempStore(kind)
    store = t.store
  })
  afterAll(() => t.cleanup())

  it('[DS9] the real row: unnamed index column, list-string labels, age, sex, lateral view', async () => {
    const [header, row] = realLines()
    const file = join(t.dir, 'real.csv')
    writeFileSync(file, `${header}\n${row}\n`)
    const s = await importPadchest(store, { files: [file], name: 'real' })
    expect(s).toMatchObject({
      dataset: 'real',
      images: 1,
      patients: 1,
      studies: 1,
      views: { LATERAL: 1 },
      methods: { Physician: 1 },
      readers: [],
      findings: {
        'chronic changes': 1,
        'ground glass pattern': 1,
        kyphosis: 1,
        pseudonodule: 1,
        'pulmonary fibrosis': 1,
      },
      skippedRows: 0,
      problems: [],
    })
    const ds = await findDataset(store.db, 'real')
    expect(ds.sourceFormat).toBe('padchest')
  })

  it('[DS9] the sample: counts as pandas reads them; both methods become readers of the films both labelled; re-import changes nothing', async () => {
    const s = await importPadchest(store, { files: [SAMPLE] })
    expect(s).toMatchObject({
      dataset: 'PadChest',
      images: GOLDEN['images'],
      patients: GOLDEN['patients'],
      studies: GOLDEN['studies'],
      findings: GOLDEN['findings'],
      methods: GOLDEN['methods'],
      bothLabelled: GOLDEN['bothLabelled'],
      views: GOLDEN['views'],
      readers: ['PadChest:Physician', 'PadChest:RNN_model'],
    })
    const findings = Object.keys(GOLDEN['findings'] as object).length
    expect(s.reads).toBe((GOLDEN['bothLabelled'] as number) * 2 * findings)
    expect(await countRows(store.db, 'verdict_event')).toBe(s.reads)
    const ds = await findDataset(store.db, 'PadChest')
    expect(await listFindings(store.db, ds.id)).toHaveLength(findings)
    const before = await snapshot(store)
    await importPadchest(store, { files: [SAMPLE] })
    expect(await snapshot(store)).toEqual(before)
  })

  it('[DS6] a bad label list stops the import with file, line and column; rows without labels and duplicates are listed', async () => {
    const [header] = realLines()
    const cols = header.split(',').length
    const row = (i: number, labels: string, method = 'Physician'): string => {
      const cells = Array<string>(cols).fill('None')
      cells[0] = String(i)
      cells[1] = `img${i}.png`
      cells[4] = `s${i}`
      cells[5] = `p${i}`
      cells[30] = method
      cells[31] = labels
      return cells.join(',')
    }
    const bad = join(t.dir, 'bad.csv')
    writeFileSync(bad, [header, row(1, '"[\'normal\']"'), row(2, 'normal')].join('\n') + '\n')
    const before = await snapshot(store)
    const e = await importPadchest(store, { files: [bad] }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(BadRowsError)
    expect((e as BadRowsError).errors).toEqual([
      { file: bad, line: 3, column: 'Labels', message: expect.stringContaining('"normal"') },
    ])
    expect(await snapshot(store)).toEqual(before)
    const quirks = join(t.dir, 'quirks.csv')
    writeFileSync(
      quirks,
      [header, row(1, '"[\'normal\']"'), row(1, '"[\'normal\']"'), row(2, ''), row(3, '[]')].join(
        '\n',
      ) + '\n',
    )
    const s = await importPadchest(store, { files: [quirks], name: 'quirks' })
    expect(s.images).toBe(2)
    expect(Object.fromEntries(s.problems.map((p) => [p.kind, p.count]))).toEqual({
      'duplicate-image': 1,
      'unlabelled-row': 1,
    })
  })
})
