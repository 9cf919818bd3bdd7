import { describe, expect, it } from 'vitest'
import {
  mean,
  median,
  quantile,
  quantiles,
  sampleSd,
  smdBinary,
  smdContinuous,
} from './descriptives.ts'
import { StatsInputError, UndefinedStatisticError } from './errors.ts'
import golden from './golden/descriptives.json' with { type: 'json' }

const close = (actual: number, expected: number, tolerance = 1e-12): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(
    tolerance * Math.max(1, Math.abs(expected)),
  )
}

describe('mean, sd, quantiles', () => {
  it('[S17] mean, sample SD and type-7 quantiles match numpy', () => {
    for (const c of golden.cases) {
      close(mean(c.values), c.mean)
      if (c.sd !== null) close(sampleSd(c.values), c.sd)
      quantiles(c.values, c.qs).forEach((q, i) => close(q, c.quantiles[i]!))
    }
  })

  it('[S17] hand-worked values', () => {
    expect(mean([2, 4, 4, 4, 5, 5, 7, 9])).toBe(5)
    expect(sampleSd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 14)
    // type 7: position (n - 1) q = 3 x 0.25 = 0.75 between 10 and 20
    expect(quantile([40, 10, 30, 20], 0.25)).toBe(17.5)
    expect(median([3, 1, 2])).toBe(2)
  })

  it('[S17] empty input, one value for an SD, NaN and a level outside [0, 1] throw', () => {
    expect(() => mean([])).toThrow(UndefinedStatisticError)
    expect(() => sampleSd([1])).toThrow('sample SD undefined: fewer than 2 values')
    expect(() => mean([1, Number.NaN])).toThrow(StatsInputError)
    expect(() => quantile([1, 2], 1.5)).toThrow(StatsInputError)
  })
})

describe('standardised differences', () => {
  it('[S18] smdContinuous matches the hand formula', () => {
    for (const c of golden.smdContinuous) close(smdContinuous(c.a, c.b), c.smd)
    // means 2 and 3, both SDs 1: (2 - 3) / 1
    expect(smdContinuous([1, 2, 3], [2, 3, 4])).toBe(-1)
  })

  it('[S18] smdBinary matches the hand formula (Austin 2009)', () => {
    for (const c of golden.smdBinary) close(smdBinary(c.p1, c.p2), c.smd)
    // (0.5 - 0.3) / sqrt((0.25 + 0.21) / 2)
    close(smdBinary(0.5, 0.3), 0.2 / Math.sqrt(0.23))
  })

  it('[S18] a zero denominator gives 0 for equal means, +/-Infinity otherwise', () => {
    expect(smdBinary(0, 0)).toBe(0)
    expect(smdBinary(1, 1)).toBe(0)
    expect(smdBinary(1, 0)).toBe(Infinity)
    expect(smdContinuous([5, 5], [5, 5])).toBe(0)
    expect(smdContinuous([4, 4], [5, 5])).toBe(-Infinity)
    expect(() => smdBinary(1.1, 0)).toThrow(StatsInputError)
    expect(() => smdContinuous([1], [1, 2])).toThrow(UndefinedStatisticError)
  })
})
