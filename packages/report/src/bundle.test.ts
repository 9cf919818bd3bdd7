import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseCsv } from '@cxr-audit/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reader } from '@cxr-audit/store/testing'
import { DIALECTS, tempStore } from '../../ingest/src/test-helpers.ts'
import { reportFigures, writeBundle } from './bundle.ts'
import { buildReport } from './report-data.ts'
import { buildReportFixture, type ReportFixture } from './report-fixture.ts'
import { verifyBundle } from './verify.ts'

describe.each(DIALECTS)('the re-check bundle (%s)', (kind) => {
  let t: Awaited<ReturnType<typeof tempStore>>
  let fx: ReportFixture
  beforeAll(async () => {
    t = await tempStore(kind)
    fx = await buildReportFixture(t.store, t.dir)
  }, 120_000)
  afterAll(async () => t.cleanup())

  it('[R9] an audit with two readers and a model: every figure recomputed from the files alone; one verdict changed fails naming its figures', async () => {
    const model = await buildReport(t.store, {
      auditId: fx.fourteen,
      models: ['densenet'],
      replicates: 200,
      seed: 5,
    })
    const dir = join(t.dir, 'bundle-fourteen')
    const written = await writeBundle(t.store, dir, model, { auditId: fx.fourteen })
    expect(written.files).toEqual(
      expect.arrayContaining([
        'bundle.json',
        'verdicts.csv',
        'labels.csv',
        'sampling.csv',
        'sampling.json',
        'model-scores.csv',
        'figures.json',
        'methods.txt',
        'report.html',
        'tables/label-accuracy-positives.csv',
      ]),
    )
    const figures = reportFigures(model)
    // accuracy of 14 findings, agreement of 14 with one pair each, densenet against two truths
    expect(Object.keys(figures).filter((k) => k.startsWith('accuracy/'))).toHaveLength(14 * 28)
    expect(figures['agreement/Effusion/pair/dr a/dr b/cohenKappa']).toEqual(expect.any(Number))
    expect(figures['model/densenet/consensus:dr a,dr b/Effusion/auc']).toEqual(expect.any(Number))
    const ok = await verifyBundle(dir)
    expect(ok.differences).toEqual([])
    expect([ok.ok, ok.figures]).toEqual([true, Object.keys(figures).length])

    // the bundle is plain CSV: on an Effusion film where the two readers disagree (a tie:
    // uncertain), dr a now says what dr b said, and the consensus becomes that verdict
    const file = join(dir, 'verdicts.csv')
    const rows = parseCsv(readFileSync(file, 'utf8')).map((r) => r.fields)
    const verdictOf = (who: string, film: string): string | undefined =>
      rows.find((r) => r[0] === who && r[1] === film && r[2] === 'Effusion')?.[3]
    const target = rows.find((r) => {
      const other = verdictOf('dr b', r[1]!)
      return (
        r[0] === 'dr a' &&
        r[2] === 'Effusion' &&
        r[3] !== 'uncertain' &&
        other !== undefined &&
        other !== 'uncertain' &&
        other !== r[3]
      )
    })!
    const flipped = verdictOf('dr b', target[1]!)!
    writeFileSync(
      file,
      rows
        .filter((r) => r.length === 4)
        .map((r) => (r === target ? [r[0], r[1], r[2], flipped] : r).join(','))
        .join('\r\n') + '\r\n',
    )
    const bad = await verifyBundle(dir)
    expect(bad.ok).toBe(false)
    const named = bad.differences.map((d) => d.figure)
    expect(named).toContain('agreement/Effusion/pair/dr a/dr b/cohenKappa')
    expect(named.some((f) => f.startsWith('accuracy/Effusion/'))).toBe(true)
    expect(named.filter((f) => !f.includes('/Effusion/') && !f.startsWith('agreement/'))).toEqual(
      [],
    )
  }, 120_000)

  it('[R9] imported expert labels with thirteen readers: agreement bootstraps recomputed exactly', async () => {
    const model = await buildReport(t.store, {
      reader: reader('google'),
      agreementPrefix: 'gr:',
      replicates: 100,
      thumbnails: false,
    })
    const dir = join(t.dir, 'bundle-google')
    await writeBundle(t.store, dir, model, {})
    const r = await verifyBundle(dir)
    expect(r.differences).toEqual([])
    expect(r.figures).toBeGreaterThan(100)
    const manifest = JSON.parse(readFileSync(join(dir, 'bundle.json'), 'utf8'))
    expect(manifest.inputs.labelImports.map((i: { file: string }) => i.file)).toContain(
      'validation_labels.csv',
    )
    expect(manifest.inputs.datasetFiles[0]).toMatchObject({
      role: 'metadata',
      name: 'metadata-subset.csv',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    })
  }, 120_000)

  it('[R11] report --population: the design and population figures in the bundle, recomputed; a changed inclusion probability fails naming them', async () => {
    const model = await buildReport(t.store, {
      auditId: fx.fourteen,
      population: { seed: 4, replicates: 200 },
      replicates: 50,
      thumbnails: false,
    })
    const pop = model.accuracy.population!
    expect(pop.bootstrap).toMatchObject({ seed: 4, replicates: 200 })
    expect(pop.findings.map((f) => f.finding)).toContain('Effusion')
    expect(model.sample.design).toMatchObject({
      drawnBy: 'random',
      unit: 'patient',
      weights: 'recorded',
    })
    const dir = join(t.dir, 'bundle-population')
    await writeBundle(t.store, dir, model, { auditId: fx.fourteen })
    const manifest = JSON.parse(readFileSync(join(dir, 'bundle.json'), 'utf8'))
    expect(manifest.options.population).toEqual({ seed: 4, replicates: 200, confidence: 0.95 })
    const sampling = JSON.parse(readFileSync(join(dir, 'sampling.json'), 'utf8'))
    expect(sampling.design.strata.length).toBeGreaterThan(0)
    const methods = readFileSync(join(dir, 'methods.txt'), 'utf8')
    expect(methods).toMatch(/Horvitz-Thompson/)
    expect(methods).toMatch(/stratified percentile bootstrap intervals \(200 replicates/)
    expect(methods).toMatch(/Effusion labelled positive \d+, \d+/)
    const figures = reportFigures(model)
    expect(figures['population/Effusion/ppv']).toEqual(expect.any(Number))
    const ok = await verifyBundle(dir)
    expect(ok.differences).toEqual([])
    expect(ok.figures).toBe(Object.keys(figures).length)
    // one Effusion film of the sample now drawn with half the probability
    const file = join(dir, 'sampling.csv')
    const rows = parseCsv(readFileSync(file, 'utf8')).map((r) => r.fields)
    const target =
      rows.find((r) => r[1] === 'Effusion' && r[3] === '0') ??
      rows.find((r) => r[1] === 'Effusion')!
    writeFileSync(
      file,
      rows
        .filter((r) => r.length === 5)
        .map((r) => (r === target ? [...r.slice(0, 4), String(Number(r[4]) / 2)] : r).join(','))
        .join('\r\n') + '\r\n',
    )
    const bad = await verifyBundle(dir)
    expect(bad.ok).toBe(false)
    const named = bad.differences.map((d) => d.figure)
    expect(named.some((f) => f.startsWith('population/Effusion/'))).toBe(true)
    expect(named.filter((f) => !f.startsWith('population/Effusion/'))).toEqual([])
  }, 120_000)

  it('[R9] a bundle with a bad file is refused naming file, line and column', async () => {
    const model = await buildReport(t.store, { auditId: fx.oneFinding, thumbnails: false })
    const dir = join(t.dir, 'bundle-bad')
    await writeBundle(t.store, dir, model, { auditId: fx.oneFinding })
    const file = join(dir, 'labels.csv')
    writeFileSync(file, readFileSync(file, 'utf8').replace(/,1\r\n/, ',one\r\n'))
    await expect(verifyBundle(dir)).rejects.toThrow(/labels\.csv, line 2, column label: "one"/)
  })
})
