import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { clopperPearsonInterval, wilsonInterval } from '../stats/index.ts'
import { accuracyStats, countJudged, type JudgedItem } from './accuracy.ts'
import { PUBLISHED_SOURCE, WANG2017_TEXT_MINING, publishedAccuracy } from './published.ts'
import { subgroupTest } from './subgroup-test.ts'
import golden from './golden/google-validation.json' with { type: 'json' }

const items = (label: number, verdict: JudgedItem['verdict'], n: number): JudgedItem[] =>
  Array.from({ length: n }, () => ({ label, verdict }))

const close = (a: number | null, b: number | null): void => {
  if (b === null) expect(a).toBeNull()
  else expect(Math.abs((a as number) - b)).toBeLessThanOrEqual(1e-9)
}

describe('label accuracy', () => {
  const judged = [
    ...items(1, 'present', 12),
    ...items(1, 'absent', 5),
    ...items(1, 'uncertain', 3),
    ...items(0, 'present', 4),
    ...items(0, 'absent', 70),
    ...items(0, 'uncertain', 6),
    ...items(-1, 'present', 2),
  ]

  it('[L3] counts the 3 x 3 table; an uncertain original label is counted apart', () => {
    expect(countJudged(judged)).toEqual({
      judged: 102,
      labelledPositive: 20,
      present: 12,
      absent: 5,
      uncertain: 3,
      labelledNegative: 80,
      negativePresent: 4,
      negativeAbsent: 70,
      negativeUncertain: 6,
      labelledUncertain: 2,
    })
  })

  it('[L4] PPV, lenient PPV, NPV, sensitivity and specificity as defined', () => {
    const s = accuracyStats(countJudged(judged), 'wilson')
    expect(s.ppv).toBe(12 / 20)
    expect(s.ppvLenient).toBe(15 / 20)
    expect(s.npv).toBe(70 / 80)
    expect(s.npvLenient).toBe(76 / 80)
    expect(s.sensitivity).toBe(12 / 16)
    expect(s.specificity).toBe(70 / 75)
  })

  it('[L5] intervals are Wilson or Clopper-Pearson at 95% of the same counts', () => {
    const w = accuracyStats(countJudged(judged), 'wilson')
    const c = accuracyStats(countJudged(judged), 'clopper-pearson')
    expect([w.ppvLow, w.ppvHigh]).toEqual(Object.values(wilsonInterval(12, 20)))
    expect([c.ppvLow, c.ppvHigh]).toEqual(Object.values(clopperPearsonInterval(12, 20)))
    expect([c.specificityLow, c.specificityHigh]).toEqual(
      Object.values(clopperPearsonInterval(70, 75)),
    )
  })

  it('[L5] a proportion without a denominator is null with a null interval, never NaN', () => {
    const s = accuracyStats(countJudged(items(0, 'absent', 3)), 'wilson')
    expect([s.ppv, s.ppvLow, s.ppvHigh, s.ppvLenient]).toEqual([null, null, null, null])
    expect([s.sensitivity, s.sensitivityLow]).toEqual([null, null])
    expect(s.npv).toBe(1)
    expect(s.npvHigh).toBe(1)
  })

  it('[L4] [L5] equal the golden script on the real Google adjudicated counts', () => {
    for (const g of Object.values(golden.adjudicated)) {
      const counts = {
        judged: g.labelledPositive + g.labelledNegative,
        labelledPositive: g.labelledPositive,
        present: g.present,
        absent: g.absent,
        uncertain: g.uncertain,
        labelledNegative: g.labelledNegative,
        negativePresent: g.negativePresent,
        negativeAbsent: g.negativeAbsent,
        negativeUncertain: g.negativeUncertain,
        labelledUncertain: 0,
      }
      const w = accuracyStats(counts, 'wilson')
      const c = accuracyStats(counts, 'clopper-pearson')
      for (const [key, want] of [
        ['ppv', g.ppv],
        ['npv', g.npv],
        ['sensitivity', g.sensitivity],
        ['specificity', g.specificity],
        ['ppvLenient', g.ppvLenient],
      ] as const) {
        close(w[key], want.value)
        close(w[`${key}Low`], want.wilson[0] ?? null)
        close(w[`${key}High`], want.wilson[1] ?? null)
        close(c[`${key}Low`], want.clopperPearson[0] ?? null)
        close(c[`${key}High`], want.clopperPearson[1] ?? null)
      }
    }
  })
})

describe('strata that were not sampled', () => {
  it('[L23] no labelled negatives judged: NPV, sensitivity and specificity are null, never 100% and 0%', () => {
    const s = accuracyStats(
      countJudged([...items(1, 'present', 12), ...items(1, 'absent', 5)]),
      'wilson',
    )
    expect(s.notSampled).toEqual(['negatives'])
    expect(s.ppv).toBe(12 / 17)
    for (const k of ['npv', 'sensitivity', 'specificity'] as const) {
      expect([s[k], s[`${k}Low`], s[`${k}High`]]).toEqual([null, null, null])
    }
  })

  it('[L23] no labelled positives judged: PPV, sensitivity and specificity are null', () => {
    const s = accuracyStats(
      countJudged([...items(0, 'present', 2), ...items(0, 'absent', 9)]),
      'wilson',
    )
    expect(s.notSampled).toEqual(['positives'])
    expect([s.ppv, s.sensitivity, s.specificity]).toEqual([null, null, null])
    expect(s.npv).toBe(9 / 11)
  })

  it('[L23] both strata sampled: nothing is marked', () => {
    const s = accuracyStats(
      countJudged([...items(1, 'present', 1), ...items(0, 'absent', 1)]),
      'wilson',
    )
    expect(s.notSampled).toEqual([])
    expect([s.sensitivity, s.specificity]).toEqual([1, 1])
  })
})

describe('published text-mining accuracy', () => {
  it('[L6] the table in code equals the CSV copy shipped beside it', () => {
    const csv = readFileSync(
      new URL('./wang2017-text-mining-label-accuracy.csv', import.meta.url),
      'utf8',
    )
    const rows = csv
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','))
    expect(rows).toHaveLength(WANG2017_TEXT_MINING.length)
    rows.forEach((r, i) => {
      const t = WANG2017_TEXT_MINING[i]!
      expect(t.finding).toBe(r[0])
      expect([
        t.openiPrecision,
        t.openiRecall,
        t.openiF1,
        t.cxr14Precision,
        t.cxr14Recall,
        t.cxr14F1,
      ]).toEqual(r.slice(1, 7).map(Number))
      expect(t.cxr14Count).toBe(r[7] === '' ? null : Number(r[7]))
    })
  })

  it('[L6] findings resolve by key; derived findings and the total have no published precision', () => {
    expect(publishedAccuracy('Pleural Thickening')?.cxr14Precision).toBe(0.976)
    expect(publishedAccuracy('pneumothorax')?.cxr14Precision).toBe(0.943)
    expect(publishedAccuracy('Opacity')).toBeUndefined()
    expect(publishedAccuracy('Total')).toBeUndefined()
    expect(PUBLISHED_SOURCE).toMatch(/900 ChestX-ray14 reports/)
  })
})

describe('subgroup tests', () => {
  it("[L10] two subgroups: Fisher's exact test (scipy: p = 0.019767 for 1/10 against 7/10)", () => {
    const t = subgroupTest([
      { group: 'AP', success: 1, total: 10 },
      { group: 'PA', success: 7, total: 10 },
      { group: 'unknown', success: 0, total: 4 },
    ])
    expect(t.method).toBe('fisher-exact')
    expect(t.groups).toEqual(['AP', 'PA'])
    // scipy.stats.fisher_exact([[1, 9], [7, 3]]) = (0.047619047619047616, 0.019766611097880447)
    expect(t.p).toBeCloseTo(0.019766611097880447, 12)
    expect(t.statistic).toBeCloseTo(3 / 63, 12)
    expect(t.smallExpected).toBe(false)
  })

  it('[L10] more subgroups: Pearson chi-square, df = groups - 1, small expected counts flagged', () => {
    const t = subgroupTest([
      { group: '18-39', success: 30, total: 40 },
      { group: '40-59', success: 20, total: 40 },
      { group: '60-79', success: 10, total: 40 },
    ])
    expect(t.method).toBe('chi-square')
    expect(t.df).toBe(2)
    // scipy.stats.chi2_contingency([[30,10],[20,20],[10,30]], correction=False)
    expect(t.statistic).toBeCloseTo(20, 9)
    expect(t.p).toBeCloseTo(4.5399929762484854e-5, 12)
    expect(t.smallExpected).toBe(false)
    const small = subgroupTest([
      { group: 'a', success: 1, total: 3 },
      { group: 'b', success: 2, total: 3 },
      { group: 'c', success: 3, total: 3 },
    ])
    expect(small.smallExpected).toBe(true)
    expect(small.note).toMatch(/approximate/)
  })

  it('[L10] no test with fewer than two subgroups, or when every image has the same outcome', () => {
    expect(subgroupTest([{ group: 'PA', success: 1, total: 2 }]).method).toBeNull()
    const same = subgroupTest([
      { group: 'AP', success: 3, total: 3 },
      { group: 'PA', success: 5, total: 5 },
    ])
    expect([same.method, same.p]).toEqual(['fisher-exact', null])
    expect(same.note).toMatch(/same outcome/)
  })
})
