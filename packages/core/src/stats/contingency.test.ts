import { describe, expect, it } from 'vitest'
import { chiSquareHomogeneity, fisherExact2x2 } from './contingency.ts'
import { StatsInputError, UndefinedStatisticError } from './errors.ts'
import golden from './golden/contingency.json' with { type: 'json' }

const close = (actual: number, expected: number): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9)
}

describe('chiSquareHomogeneity', () => {
  it('[S20] matches scipy chi2_contingency(correction=False), df = 0 tables included', () => {
    for (const c of golden.chiSquare) {
      const result = chiSquareHomogeneity(c.table)
      close(result.statistic, c.statistic)
      expect(result.df).toBe(c.df)
      close(result.p, c.p)
    }
  })

  it('[S20] hand-worked 2 x 2: [[10, 20], [30, 40]]', () => {
    // E = [[12, 18], [28, 42]]; sum (O - E)^2 / E = 4/12 + 4/18 + 4/28 + 4/42 = 0.79365...
    close(
      chiSquareHomogeneity([
        [10, 20],
        [30, 40],
      ]).statistic,
      4 / 12 + 4 / 18 + 4 / 28 + 4 / 42,
    )
  })

  it('[S20] a zero row or column total throws; ragged tables are input errors', () => {
    expect(() =>
      chiSquareHomogeneity([
        [0, 0],
        [1, 2],
      ]),
    ).toThrow(UndefinedStatisticError)
    expect(() => chiSquareHomogeneity([[1, 2], [3]])).toThrow(StatsInputError)
    expect(() => chiSquareHomogeneity([[1, -2]])).toThrow(StatsInputError)
  })
})

describe('fisherExact2x2', () => {
  it('[S21] matches scipy fisher_exact two-sided, odds ratio included', () => {
    for (const c of golden.fisher) {
      const result = fisherExact2x2(c.table)
      close(result.p, c.p)
      if (c.oddsRatio === null) expect(result.oddsRatio).toBeNaN()
      else if (c.oddsRatio === 'Infinity') expect(result.oddsRatio).toBe(Infinity)
      else close(result.oddsRatio, c.oddsRatio as number)
    }
  })

  it('[S21] hand-worked: the tea-tasting table [[3, 1], [1, 3]] has p = 34/70', () => {
    // P(x) for x = 0..4: 1, 16, 36, 16, 1 over 70; tables no likelier than x = 3: 1 + 16 + 16 + 1
    close(
      fisherExact2x2([
        [3, 1],
        [1, 3],
      ]).p,
      34 / 70,
    )
  })

  it('[S21] needs a 2 x 2 table of counts', () => {
    expect(() =>
      fisherExact2x2([
        [1, 2, 3],
        [1, 2, 3],
      ]),
    ).toThrow(StatsInputError)
    expect(() => fisherExact2x2([[1, 2]])).toThrow(StatsInputError)
    expect(() =>
      fisherExact2x2([
        [1, 2],
        [0.5, 1],
      ]),
    ).toThrow(StatsInputError)
  })
})
