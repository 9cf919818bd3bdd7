import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore } from '@cxr-audit/store'
import {
  buildReportFixture,
  type ReportFixture,
} from '../../../../packages/report/src/report-fixture.ts'
import { DIALECTS, tempDatabase } from '../../../../test-support/temp-store.ts'
import { runCliAsync } from '../run-cli.ts'

describe.each(DIALECTS)('cxr-audit report --methods, --bundle and verify-report (%s)', (kind) => {
  let dir: string
  let db: string
  let fx: ReportFixture
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cxr-audit-report-cli-'))
    db = await tempDatabase(kind, dir)
    const store = await openStore(db)
    fx = await buildReportFixture(store, dir)
    await store.close()
  }, 120_000)
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('[R4] report --methods prints the methods alone on stdout, as text', async () => {
    const r = await runCliAsync([
      'report',
      '--audit',
      String(fx.oneFinding),
      '--methods',
      '--db',
      db,
    ])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(
      /^Data\. The films and their original labels come from the dataset "ChestX-ray14"/,
    )
    expect(r.stdout).toContain('\n\nSampling. The audit drew films for 1 finding (Effusion).')
    expect(r.stdout).toContain('\n\nReferences\n- Wilson EB.')
    const json = await runCliAsync([
      'report',
      '--audit',
      String(fx.oneFinding),
      '--methods',
      '--json',
      '--db',
      db,
    ])
    expect((json.json() as { methods: string }).methods).toBe(r.stdout)
  })

  it('[R11] report --population --methods states the design and the population estimates', async () => {
    const r = await runCliAsync([
      'report',
      '--audit',
      String(fx.fourteen),
      '--population',
      '--seed',
      '7',
      '--replicates',
      '300',
      '--methods',
      '--db',
      db,
    ])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain(
      'The films were drawn at random within strata (finding x original label), one film per patient, seed 20240601.',
    )
    expect(r.stdout).toMatch(
      /Strata \(films in the dataset on disk through the filters, films in the sample\): Atelectasis labelled positive \d+, 3; Atelectasis labelled negative \d+, 2;/,
    )
    expect(r.stdout).toContain("Each film's inclusion probability: recorded.")
    expect(r.stdout).toContain(
      'intervals are 95% stratified percentile bootstrap intervals (300 replicates resampling within strata, seed 7).',
    )
    expect(r.stdout).toMatch(
      /Atelectasis \(audit \d+\): prevalence by the reader \d+\.\d% \(\d+\.\d%-\d+\.\d%\)/,
    )
    const bad = await runCliAsync([
      'report',
      '--audit',
      String(fx.fourteen),
      '--population',
      '--seed',
      'abc',
      '--methods',
      '--db',
      db,
    ])
    expect(bad.code).toBe(2)
  })

  it('[R9] report --bundle DIR, then verify-report DIR: 0 when all match, 1 naming the figures a changed original label moves', async () => {
    const bundle = join(dir, 'bundle')
    const made = await runCliAsync([
      'report',
      '--audit',
      String(fx.fourteen),
      '--bundle',
      bundle,
      '--model',
      'densenet',
      '--replicates',
      '100',
      '--out',
      join(dir, 'report.pdf'),
      '--paper',
      'letter',
      '--json',
      '--db',
      db,
    ])
    expect(made.code, made.stderr).toBe(0)
    const summary = made.json() as {
      paper: string
      format: string
      bundle: { files: string[]; figures: number }
    }
    expect([summary.paper, summary.format]).toEqual(['letter', 'pdf'])
    expect(summary.bundle.files).toContain('figures/roc-densenet-original.pdf')
    const ok = await runCliAsync(['verify-report', bundle])
    expect(ok.code, ok.stdout + ok.stderr).toBe(0)
    expect(ok.stdout).toMatch(
      new RegExp(`all ${summary.bundle.figures} figures recomputed from the bundle match`),
    )

    const file = join(bundle, 'labels.csv')
    const text = readFileSync(file, 'utf8')
    const [head, first, ...rest] = text.split('\r\n')
    const [image, finding, label] = first!.split(',')
    writeFileSync(
      file,
      [head, `${image},${finding},${label === '1' ? '0' : '1'}`, ...rest].join('\r\n'),
    )
    const bad = await runCliAsync(['verify-report', bundle, '--json'])
    expect(bad.code).toBe(1)
    const report = bad.json() as { ok: boolean; differences: { figure: string }[] }
    expect(report.ok).toBe(false)
    expect(report.differences.length).toBeGreaterThan(0)
    expect(report.differences.every((d) => d.figure.startsWith(`accuracy/${finding}/`))).toBe(true)
    const text1 = await runCliAsync(['verify-report', bundle])
    expect(text1.code).toBe(1)
    expect(text1.stdout).toMatch(new RegExp(`accuracy/${finding}/\\w+: stated [\\d.]+, recomputed`))
  }, 120_000)

  it('[R9] bad input exits 2: no bundle there, nothing to write, an unknown paper', async () => {
    const [missing, nothing, paper] = await Promise.all([
      runCliAsync(['verify-report', join(dir, 'nowhere'), '--json']),
      runCliAsync(['report', '--audit', String(fx.oneFinding), '--db', db]),
      runCliAsync([
        'report',
        '--audit',
        String(fx.oneFinding),
        '--out',
        join(dir, 'x.pdf'),
        '--paper',
        'a3',
        '--db',
        db,
      ]),
    ])
    expect(missing.code).toBe(2)
    expect((missing.json() as { error: { message: string } }).error.message).toMatch(
      /not a report bundle/,
    )
    expect([nothing.code, nothing.stderr]).toEqual([
      2,
      expect.stringMatching(/--out FILE, --bundle DIR or --methods/),
    ])
    expect([paper.code, paper.stderr]).toEqual([
      2,
      expect.stringMatching(/--paper a3: a4 or letter/),
    ])
  })
})
