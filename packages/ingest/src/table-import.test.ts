import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseValueMap } from '@cxr-audit/core'
import { findDataset, type Store } from '@cxr-audit/store'
import { sharedData } from '../../../test-support/shared-data.ts'
import { BadRowsError } from './cxr14-read.ts'
import { importTable, tableDatasetName } from './table-import.ts'
import { DIALECTS, snapshot, tempStore } from './test-helpers.ts'

// a real wide CSV: Google's expert labels of CXR14 images (YES/NO), CRLF line endings
const GOOGLE = sharedData('expert/google-four-findings/validation_labels.csv')
// made by pandas: scripts/golden/table_counts.py
const GOLDEN = JSON.parse(
  readFileSync(new URL('./golden/google-table-counts.json', import.meta.url), 'utf8'),
) as Record<string, unknown>

describe('import table values [DS11]', () => {
  it('[DS11] --value spells a cell: present, absent, uncertain, blank', () => {
    expect(parseValueMap('Y=present')).toEqual({ text: 'Y', verdict: 'present' })
    expect(parseValueMap('n/a=blank')).toEqual({ text: 'n/a', verdict: 'blank' })
    expect(parseValueMap('Y=maybe')).toBeUndefined()
    expect(tableDatasetName('/x/labels.csv.gz')).toBe('labels')
  })
})

describe.each(DIALECTS)('import table (%s)', (kind) => {
  let t: Awaited<ReturnType<typeof tempStore>>
  let store: Store
  beforeAll(async () => {
    t = await tempStore(kind)
    store = t.store
  })
  afterAll(() => t.cleanup())

  it('[DS11] a real wide CSV: the label columns found by their cells, counts as pandas reads them', async () => {
    const s = await importTable(store, {
      file: GOOGLE,
      idColumn: 'Image Index',
      patientColumn: 'Patient ID',
      viewColumn: 'View Position',
      splitColumn: 'Set Id',
      sexColumn: 'Patient Gender',
      ageColumn: 'Patient Age',
    })
    expect(s).toMatchObject({
      dataset: 'validation_labels',
      images: GOLDEN['images'],
      patients: GOLDEN['patients'],
      findings: GOLDEN['findings'],
      negative: GOLDEN['negative'],
      views: GOLDEN['views'],
      splits: GOLDEN['splits'],
      skippedRows: 0,
    })
    // Follow-up # holds 0, 1, 2...: not a label column
    expect(s.ignoredColumns).toContain('Follow-up #')
    expect((await findDataset(store.db, 'validation_labels')).sourceFormat).toBe('table')
    const before = await snapshot(store)
    await importTable(store, {
      file: GOOGLE,
      idColumn: 'Image Index',
      patientColumn: 'Patient ID',
      viewColumn: 'View Position',
      splitColumn: 'Set Id',
      sexColumn: 'Patient Gender',
      ageColumn: 'Patient Age',
    })
    expect(await snapshot(store)).toEqual(before)
  })

  it('[DS11] --map picks and renames columns (not: negates), --value spells cells', async () => {
    const s = await importTable(store, {
      file: GOOGLE,
      idColumn: 'Image Index',
      map: [
        { column: 'Nodule or mass', finding: 'Nodule/Mass' },
        { column: 'Fracture', finding: 'Intact bones', negated: true },
      ],
      values: [{ text: 'NO', verdict: 'blank' }],
      name: 'mapped',
    })
    const g = GOLDEN['findings'] as Record<string, number>
    expect(s).toMatchObject({
      mapped: { 'Nodule or mass': 'Nodule/Mass', Fracture: 'Intact bones' },
      findings: { 'Nodule/Mass': g['Nodule or mass'], 'Intact bones': 0 },
      negative: { 'Nodule/Mass': 0, 'Intact bones': g['Fracture'] },
      notMentioned: { 'Nodule/Mass': (GOLDEN['images'] as number) - g['Nodule or mass']! },
    })
  })

  it('[DS6] a bad cell of a mapped column, a missing column: file, line, column; nothing changes', async () => {
    const file = join(t.dir, 'bad.csv')
    writeFileSync(file, 'id,Effusion,Age\na.png,1,50\nb.png,maybe,60\na.png,0,50\n')
    const before = await snapshot(store)
    const e = await importTable(store, {
      file,
      idColumn: 'id',
      map: [{ column: 'Effusion', finding: 'Effusion' }],
    }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(BadRowsError)
    expect((e as BadRowsError).errors).toEqual([
      { file, line: 3, column: 'Effusion', message: expect.stringContaining('"maybe"') },
    ])
    await expect(importTable(store, { file, idColumn: 'Image' })).rejects.toThrow(
      /bad\.csv: no column "Image" for --id-column/,
    )
    expect(await snapshot(store)).toEqual(before)
    const s = await importTable(store, {
      file,
      idColumn: 'id',
      map: [{ column: 'Effusion', finding: 'Effusion' }],
      skipBadRows: true,
    })
    expect(s).toMatchObject({ images: 1, skippedRows: 1, findings: { Effusion: 1 } })
    expect(s.problems.map((p) => p.kind)).toEqual([
      'skipped-row',
      'duplicate-image',
      'ignored-column',
    ])
  })
})
