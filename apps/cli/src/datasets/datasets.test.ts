import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sharedData } from '../../../../test-support/shared-data.ts'
import { DIALECTS, tempDatabase } from '../../../../test-support/temp-store.ts'
import { runCli } from '../run-cli.ts'

const VALID = sharedData('chexpert/valid.csv')
const PNGS = sharedData('cxr14/images')
const FILMS_ON_DISK = 12

interface Row {
  path: string
  cells: Record<string, string>
}

/** valid.csv as rows of named cells (its paths hold no commas or quotes). */
function validRows(): { header: string[]; rows: Row[] } {
  const [head, ...lines] = readFileSync(VALID, 'utf8').trim().split('\n')
  const header = head!.split(',')
  return {
    header,
    rows: lines.map((l) => {
      const f = l.split(',')
      return { path: f[0]!, cells: Object.fromEntries(header.map((h, i) => [h, f[i]!])) }
    }),
  }
}

describe.each(DIALECTS)('every command on a CheXpert dataset (the real binary, %s)', (kind) => {
  let dir: string
  let db: string
  const run = (...args: string[]) => {
    const r = runCli([...args, '--db', db, '--json'])
    if (r.code !== 0) throw new Error(`${args.join(' ')} exited ${r.code}: ${r.stderr}`)
    return r.json() as Record<string, unknown>
  }
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cxr-audit-chexpert-'))
    db = await tempDatabase(kind, dir, 'chexpert.sqlite')
    // real JPEG films at CheXpert's paths, made from real CXR14 images through sharp
    const { rows } = validRows()
    const pngs = readdirSync(PNGS).sort()
    for (let i = 0; i < FILMS_ON_DISK; i++) {
      const file = join(dir, 'images', rows[i]!.path.replace(/^CheXpert-v1\.0-small\//, ''))
      mkdirSync(dirname(file), { recursive: true })
      await sharp(join(PNGS, pngs[i]!)).resize(320, 320).jpeg().toFile(file)
    }
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('[DS1] import chexpert --json: images, patients, studies, findings, uncertain', () => {
    const out = run('import', 'chexpert', '--file', VALID, '--images', join(dir, 'images'))
    expect(out).toMatchObject({
      dataset: 'CheXpert',
      images: 234,
      patients: 200,
      studies: 200,
      imagesOnDisk: FILMS_ON_DISK,
      splits: { valid: 234 },
    })
    expect((out['findings'] as Record<string, number>)['Pleural Effusion']).toBe(67)
    expect((out['uncertain'] as Record<string, number>)['Pleural Effusion']).toBe(0)
  })

  it('[DS5] findings same: the built-in pair is known, a new pair is declared and listed', () => {
    const builtIn = run('findings', 'same', 'CheXpert:Pleural Effusion', 'ChestX-ray14:Effusion')
    expect(builtIn['declared']).toMatchObject({ new: false })
    const mine = run('findings', 'same', 'Hospital:Fluid', 'CheXpert:Pleural Effusion')
    expect(mine['declared']).toMatchObject({
      a: { dataset: 'Hospital', finding: 'Fluid' },
      new: true,
    })
    const list = run('findings', 'same')['same'] as { source: string }[]
    expect(list.filter((p) => p.source === 'declared')).toHaveLength(1)
    const bad = runCli(['findings', 'same', 'Effusion', 'CheXpert:X', '--db', db, '--json'])
    expect(bad.code).toBe(2)
  })

  it('[DS3] import labels: two readers keyed by study, columns reordered, other prefix', () => {
    const { header, rows } = validRows()
    const obs = header.slice(5)
    // Lung Lesion before Lung Opacity, as the published reader files have it
    const order = obs.filter((o) => o !== 'Lung Opacity')
    order.splice(order.indexOf('Lung Lesion') + 1, 0, 'Lung Opacity')
    for (const [reader, flipEvery] of [
      ['bc1', 3],
      ['bc2', 5],
    ] as const) {
      const seen = new Set<string>()
      const lines = [['Study', ...order].join(',')]
      rows.forEach((r, i) => {
        const study = `CheXpert-v1.0/valid/${r.path.split('/').slice(2, 4).join('/')}`
        if (seen.has(study)) return
        seen.add(study)
        lines.push(
          [
            study,
            ...order.map((o) => {
              const v = Number(r.cells[o])
              return String(o === 'Cardiomegaly' && i % flipEvery === 0 ? 1 - v : v)
            }),
          ].join(','),
        )
      })
      const file = join(dir, `${reader}.csv`)
      writeFileSync(file, lines.join('\n') + '\n')
      const out = run(
        'import',
        'labels',
        '--file',
        file,
        '--reader',
        reader,
        '--dataset',
        'CheXpert',
      )
      expect(out).toMatchObject({ readers: [reader], images: 234, unknownImages: 0 })
      expect(out['verdicts']).toBe(234 * 14)
    }
  })

  it('[DS2] stats labels states labelled negatives as negative mentions and not mentioned', () => {
    const out = run('stats', 'labels', '--reader', 'bc1', '--finding', 'Cardiomegaly')
    const [f] = out['findings'] as Record<string, number | null>[]
    expect(f).toMatchObject({
      finding: 'Cardiomegaly',
      judged: 234,
      labelledPositive: 68,
      labelledNegative: 166,
      labelledUncertain: 0,
      // valid.csv states every negative (0.0)
      labelledNegativeMention: 166,
      labelledNotMentioned: 0,
      // Wang et al.'s precision is of the CXR14 labels
      publishedPrecision: null,
    })
  })

  it('stats agreement between the two readers', () => {
    const out = run('stats', 'agreement', '--readers', 'bc1,bc2', '--finding', 'Cardiomegaly')
    expect(JSON.stringify(out)).toContain('Cardiomegaly')
  })

  it('[DS4] predictions keyed by path, columns named after another dataset’s findings; eval', () => {
    const { rows } = validRows()
    const lines = ['Path,Effusion,Cardiomegaly']
    rows.forEach((r, i) =>
      lines.push(
        `${r.path.replace('-small', '')},${(Number(r.cells['Pleural Effusion']) * 0.5 + (i % 7) / 10).toFixed(3)},${((i * 37) % 100) / 100}`,
      ),
    )
    const file = join(dir, 'preds.csv')
    writeFileSync(file, lines.join('\n') + '\n')
    const out = run('import', 'predictions', '--file', file, '--model', 'm1')
    expect(out).toMatchObject({
      images: 234,
      columns: { Effusion: 'Pleural Effusion', Cardiomegaly: 'Cardiomegaly' },
    })
    const ev = run('eval', '--model', 'm1')
    expect(ev).toMatchObject({ dataset: 'CheXpert', images: 234 })
    const against = run('eval', '--model', 'm1', '--against', 'bc1', '--by', 'view')
    expect(JSON.stringify(against)).toContain('LATERAL')
  })

  it('[DS22] eval shows no published CXR14 AUC on CheXpert, though finding names match', () => {
    const ev = run('eval', '--model', 'm1')
    const cm = (ev['findings'] as { finding: string; publishedAuc: unknown }[]).find(
      (f) => f.finding === 'Cardiomegaly',
    )
    expect(cm?.publishedAuc).toBeNull()
    const human = runCli(['eval', '--model', 'm1', '--db', db])
    expect(human.code).toBe(0)
    expect(human.stdout).toContain('Cardiomegaly')
    expect(human.stdout).not.toContain('CheXNet')
  })

  it('[DS24] predictions keyed by study score each film of the study; a film scored twice is refused', () => {
    const { rows } = validRows()
    const studies = [...new Set(rows.map((r) => r.path.split('/').slice(2, 4).join('/')))]
    const films = (s: string) => rows.filter((r) => r.path.includes(`/${s}/`)).length
    const lines = ['Study,Cardiomegaly']
    studies.forEach((st, i) => lines.push(`CheXpert-v1.0/valid/${st},${(i % 10) / 10}`))
    const file = join(dir, 'study-preds.csv')
    writeFileSync(file, lines.join('\n') + '\n')
    const out = run('import', 'predictions', '--file', file, '--model', 'by-study')
    // 200 studies of 234 films: each film takes its study's score
    expect(out).toMatchObject({ images: 234, unknownImages: 0, findings: ['Cardiomegaly'] })
    expect(studies.reduce((n, st) => n + films(st), 0)).toBe(234)
    const ev = run('eval', '--model', 'by-study')
    expect(ev).toMatchObject({ images: 234 })
    // the same film by its path and by its study: ambiguous, nothing imported
    const first = rows[0]!
    const both = join(dir, 'both-preds.csv')
    writeFileSync(
      both,
      `Path,Cardiomegaly\n${first.path},0.5\n${first.path.split('/').slice(0, 4).join('/')},0.4\n`,
    )
    const r = runCli(['import', 'predictions', '--file', both, '--model', 'both', '--db', db])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('scored by two rows')
    // nothing was stored: the model name is still free
    writeFileSync(both, `Path,Cardiomegaly\n${first.path},0.5\n`)
    expect(run('import', 'predictions', '--file', both, '--model', 'both')).toMatchObject({
      images: 1,
      replaced: false,
    })
  })

  it('check, audit create, export labels and report', () => {
    const check = run('check')
    expect(check).toMatchObject({ dataset: 'CheXpert', images: 234, imagesOnDisk: FILMS_ON_DISK })
    const audit = run(
      'audit',
      'create',
      '--name',
      'cm',
      '--finding',
      'Cardiomegaly',
      '--positives',
      '2',
      '--negatives',
      '2',
      '--seed',
      '1',
    )
    expect((audit['audit'] as { items: number }).items).toBeGreaterThan(0)
    const out = join(dir, 'long.csv')
    const ex = run('export', 'labels', '--reader', 'bc1', '--format', 'long', '--out', out)
    expect(ex['rows']).toBe(234 * 14)
    expect(readFileSync(out, 'utf8')).toContain('patient64541/study1/view1_frontal.jpg')
    // [DS23] the CXR14 layout cannot hold CheXpert's findings: refused, naming --format long
    const cxr14 = join(dir, 'cxr14.csv')
    const refused = runCli([
      'export',
      'labels',
      '--reader',
      'bc1',
      '--format',
      'cxr14',
      '--out',
      cxr14,
      '--db',
      db,
    ])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('--format long')
    expect(existsSync(cxr14)).toBe(false)
    // without --format a CheXpert dataset is written long
    const dflt = run('export', 'labels', '--reader', 'bc1', '--out', join(dir, 'default.csv'))
    expect(dflt).toMatchObject({ format: 'long', rows: 234 * 14 })
    const html = join(dir, 'report.html')
    run('report', '--reader', 'bc1', '--out', html, '--no-thumbnails')
    expect(existsSync(html)).toBe(true)
    expect(readFileSync(html, 'utf8')).toContain('CheXpert')
  })
})

describe.each(DIALECTS)('import rsna (the real binary, %s)', (kind) => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cxr-audit-rsna-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('[DS7] --json prints the summary; a bad row exits 2 naming file, line and column', async () => {
    const db = await tempDatabase(kind, dir, 'rsna.sqlite')
    const labels = join(dir, 'labels.csv')
    writeFileSync(labels, 'patientId,x,y,width,height,Target\na,,,,,0\nb,1,2,3,4,1\nb,5,6,7,8,1\n')
    const r = runCli(['import', 'rsna', '--labels', labels, '--db', db, '--json'])
    expect(r.code).toBe(0)
    expect(r.json()).toMatchObject({
      dataset: 'RSNA Pneumonia',
      images: 2,
      findings: { 'Lung Opacity': 1 },
      boxes: 2,
    })
    const bad = join(dir, 'bad.csv')
    writeFileSync(bad, 'patientId,x,y,width,height,Target\nc,1,2,3,4,0\n')
    const b = runCli(['import', 'rsna', '--labels', bad, '--db', db, '--json'])
    expect(b.code).toBe(2)
    expect(b.stderr).toContain(`${bad}:2, column x`)
  })
})
