import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { sharedData } from '../../../../test-support/shared-data.ts'
import { UNPAIRED_METHOD, holmAdjust, subgroupAnalysis } from './stratification.ts'

interface GoldenCase {
  y: number[]
  score: number[]
  delong: {
    unpairedFirstHalfVsSecondHalf: {
      aucA: number
      aucB: number
      D: number | 'NaN'
      p: number | 'NaN'
    }
  }
}
const golden = JSON.parse(
  readFileSync(sharedData('golden/statistics/auc-delong.json'), 'utf8'),
) as {
  cases: GoldenCase[]
}

describe('subgroups and hidden stratification', () => {
  it('[M22] the test between two groups equals pROC roc.test(paired = FALSE) on the golden cases', () => {
    for (const c of golden.cases) {
      const half = Math.floor(c.y.length / 2)
      const groupOf = c.y.map((_, i) => (i < half ? 'a' : 'b'))
      const { report } = subgroupAnalysis('split', c.y, c.score, groupOf, null)
      const want = c.delong.unpairedFirstHalfVsSecondHalf
      expect(report.method).toBe(UNPAIRED_METHOD)
      expect(report.groups.map((g) => g.group)).toEqual(['a', 'b'])
      expect(report.groups[0]!.auc).toBeCloseTo(want.aucA, 12)
      expect(report.groups[1]!.auc).toBeCloseTo(want.aucB, 12)
      const t = report.tests[0]!
      expect(t).toMatchObject({ a: 'a', b: 'b' })
      if (want.D === 'NaN' || want.p === 'NaN') {
        // both AUCs 1, both variances 0: pROC says NaN, the stats area says no difference
        expect(t).toMatchObject({ D: 0, p: 1 })
        continue
      }
      expect(Math.abs(t.D! - want.D)).toBeLessThan(1e-9)
      expect(Math.abs(t.p! - want.p)).toBeLessThan(1e-9)
    }
  })

  it('[M22] every pair of groups is tested; undefined AUCs give a reason, not a throw', () => {
    const y = [1, 0, 1, 0, 1, 0, 0, 0, 1, 1]
    const s = [0.9, 0.1, 0.8, 0.3, 0.4, 0.5, 0.2, 0.6, 0.7, 0.35]
    const g = ['x', 'x', 'x', 'x', 'y', 'y', 'y', 'y', 'z', 'z']
    const { report, rows } = subgroupAnalysis('view', y, s, g, 0.5)
    expect(report.tests.map((t) => `${t.a}-${t.b}`)).toEqual(['x-y', 'x-z', 'y-z'])
    const z = report.groups.find((r) => r.group === 'z')!
    expect(z).toMatchObject({
      n: 2,
      positives: 2,
      auc: null,
      reason: 'no-negatives',
      sensitivity: 0.5,
    })
    expect(report.tests[1]).toMatchObject({ D: null, p: null, reason: 'no-negatives' })
    // x: sensitivity at 0.5 = 2/2, specificity = 2/2
    expect(report.groups[0]).toMatchObject({ group: 'x', sensitivity: 1, specificity: 1 })
    expect(rows.map((r) => r.group)).toEqual(['x', 'y', 'z'])
    // the rest of x is y and z together
    expect(rows[0]).toMatchObject({ restN: 6, restPositives: 3 })
    expect(rows[2]).toMatchObject({ flagged: false, p: null, reason: 'no-negatives' })
  })

  it('[M23] a subgroup the model separates far better than the rest is flagged', () => {
    // with a drain (group d) the model ranks perfectly; without, at chance
    const y: number[] = []
    const s: number[] = []
    const g: string[] = []
    for (let i = 0; i < 40; i++) {
      y.push(i % 2)
      s.push(i % 2 === 1 ? 0.6 + i / 1000 : 0.4 - i / 1000)
      g.push('drain')
      y.push(i % 2)
      s.push(((i * 7919) % 40) / 40)
      g.push('no drain')
    }
    const { rows } = subgroupAnalysis('tag:drain', y, s, g, null)
    expect(rows[0]).toMatchObject({
      group: 'drain',
      auc: 1,
      flagged: true,
      intervalsOverlap: false,
    })
    expect(rows[0]!.p!).toBeLessThan(0.001)
    expect(rows[0]!.difference!).toBeCloseTo(1 - rows[0]!.restAuc!, 15)
  })

  it('[M21] images in no group are left out and counted', () => {
    const { report } = subgroupAnalysis(
      'tag:drain',
      [1, 0, 1, 0],
      [0.9, 0.1, 0.8, 0.2],
      ['drain', null, 'no drain', null],
      null,
    )
    expect(report.leftOut).toBe(2)
    expect(report.groups.map((r) => r.n)).toEqual([1, 1])
  })

  it('[M23] a split with one group gives no table rows', () => {
    const { rows } = subgroupAnalysis(
      'sex',
      [1, 0, 1, 0],
      [0.9, 0.1, 0.8, 0.2],
      ['F', 'F', 'F', 'F'],
      null,
    )
    expect(rows).toEqual([])
  })

  it('[M23] Holm: step-down, monotone, capped at 1, nulls kept', () => {
    // statsmodels multipletests([0.01, 0.04, 0.03], method='holm') -> 0.03, 0.06, 0.06
    const out = holmAdjust([0.01, 0.04, null, 0.03, 0.9])
    expect(out[0]).toBeCloseTo(0.04, 15)
    expect(out[1]).toBeCloseTo(0.09, 15)
    expect(out[2]).toBeNull()
    expect(out[3]).toBeCloseTo(0.09, 15)
    expect(out[4]).toBe(0.9)
    expect(holmAdjust([0.5, 0.6])).toEqual([1, 1])
  })
})
