import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ModelEvalReport, TagComparison } from '@cxr-audit/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import golden from '../../../../packages/core/src/models/golden/by-tag.json' with { type: 'json' }
import { DIALECTS } from '../../../../test-support/temp-store.ts'
import { runCli } from '../run-cli.ts'
import { densenetDatabase } from './densenet-database.ts'

interface Golden {
  threshold: number
  thresholdFrom: string
  leftOut: number
  groups: (Omit<(typeof golden)['againstBob']['groups'][number], 'auc'> & { auc: number | null })[]
  table: number[][]
  oddsRatio: number
  p: number
}

const close = (actual: number | null | undefined, expected: number, tolerance = 1e-12): void => {
  expect(actual).toBeTypeOf('number')
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(tolerance)
}

/** The comparison equals the Python golden values (scipy, statsmodels, scikit-learn). */
function matches(t: TagComparison, g: Golden): void {
  expect(t.tag.toLowerCase()).toBe(golden.tag)
  expect(t.thresholdFrom).toBe(g.thresholdFrom)
  close(t.threshold, g.threshold, 0)
  expect(t.leftOut).toBe(g.leftOut)
  expect(t.groups.map((x) => x.group.toLowerCase())).toEqual(['chest drain', 'no chest drain'])
  t.groups.forEach((x, k) => {
    const e = g.groups[k]!
    expect(x).toMatchObject({
      n: e.n,
      positives: e.positives,
      negatives: e.negatives,
      detected: e.detected,
    })
    close(x.sensitivity, e.sensitivity)
    close(x.sensitivityLow, e.sensitivityLow)
    close(x.sensitivityHigh, e.sensitivityHigh)
    if (e.auc === null) {
      expect(x.auc).toBeNull()
      expect(x.aucNote).toMatch(/no negatives/)
    } else {
      close(x.auc, e.auc)
      expect(x.aucNote).toBeUndefined()
    }
  })
  expect(t.fisher?.table).toEqual(g.table)
  close(t.fisher?.p, g.p, 1e-12)
  close(t.fisher?.oddsRatio, g.oddsRatio, 1e-12)
}

/** A long reads file as `export labels --format long` writes it: verdicts and tags. */
function readsFile(dir: string, name: string, films: readonly [string, string][]): string {
  const tagged = new Set(golden.tagged)
  const rows = films.map(
    ([image, verdict]) =>
      `${image},Pneumothorax,${verdict},${tagged.has(image) ? 'chest drain' : ''}`,
  )
  const file = join(dir, name)
  writeFileSync(file, ['Image Index,Finding,Verdict,Tags', ...rows].join('\n') + '\n')
  return file
}

describe.each(DIALECTS)('cxr-audit eval --by tag:NAME (real files, %s)', (kind) => {
  let dir: string
  let db: string
  const cli = (...args: string[]) => runCli([...args, '--db', db])
  const byTag = (...args: string[]): { out: ModelEvalReport; tag: TagComparison } => {
    const r = cli('eval', '--model', 'densenet', '--finding', 'Pneumothorax', ...args, '--json')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const out = r.json() as ModelEvalReport
    expect(out.findings[0]!.byTag).toHaveLength(1)
    return { out, tag: out.findings[0]!.byTag![0]! }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cxr-eval-by-tag-'))
    db = await densenetDatabase(kind, dir)
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('[M49] after a positives-only review: sensitivity with and without the tag, Wilson and Fisher equal to statsmodels and scipy; the AUC says it needs negatives', () => {
    const ann = readsFile(
      dir,
      'ann.csv',
      golden.ann.map((x) => [x, 'present']),
    )
    expect(cli('import', 'labels', '--file', ann, '--reader', 'ann').code).toBe(0)
    const { out, tag } = byTag('--against', 'ann', '--by', 'tag:chest drain')
    expect(out.findings[0]!.operatingPoint).toBeNull()
    matches(tag, golden.againstAnn)
    const human = cli(
      'eval',
      '--model',
      'densenet',
      '--finding',
      'Pneumothorax',
      '--against',
      'ann',
      '--by',
      'tag:chest drain',
    )
    expect(human.code).toBe(0)
    expect(human.stdout).toContain(
      'Pneumothorax: sensitivity by tag "chest drain" at threshold 0.0278',
    )
    expect(human.stdout).toContain('the evaluation set has no negatives')
    expect(human.stdout).toContain('AUC chest drain: no negatives in this group')
    expect(human.stdout).toContain(
      "Fisher's exact test (two-sided), detected vs missed by group: p = 0.0577",
    )
  })

  it('[M49] with reviewed negatives the groups also get their AUC; against the original labels the unreviewed films are left out', () => {
    const bob = readsFile(dir, 'bob.csv', [
      ...golden.bob.map((x): [string, string] => [
        x,
        golden.bobNegatives.includes(x) ? 'absent' : 'present',
      ]),
    ])
    expect(cli('import', 'labels', '--file', bob, '--reader', 'bob').code).toBe(0)
    matches(byTag('--against', 'bob', '--by', 'tag:Chest Drain').tag, golden.againstBob)
    const original = byTag('--by', 'tag:chest drain')
    matches(original.tag, golden.againstOriginal)
    // the subgroup table is unchanged beside it
    expect(original.out.findings[0]!.subgroups![0]!.by).toBe('tag:chest drain')
    const fixed = byTag('--against', 'ann', '--by', 'tag:chest drain', '--threshold', '0.5')
    expect(fixed.tag.thresholdFrom).toBe('fixed')
    expect(fixed.tag.threshold).toBe(0.5)
  })
})
