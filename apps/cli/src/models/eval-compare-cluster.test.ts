import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ModelEvalReport } from '@cxr-audit/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import golden from '../../../../packages/core/src/models/golden/compare-clustered.json' with { type: 'json' }
import { DIALECTS } from '../../../../test-support/temp-store.ts'
import { runCli } from '../run-cli.ts'
import { PREDICTIONS, densenetDatabase } from './densenet-database.ts'

/** Within 10 % of the Python reference standard error (two generators: 2,000 and 4,000 draws). */
const nearSe = (se: number, reference: number): void => {
  expect(Math.abs(se / reference - 1)).toBeLessThan(0.1)
}

/** The reader of scripts/golden/compare_clustered.py: Effusion on the first 4,000 scored films. */
function readsFile(dir: string): string {
  const names = readFileSync(PREDICTIONS, 'utf8')
    .split('\n')
    .slice(1)
    .map((l) => l.split(',')[0]!)
    .filter((n) => n !== '')
    .sort()
    .slice(0, golden.films)
  const present = new Set(golden.readerPresent)
  const file = join(dir, 'rev.csv')
  writeFileSync(
    file,
    ['Image Index,Effusion', ...names.map((n) => `${n},${present.has(n) ? 'YES' : 'NO'}`)].join(
      '\n',
    ) + '\n',
  )
  return file
}

describe.each(DIALECTS)(
  'eval --cluster patient: paired comparisons by patient (real files, %s)',
  (kind) => {
    let dir: string
    let db: string
    const cli = (...args: string[]) => runCli([...args, '--db', db])
    const evalJson = (...args: string[]): ModelEvalReport => {
      const r = cli('eval', '--model', 'densenet', '--finding', 'Effusion', ...args, '--json')
      expect(r.stderr).toBe('')
      expect(r.code).toBe(0)
      return r.json() as ModelEvalReport
    }

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'cxr-eval-compare-cluster-'))
      db = await densenetDatabase(kind, dir)
      expect(cli('import', 'labels', '--file', readsFile(dir), '--reader', 'rev').code).toBe(0)
    })
    afterAll(() => rmSync(dir, { recursive: true, force: true }))

    it('[M50] --compare-original --cluster patient resamples patients: the same difference, an interval as wide as the Python patient bootstrap, wider than the film bootstrap', () => {
      const run = (...extra: string[]) =>
        evalJson('--against', 'rev', '--compare-original', '--replicates', '2000', ...extra)
      const films = run().findings[0]!.comparison!
      const patients = run('--cluster', 'patient')
      const c = patients.findings[0]!.comparison!
      expect(patients.methods.comparison).toMatch(/over patients/)
      expect(c.method).toMatch(/over patients/)
      expect(films.method).toMatch(/over images/)
      expect(Math.abs(c.difference! - golden.comparison.difference)).toBeLessThan(1e-12)
      expect(c.replicates).toBe(2000)
      nearSe((c.high! - c.low!) / 3.92, golden.comparison.patientBootstrapSe)
      nearSe((films.high! - films.low!) / 3.92, golden.comparison.filmBootstrapSe)
      expect(c.high! - c.low!).toBeGreaterThan(1.4 * (films.high! - films.low!))
      expect(patients.clusters).toBe(6187)
    }, 600_000)

    it('[M50] the subgroup tests with --cluster patient are patient bootstrap tests (D = difference / bootstrap SE), near the Python reference', () => {
      const rev = evalJson(
        '--against',
        'rev',
        '--by',
        'view',
        '--cluster',
        'patient',
        '--replicates',
        '2000',
      )
      const s = rev.findings[0]!.subgroups![0]!
      expect(s.method).toMatch(/patient bootstrap/)
      expect(rev.methods.subgroupTest).toMatch(/patient bootstrap/)
      const auc = (g: string): number => s.groups.find((x) => x.group === g)!.auc!
      const difference = auc('AP') - auc('PA')
      expect(Math.abs(difference - golden.subgroup.difference)).toBeLessThan(1e-12)
      const test = s.tests.find((t) => t.a === 'AP' && t.b === 'PA')!
      expect(test.df).toBeNull()
      nearSe(difference / test.D!, golden.subgroup.patientBootstrapSe)
      expect(test.p).toBeGreaterThan(0)
      expect(test.p).toBeLessThan(0.05)
      // the hidden-stratification rows use the same test: AP against the rest (= PA)
      const row = rev.hiddenStratification.find((h) => h.group === 'AP')!
      expect(row.D).toBeCloseTo(test.D!, 12)
      // without --cluster the unpaired DeLong test is unchanged
      const plain = evalJson('--against', 'rev', '--by', 'view')
      expect(plain.findings[0]!.subgroups![0]!.method).toMatch(/DeLong/)
    }, 600_000)
  },
)
