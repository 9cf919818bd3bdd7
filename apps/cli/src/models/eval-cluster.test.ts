import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ModelEvalReport } from '@cxr-audit/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import golden from '../../../../packages/core/src/stats/golden/auc-obuchowski.json' with { type: 'json' }
import { DIALECTS } from '../../../../test-support/temp-store.ts'
import { runCli } from '../run-cli.ts'
import { densenetDatabase } from './densenet-database.ts'

const close = (actual: number | null | undefined, expected: number, tolerance = 1e-10): void => {
  expect(actual).toBeTypeOf('number')
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(tolerance)
}

describe.each(DIALECTS)('cxr-audit eval --cluster patient (real files, %s)', (kind) => {
  let dir: string
  let db: string
  const cli = (...args: string[]) => runCli([...args, '--db', db])
  const findings = golden.findings.flatMap((g) => ['--finding', g.finding])
  const evalJson = (...args: string[]): ModelEvalReport => {
    const r = cli('eval', '--model', 'densenet', ...findings, ...args, '--json')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    return r.json() as ModelEvalReport
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cxr-eval-cluster-'))
    db = await densenetDatabase(kind, dir)
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it("[M44] eval --cluster patient gives Obuchowski's intervals, equal to the Python golden values to 1e-10, wider than DeLong's", () => {
    const out = evalJson('--cluster', 'patient')
    expect(out.cluster).toBe('patient')
    expect(out.clusters).toBe(golden.findings[0]!.clusters)
    expect(out.patientsWithSeveralFilms).toBe(golden.findings[0]!.repeatedClusters)
    expect(out.warning).toBeUndefined()
    expect(out.methods.interval).toMatch(/Obuchowski/)
    expect(out.findings.map((f) => f.finding)).toEqual(golden.findings.map((g) => g.finding))
    golden.findings.forEach((g, k) => {
      const f = out.findings[k]!
      expect(f).toMatchObject({ n: g.n, positives: g.positives, clusters: g.clusters })
      close(f.auc, g.auc)
      close(f.aucLow, g.low)
      close(f.aucHigh, g.high)
      close(f.variance, g.variance, 1e-14)
      expect(f.aucHigh! - f.aucLow!).toBeGreaterThan(g.delongHigh - g.delongLow)
    })
    const human = cli(
      'eval',
      '--model',
      'densenet',
      '--finding',
      'Pneumothorax',
      '--cluster',
      'patient',
    )
    expect(human.code).toBe(0)
    expect(human.stdout).toContain(
      'AUC intervals: patients as clusters (Obuchowski 1997), 6,187 patients.',
    )
    expect(human.stdout).not.toContain('Warning')
    const bad = cli('eval', '--model', 'densenet', '--cluster', 'film')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--cluster must be patient, got "film"/)
  })

  it('[M44] without --cluster the output warns how many patients have more than one film, and keeps DeLong', () => {
    const out = evalJson()
    expect(out.cluster).toBeNull()
    expect(out.clusters).toBe(6187)
    expect(out.patientsWithSeveralFilms).toBe(2684)
    expect(out.warning).toBe(
      '2,684 of the 6,187 patients have more than one film among the 22,433 scored films: the AUC intervals count films as independent and are too narrow; use --cluster patient',
    )
    golden.findings.forEach((g, k) => {
      const f = out.findings[k]!
      expect(f.clusters).toBeUndefined()
      close(f.aucLow, g.delongLow)
      close(f.aucHigh, g.delongHigh)
    })
    const human = cli('eval', '--model', 'densenet', '--finding', 'Pneumothorax')
    expect(human.stdout).toContain('AUC intervals: DeLong, films as independent.')
    expect(human.stdout).toContain('Warning: 2,684 of the 6,187 patients have more than one film')
  })
})
