import { describe, expect, it } from 'vitest'
import { StatsInputError, UndefinedStatisticError } from './errors.ts'
import shared from './golden/proportions.json' with { type: 'json' }
import levels from './golden/proportions-levels.json' with { type: 'json' }
import planner from './golden/planner.json' with { type: 'json' }
import {
  clopperPearsonInterval,
  expectedHalfWidth,
  plannedSampleSize,
  wilsonInterval,
} from './proportions.ts'

const close = (actual: number, expected: number): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9)
}

describe('wilsonInterval', () => {
  it('[S3] wilson matches statsmodels on every shared case', () => {
    for (const c of shared.cases) {
      const { low, high } = wilsonInterval(c.k, c.n)
      close(low, c.wilson[0] as number)
      close(high, c.wilson[1] as number)
    }
  })

  it('[S3] wilson matches statsmodels at 80%, 90% and 99%', () => {
    for (const c of levels.cases) {
      const { low, high } = wilsonInterval(c.k, c.n, c.confidence)
      close(low, c.wilson[0] as number)
      close(high, c.wilson[1] as number)
    }
  })

  it('[S3] 0/n starts at exactly 0 and n/n ends at exactly 1', () => {
    expect(wilsonInterval(0, 12).low).toBe(0)
    expect(wilsonInterval(12, 12).high).toBe(1)
  })
})

describe('clopperPearsonInterval', () => {
  it('[S4] clopper-pearson matches statsmodels beta on every shared case', () => {
    for (const c of shared.cases) {
      const { low, high } = clopperPearsonInterval(c.k, c.n)
      close(low, c.clopperPearson[0] as number)
      close(high, c.clopperPearson[1] as number)
    }
  })

  it('[S4] clopper-pearson matches statsmodels at other levels', () => {
    for (const c of levels.cases) {
      const { low, high } = clopperPearsonInterval(c.k, c.n, c.confidence)
      close(low, c.clopperPearson[0] as number)
      close(high, c.clopperPearson[1] as number)
    }
  })

  it('[S4] 1/1 is [alpha/2, 1] and 0/1 is [0, 1 - alpha/2]', () => {
    expect(clopperPearsonInterval(1, 1)).toEqual({ low: 0.025000000000000022, high: 1 })
    expect(clopperPearsonInterval(0, 1).low).toBe(0)
  })
})

describe('proportion input rules', () => {
  it('[S2] n = 0 throws a named UndefinedStatisticError, never NaN', () => {
    for (const f of [wilsonInterval, clopperPearsonInterval]) {
      expect(() => f(0, 0)).toThrow(UndefinedStatisticError)
      expect(() => f(0, 0)).toThrow('proportion undefined: n = 0')
    }
  })

  it('[S2] k > n, negative or fractional counts, and a bad confidence are input errors', () => {
    expect(() => wilsonInterval(3, 2)).toThrow(StatsInputError)
    expect(() => wilsonInterval(-1, 2)).toThrow(StatsInputError)
    expect(() => clopperPearsonInterval(1.5, 2)).toThrow(StatsInputError)
    expect(() => wilsonInterval(1, 2, 1)).toThrow(StatsInputError)
    expect(() => wilsonInterval(1, 2, 0)).toThrow(StatsInputError)
  })
})

describe('plannedSampleSize and expectedHalfWidth', () => {
  it('[S5] the planner matches the statsmodels search on the whole grid', () => {
    for (const c of planner.grid) {
      const n = plannedSampleSize(c)
      expect({ ...c, n }).toEqual(c)
    }
  })

  it('[S5] the planned n is the smallest: n - 1 is too wide', () => {
    for (const c of planner.grid) {
      expect(expectedHalfWidth({ ...c, n: c.n })).toBeLessThanOrEqual(c.halfWidth)
      if (c.n > 1) expect(expectedHalfWidth({ ...c, n: c.n - 1 })).toBeGreaterThan(c.halfWidth)
    }
  })

  it('[S5] expectedHalfWidth matches statsmodels at p exactly', () => {
    for (const c of planner.halfWidths) close(expectedHalfWidth(c), c.halfWidth)
    for (const c of planner.grid) close(expectedHalfWidth({ ...c, n: c.n }), c.halfWidthAtN)
  })

  it('[S5] a 50% finding needs 385 reviews for +/-5% at 95%, fewer than Wald says (385)', () => {
    // Wald: 1.96^2 x 0.25 / 0.05^2 = 384.1 -> 385; Wilson at p = 0.5 is slightly narrower.
    expect(plannedSampleSize({ expected: 0.5, halfWidth: 0.05 })).toBe(381)
  })

  it('[S5] rejects a proportion outside [0, 1] and a half-width outside (0, 1)', () => {
    expect(() => plannedSampleSize({ expected: 1.2, halfWidth: 0.05 })).toThrow(StatsInputError)
    expect(() => plannedSampleSize({ expected: 0.2, halfWidth: 0 })).toThrow(StatsInputError)
    expect(() => expectedHalfWidth({ expected: 0.2, n: 0 })).toThrow(StatsInputError)
  })
})
