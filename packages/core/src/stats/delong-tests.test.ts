import { describe, expect, it } from 'vitest'
import { delongPairedTest, delongUnpairedTest } from './delong-tests.ts'
import { StatsInputError } from './errors.ts'
import proc from './golden/auc-delong-proc.json' with { type: 'json' }
import shared from './golden/auc-delong.json' with { type: 'json' }

const close = (actual: number, expected: number): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9)
}

type Case = (typeof shared.cases)[number]

const halves = (c: Pick<Case, 'y' | 'score'>) => {
  const half = Math.floor(c.y.length / 2)
  return [
    { labels: c.y.slice(0, half), scores: c.score.slice(0, half) },
    { labels: c.y.slice(half), scores: c.score.slice(half) },
  ] as const
}

describe('delongPairedTest', () => {
  it('[S12] paired z and p match pROC roc.test(paired = TRUE) on the shared cases', () => {
    for (const c of shared.cases) {
      const result = delongPairedTest(c.y, c.score, c.score2)
      close(result.z, c.delong.pairedZ)
      close(result.p, c.delong.pairedP)
      close(result.aucA, c.auc)
      close(result.aucB, c.auc2)
    }
  })

  it('[S12] paired test matches pROC on ties, 2 positives and a backwards score', () => {
    for (const c of proc.cases) {
      const result = delongPairedTest(c.y, c.score, c.score2)
      close(result.z, c.delong.pairedZ)
      close(result.p, c.delong.pairedP)
    }
  })

  it('[S12] identical scores: z = 0 and p = 1 (pROC rule for 0 / 0)', () => {
    const c = shared.cases[0]
    if (!c) throw new Error('missing case')
    expect(delongPairedTest(c.y, c.score, c.score)).toMatchObject({ z: 0, p: 1 })
  })

  it('[S12] the score arrays must have the same length', () => {
    expect(() => delongPairedTest([0, 1, 0, 1], [1, 2, 3, 4], [1, 2, 3])).toThrow(StatsInputError)
  })
})

describe('delongUnpairedTest', () => {
  it('[S13] unpaired D and p match pROC roc.test(paired = FALSE)', () => {
    for (const c of [...shared.cases, ...proc.cases]) {
      const expected = c.delong.unpairedFirstHalfVsSecondHalf
      if (typeof expected.D !== 'number' || typeof expected.p !== 'number') continue
      const [a, b] = halves(c)
      const result = delongUnpairedTest(a, b)
      close(result.D, expected.D)
      close(result.p, expected.p)
      close(result.aucA, expected.aucA)
      close(result.aucB, expected.aucB)
      if ('df' in expected && typeof expected.df === 'number') close(result.df, expected.df)
    }
  })

  it('[S13] both AUCs 1: pROC gives NaN; here D = 0, p = 1, df = Infinity', () => {
    const perfect = shared.cases.find((c) => c.auc === 1)
    if (!perfect) throw new Error('missing case')
    expect(perfect.delong.unpairedFirstHalfVsSecondHalf.D).toBe('NaN')
    const [a, b] = halves(perfect)
    expect(delongUnpairedTest(a, b)).toEqual({ D: 0, df: Infinity, p: 1, aucA: 1, aucB: 1 })
  })

  it('[S13] AUC 1 against AUC 0, both without variance: D = Infinity, p = 0', () => {
    const result = delongUnpairedTest(
      { labels: [0, 0, 1, 1], scores: [1, 2, 3, 4] },
      { labels: [0, 0, 1, 1], scores: [4, 3, 2, 1] },
    )
    expect(result).toMatchObject({ D: Infinity, p: 0, aucA: 1, aucB: 0 })
  })
})
