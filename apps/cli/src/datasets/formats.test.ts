import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import sharp from 'sharp'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sharedData } from '../../../../test-support/shared-data.ts'
import { DIALECTS, tempDatabase } from '../../../../test-support/temp-store.ts'
import { runCli } from '../run-cli.ts'

// the samples made in the published layouts by scripts/golden/*_fixture.py, and a real wide CSV
const GOLDEN = fileURLToPath(new URL('../../../../packages/ingest/src/golden/', import.meta.url))
const GOOGLE = sharedData('expert/google-four-findings/validation_labels.csv')
const PNGS = sharedData('cxr14/images')

let film: Buffer | undefined
/** A real film (a CXR14 image made small through sharp) at each of the paths under root. */
async function filmsOnDisk(root: string, paths: readonly string[]): Promise<string> {
  film ??= await sharp(join(PNGS, readdirSync(PNGS).sort()[0]!))
    .resize(64, 64)
    .png()
    .toBuffer()
  for (const p of paths) {
    mkdirSync(dirname(join(root, p)), { recursive: true })
    writeFileSync(join(root, p), film)
  }
  return root
}

/** Runs the binary on one database and returns its JSON; fails with its stderr. */
function cli(db: string) {
  return (...args: string[]): Record<string, unknown> => {
    const r = runCli([...args, '--db', db, '--json'])
    if (r.code !== 0) throw new Error(`${args.join(' ')} exited ${r.code}: ${r.stderr}`)
    return r.json() as Record<string, unknown>
  }
}

/** `audit create`, `export labels`, `report` and an `eval` of a made-up model: the main commands. */
function mainCommands(
  run: ReturnType<typeof cli>,
  dir: string,
  o: { dataset: string; finding: string; reader: string; ids: string[]; idColumn: string },
): void {
  const check = run('check')
  expect(check).toMatchObject({ dataset: o.dataset })
  const audit = run(
    'audit',
    'create',
    '--name',
    `${o.dataset} audit`,
    '--finding',
    o.finding,
    '--positives',
    '2',
    '--negatives',
    '2',
    '--seed',
    '1',
  )
  expect((audit['audit'] as { items: number }).items).toBeGreaterThan(0)
  const stats = run('stats', 'labels', '--reader', o.reader, '--finding', o.finding)
  expect((stats['findings'] as { finding: string; judged: number }[])[0]).toMatchObject({
    finding: o.finding,
  })
  const out = join(dir, `${o.dataset}-long.csv`)
  const ex = run('export', 'labels', '--reader', o.reader, '--format', 'long', '--out', out)
  expect(ex['rows']).toBeGreaterThan(0)
  const preds = join(dir, `${o.dataset}-preds.csv`)
  const col = o.finding.includes(',') ? `"${o.finding}"` : o.finding
  writeFileSync(
    preds,
    [`${o.idColumn},${col}`, ...o.ids.map((id, i) => `${id},${((i * 37) % 100) / 100}`)].join(
      '\n',
    ) + '\n',
  )
  const p = run(
    'import',
    'predictions',
    '--file',
    preds,
    '--model',
    `${o.dataset}-m`,
    '--id-column',
    o.idColumn,
  )
  expect(p).toMatchObject({ images: o.ids.length })
  const ev = run('eval', '--model', `${o.dataset}-m`)
  expect(ev).toMatchObject({ dataset: o.dataset })
  const html = join(dir, `${o.dataset}.html`)
  run('report', '--reader', o.reader, '--out', html, '--no-thumbnails')
  expect(readFileSync(html, 'utf8')).toContain(o.dataset)
}

describe.each(DIALECTS)('every command on the new formats (the real binary, %s)', (kind) => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cxr-audit-formats-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('[DS8] MIMIC-CXR-JPG: import mimic, a reader by study_id, then the main commands', async () => {
    const run = cli(await tempDatabase(kind, dir, 'mimic.sqlite'))
    const m = join(GOLDEN, 'mimic')
    const meta = readFileSync(join(m, 'mimic-cxr-2.0.0-metadata.csv'), 'utf8').trim().split('\n')
    const films = meta.slice(1).map((l) => l.split(','))
    const paths = films.map((f) => `files/p${f[1]!.slice(0, 2)}/p${f[1]}/s${f[2]}/${f[0]}.jpg`)
    const images = await filmsOnDisk(join(dir, 'mimic-cxr-jpg'), paths)
    const s = run(
      'import',
      'mimic',
      '--metadata',
      join(m, 'mimic-cxr-2.0.0-metadata.csv'),
      '--labels',
      join(m, 'mimic-cxr-2.0.0-chexpert.csv'),
      '--split',
      join(m, 'mimic-cxr-2.0.0-split.csv'),
      '--images',
      images,
    )
    const counts = JSON.parse(readFileSync(join(m, 'counts.json'), 'utf8')) as Record<
      string,
      unknown
    >
    expect(s).toMatchObject({
      dataset: 'MIMIC-CXR',
      images: counts['images'],
      studies: counts['studies'],
      patients: counts['patients'],
      findings: counts['findings'],
      uncertain: counts['uncertain'],
    })
    const studies = [...new Set(films.map((f) => f[2]!))]
    const reader = join(dir, 'mimic-rad.csv')
    writeFileSync(
      reader,
      ['study_id,Cardiomegaly', ...studies.map((s, i) => `${s},${i % 3 === 0 ? 1 : 0}`)].join('\n'),
    )
    const r = run(
      'import',
      'labels',
      '--file',
      reader,
      '--reader',
      'rad',
      '--dataset',
      'MIMIC-CXR',
      '--id-column',
      'study_id',
    )
    expect(r).toMatchObject({ images: counts['images'], unknownImages: 0 })
    mainCommands(run, dir, {
      dataset: 'MIMIC-CXR',
      finding: 'Cardiomegaly',
      reader: 'rad',
      idColumn: 'Path',
      ids: films.map((f) => `files/p${f[1]!.slice(0, 2)}/p${f[1]}/s${f[2]}/${f[0]}.jpg`),
    })
  })

  it('[DS9] PadChest: import padchest, the RNN against the physicians, then the main commands', async () => {
    const run = cli(await tempDatabase(kind, dir, 'padchest.sqlite'))
    const file = join(GOLDEN, 'padchest', 'padchest-sample.csv')
    const rows = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','))
    const images = await filmsOnDisk(
      join(dir, 'padchest'),
      rows.map((r) => `${r[2]}/${r[1]}`),
    )
    const s = run('import', 'padchest', '--file', file, '--images', images)
    expect(s).toMatchObject({
      dataset: 'PadChest',
      readers: ['PadChest:Physician', 'PadChest:RNN_model'],
    })
    const agreement = run(
      'stats',
      'agreement',
      '--readers',
      'PadChest:Physician,PadChest:RNN_model',
      '--finding',
      'normal',
    )
    expect(JSON.stringify(agreement)).toContain('normal')
    const ids = rows.map((r) => r[1]!)
    mainCommands(run, dir, {
      dataset: 'PadChest',
      finding: 'normal',
      reader: 'PadChest:Physician',
      idColumn: 'ImageID',
      ids: [...new Set(ids)],
    })
  })

  it('[DS10] VinDr-CXR: import vindr, agreement of the radiologists, then the main commands', async () => {
    const run = cli(await tempDatabase(kind, dir, 'vindr.sqlite'))
    // three radiologists read each of 12 films
    const rows = ['image_id,class_name,class_id,rad_id,x_min,y_min,x_max,y_max']
    const ids: string[] = []
    for (let i = 0; i < 12; i++) {
      const id = `film${String(i).padStart(2, '0')}`
      ids.push(id)
      for (const rad of ['R1', 'R2', 'R3']) {
        if ((i + rad.length * Number(rad[1])) % 3 === 0) rows.push(`${id},No finding,14,${rad},,,,`)
        else rows.push(`${id},Cardiomegaly,3,${rad},10,20,${100 + i},${200 + i}`)
      }
    }
    const file = join(dir, 'annotations_train.csv')
    writeFileSync(file, rows.join('\n') + '\n')
    const images = await filmsOnDisk(
      join(dir, 'vindr'),
      ids.map((id) => `train/${id}.png`),
    )
    const s = run('import', 'vindr', '--file', file, '--reader-prefix', 'V', '--images', images)
    expect(s).toMatchObject({
      dataset: 'VinDr-CXR',
      images: 12,
      readers: ['V:R1', 'V:R2', 'V:R3'],
      reads: 36,
    })
    const agreement = run(
      'stats',
      'agreement',
      '--readers',
      'V:R1,V:R2,V:R3',
      '--finding',
      'Cardiomegaly',
    )
    expect(JSON.stringify(agreement)).toContain('Cardiomegaly')
    mainCommands(run, dir, {
      dataset: 'VinDr-CXR',
      finding: 'Cardiomegaly',
      reader: 'V:R1',
      idColumn: 'image_id',
      ids,
    })
  })

  it('[DS11] any table: import table on a real wide CSV, a reader, then the main commands', async () => {
    const run = cli(await tempDatabase(kind, dir, 'table.sqlite'))
    const lines = readFileSync(GOOGLE, 'utf8').trim().split(/\r?\n/).slice(1)
    const ids = lines.map((l) => l.split(',')[0]!)
    const images = await filmsOnDisk(join(dir, 'table'), ids)
    const s = run(
      'import',
      'table',
      '--file',
      GOOGLE,
      '--id-column',
      'Image Index',
      '--patient-column',
      'Patient ID',
      '--view-column',
      'View Position',
      '--map',
      'Fracture=Fracture',
      '--map',
      'Airspace opacity=Airspace opacity',
      '--value',
      'YES=present',
      '--name',
      'google',
      '--images',
      images,
    )
    expect(s).toMatchObject({ dataset: 'google', images: 2414, patients: 835 })
    const reader = join(dir, 'table-rad.csv')
    writeFileSync(
      reader,
      ['Image Index,Fracture', ...ids.map((id, i) => `${id},${i % 5 === 0 ? 'YES' : 'NO'}`)].join(
        '\n',
      ),
    )
    run('import', 'labels', '--file', reader, '--reader', 'rad', '--dataset', 'google')
    mainCommands(run, dir, {
      dataset: 'google',
      finding: 'Fracture',
      reader: 'rad',
      idColumn: 'Image Index',
      ids,
    })
    expect(existsSync(join(dir, 'google.html'))).toBe(true)
    const bad = runCli([
      'import',
      'table',
      '--file',
      GOOGLE,
      '--id-column',
      'Image Index',
      '--value',
      'Y=maybe',
      '--db',
      join(dir, 'x.sqlite'),
      '--json',
    ])
    expect(bad.code).toBe(2)
  })
})
