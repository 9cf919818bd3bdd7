import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { auc, parseCsv, type ModelEvalReport } from '@cxr-audit/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../../../test-support/temp-store.ts'
import { runCli } from '../run-cli.ts'
import { METADATA, PREDICTIONS, TEST_LIST, densenetDatabase } from './densenet-database.ts'

/** The real files read straight, to compute what eval must report on its own. */
function readTruth() {
  const meta = parseCsv(gunzipSync(readFileSync(METADATA)).toString('utf8'))
  const labels = new Map(meta.slice(1).map((r) => [r.fields[0]!, r.fields[1]!.split('|')]))
  const test = new Set(readFileSync(TEST_LIST, 'utf8').split(/\r?\n/).filter(Boolean))
  const preds = parseCsv(readFileSync(PREDICTIONS, 'utf8'))
  const col = preds[0]!.fields.indexOf('prob_Pneumothorax')
  const scores = new Map(preds.slice(1).map((r) => [r.fields[0]!, Number(r.fields[col])]))
  return { labels, test, scores }
}

/** AUC of Pneumothorax over the films `keep` lets in (negatives per `negative`). */
function expectedAuc(
  t: ReturnType<typeof readTruth>,
  keep: (name: string) => boolean,
  negative: (labels: string[]) => boolean,
) {
  const y: number[] = []
  const s: number[] = []
  for (const [name, score] of t.scores) {
    if (!keep(name)) continue
    const l = t.labels.get(name)!
    const pos = l.includes('Pneumothorax')
    if (!pos && !negative(l)) continue
    y.push(pos ? 1 : 0)
    s.push(score)
  }
  return { auc: auc(y, s), n: y.length, positives: y.filter((v) => v === 1).length }
}

describe.each(DIALECTS)('cxr-audit eval: which films are scored (real files, %s)', (kind) => {
  let dir: string
  let db: string
  let truth: ReturnType<typeof readTruth>
  const cli = (...args: string[]) => runCli([...args, '--db', db])
  const evalJson = (...args: string[]): ModelEvalReport => {
    const r = cli('eval', '--model', 'densenet', '--finding', 'Pneumothorax', ...args, '--json')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    return r.json() as ModelEvalReport
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cxr-eval-scope-'))
    db = await densenetDatabase(kind, dir)
    truth = readTruth()
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('[M42] eval --split test scores only the official test films and says which films it scored', () => {
    const all = evalJson()
    expect(all).toMatchObject({ split: null, negatives: 'all', scoredImages: 22433 })
    expect(all.scored).toBe('all 22,433 films the model scored')
    const out = evalJson('--split', 'test')
    const want = expectedAuc(
      truth,
      (n) => truth.test.has(n),
      () => true,
    )
    const inTest = [...truth.scores.keys()].filter((n) => truth.test.has(n)).length
    expect(out).toMatchObject({ split: 'test', images: 22433, scoredImages: inTest })
    expect(out.scored).toBe(
      `the ${inTest.toLocaleString('en-US')} films of split test (of 22,433 the model scored)`,
    )
    expect(out.findings[0]).toMatchObject({ n: want.n, positives: want.positives, auc: want.auc })
    expect(want.n).toBeLessThan(22433)
    const human = cli('eval', '--model', 'densenet', '--finding', 'Pneumothorax', '--split', 'TEST')
    expect(human.code).toBe(0)
    expect(human.stdout).toContain(
      `Scored: the ${inTest.toLocaleString('en-US')} films of split test`,
    )
    const bad = cli('eval', '--model', 'densenet', '--split', 'validation')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/split "validation" \(splits: test, train\)/)
  })

  it('[M43] eval --negatives no-finding compares the positives with No Finding films only', () => {
    const out = evalJson('--negatives', 'no-finding')
    const want = expectedAuc(
      truth,
      () => true,
      (l) => l.length === 1 && l[0] === 'No Finding',
    )
    expect(out.negatives).toBe('no-finding')
    expect(out.scored).toMatch(/negatives: "No Finding" films only/)
    expect(out.findings[0]).toMatchObject({ n: want.n, positives: want.positives, auc: want.auc })
    // against every labelled negative the AUC differs: the easy negatives raise it
    const plain = evalJson()
    expect(out.findings[0]!.n).toBeLessThan(plain.findings[0]!.n)
    expect(out.findings[0]!.auc).not.toBe(plain.findings[0]!.auc)
    const both = evalJson('--negatives', 'no-finding', '--split', 'test')
    const wantBoth = expectedAuc(
      truth,
      (n) => truth.test.has(n),
      (l) => l.length === 1 && l[0] === 'No Finding',
    )
    expect(both.findings[0]).toMatchObject({ n: wantBoth.n, auc: wantBoth.auc })
    const bad = cli('eval', '--model', 'densenet', '--negatives', 'healthy')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--negatives must be all or no-finding/)
  })
})
