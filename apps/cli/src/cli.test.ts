import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sharedData } from '../../../test-support/shared-data.ts'
import { DIALECTS, tempDatabase } from '../../../test-support/temp-store.ts'
import { runCli } from './run-cli.ts'

const METADATA = sharedData('cxr14/Data_Entry_2017_v2020.csv.gz')
const BBOX = sharedData('cxr14/BBox_List_2017.csv.gz')
const IMAGES = sharedData('cxr14/images')

describe.each(DIALECTS)('cxr-audit CLI (the real binary, %s)', (kind) => {
  let dir: string
  let db: string
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cxr-audit-cli-'))
    db = await tempDatabase(kind, dir, 'cli.sqlite')
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('import cxr14 --json prints the summary document and exits 0', () => {
    const r = runCli([
      'import',
      'cxr14',
      '--metadata',
      METADATA,
      '--bbox',
      BBOX,
      '--images',
      IMAGES,
      '--db',
      db,
      '--json',
    ])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const out = r.json() as Record<string, unknown>
    expect(out).toMatchObject({
      dataset: 'ChestX-ray14',
      images: 112120,
      patients: 30805,
      noFinding: 60361,
      imagesOnDisk: 216,
      bboxes: 984,
    })
    expect(Object.keys(out)).toEqual(
      expect.arrayContaining([
        'dataset',
        'images',
        'patients',
        'findings',
        'noFinding',
        'imagesOnDisk',
        'bboxes',
        'problems',
      ]),
    )
    expect((out['findings'] as Record<string, number>)['Hernia']).toBe(227)
    for (const p of out['problems'] as Record<string, unknown>[])
      expect(Object.keys(p)).toEqual(expect.arrayContaining(['kind', 'count', 'examples']))
  })

  it('derive --json prints name, from and positives', () => {
    const r = runCli([
      'derive',
      'Opacity',
      '--from',
      'Atelectasis,Pneumonia,Consolidation,Infiltration',
      '--db',
      db,
      '--json',
    ])
    expect(r.code).toBe(0)
    expect(r.json()).toEqual({
      name: 'Opacity',
      from: ['Atelectasis', 'Pneumonia', 'Consolidation', 'Infiltration'],
      positives: 31316,
    })
  })

  it('check --json reports prevalence, co-occurrence, problems, leakage and cohort', () => {
    const r = runCli(['check', '--db', db, '--json'])
    expect(r.code).toBe(0)
    const out = r.json() as {
      prevalence: { finding: string; positives: number }[]
      cooccurrence: { counts: number[][] }
      problems: { kind: string }[]
    }
    expect(out).toMatchObject({
      dataset: 'ChestX-ray14',
      images: 112120,
      patients: 30805,
      imagesOnDisk: 216,
    })
    expect(out.prevalence.find((p) => p.finding === 'Opacity')?.positives).toBe(31316)
    // the 14 findings and No Finding, a labelled finding of its own [X6]
    expect(out.cooccurrence.counts).toHaveLength(15)
    expect(out.prevalence.find((p) => p.finding === 'No Finding')?.positives).toBe(60361)
    expect(out.problems.map((p) => p.kind)).toContain('missing-on-disk')
  })

  it('check prints a readable table without --json', () => {
    const r = runCli(['check', '--db', db])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/Dataset "ChestX-ray14": 112120 images, 30805 patients, 216 on disk/)
    expect(r.stdout).toMatch(/Opacity \(derived\)\s+31316\s+27\.93%/)
  })

  it('exits 2 with file, line and column on a malformed row, and one JSON error document', async () => {
    const file = join(dir, 'bad.csv')
    writeFileSync(
      file,
      'Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,Patient Gender,View Position,OriginalImage[Width,Height],OriginalImagePixelSpacing[x,y]\na.png,Mass,0,1,abc,M,PA,1,1,0.1,0.1\n',
    )
    const r = runCli([
      'import',
      'cxr14',
      '--metadata',
      file,
      '--db',
      await tempDatabase(kind, dir, 'other.sqlite'),
      '--json',
    ])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`${file}:2, column Patient Age: age "abc" is not a number`)
    expect(r.json()).toMatchObject({
      error: { kind: 'bad-rows', rows: [{ file, line: 2, column: 'Patient Age' }] },
    })
  })

  it('exits 2 on usage errors and unknown datasets', () => {
    expect(runCli(['import', 'cxr14', '--db', db]).code).toBe(2)
    const r = runCli(['check', '--dataset', 'nope', '--db', db])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('no dataset named "nope"')
  })
})
