import { describe, expect, it } from 'vitest'
import { StatsInputError, UndefinedStatisticError } from './errors.ts'
import extra from './golden/kappa-extra.json' with { type: 'json' }
import shared from './golden/kappa.json' with { type: 'json' }
import { cohenKappa, fleissKappa, percentAgreement } from './kappa.ts'

const close = (actual: number, expected: number): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9)
}

describe('cohenKappa', () => {
  it('[S6] cohen kappa matches sklearn on the shared cases', () => {
    for (const c of shared.cohen) close(cohenKappa(c.a, c.b), c.cohenKappa)
  })

  it('[S6] cohen kappa matches sklearn on random and edge cases; NaN there throws here', () => {
    for (const c of extra.cohen) {
      if (c.cohenKappa === null) {
        // sklearn returns NaN when both readers used one category throughout (p_e = 1)
        expect(() => cohenKappa(c.a, c.b)).toThrow(UndefinedStatisticError)
      } else close(cohenKappa(c.a, c.b), c.cohenKappa)
    }
  })

  it('[S6] perfect disagreement on two categories is -1, perfect agreement 1', () => {
    expect(cohenKappa(['present', 'absent'], ['absent', 'present'])).toBe(-1)
    expect(cohenKappa(['present', 'absent', 'uncertain'], ['present', 'absent', 'uncertain'])).toBe(
      1,
    )
  })

  it('[S6] listed categories nobody used change nothing; unlisted values are input errors', () => {
    const a = ['present', 'absent', 'absent', 'present']
    const b = ['present', 'absent', 'present', 'present']
    expect(cohenKappa(a, b, ['present', 'absent', 'uncertain'])).toBe(cohenKappa(a, b))
    expect(() => cohenKappa(a, b, ['present'])).toThrow(StatsInputError)
  })

  it('[S6] no items, or lengths that differ, throw', () => {
    expect(() => cohenKappa([], [])).toThrow(UndefinedStatisticError)
    expect(() => cohenKappa(['present'], [])).toThrow(StatsInputError)
  })
})

describe('fleissKappa', () => {
  it('[S7] fleiss kappa matches statsmodels on the shared cases', () => {
    for (const c of shared.fleiss) close(fleissKappa(c.counts), c.fleissKappa)
  })

  it('[S7] fleiss kappa matches statsmodels on random equal-reader tables', () => {
    for (const c of extra.fleiss) {
      if (c.fleissKappa === null)
        expect(() => fleissKappa(c.counts)).toThrow(UndefinedStatisticError)
      else close(fleissKappa(c.counts), c.fleissKappa)
    }
  })

  it('[S7] varying reads per item follow the documented generalisation', () => {
    for (const c of extra.fleissVarying) close(fleissKappa(c.counts), c.fleissKappa)
  })

  it('[S7] an item read once is dropped entirely, not counted in p_j', () => {
    const kept = [
      [2, 0],
      [1, 1],
      [0, 3],
    ]
    expect(fleissKappa([...kept, [1, 0], [0, 1]])).toBe(fleissKappa(kept))
  })

  it('[S7] with two readers per item it is Scott-like: hand-worked value', () => {
    // P_bar = (1 + 0 + 1) / 3 = 2/3; p = (3/6, 3/6); P_e = 1/2; kappa = (2/3 - 1/2) / (1/2) = 1/3
    close(
      fleissKappa([
        [2, 0],
        [1, 1],
        [0, 2],
      ]),
      1 / 3,
    )
  })

  it('[S7] undefined and bad tables throw', () => {
    expect(() =>
      fleissKappa([
        [1, 0],
        [0, 1],
      ]),
    ).toThrow(UndefinedStatisticError)
    expect(() => fleissKappa([])).toThrow(UndefinedStatisticError)
    expect(() =>
      fleissKappa([
        [3, 0],
        [3, 0],
      ]),
    ).toThrow('every read is in one category')
    expect(() => fleissKappa([[1, 2], [3]])).toThrow(StatsInputError)
    expect(() => fleissKappa([[1, -1]])).toThrow(StatsInputError)
    expect(() => fleissKappa([[1.5, 1]])).toThrow(StatsInputError)
  })
})

describe('percentAgreement', () => {
  it('[S8] is the fraction of items with the same verdict', () => {
    expect(
      percentAgreement(
        ['present', 'absent', 'uncertain', 'absent'],
        ['present', 'present', 'uncertain', 'absent'],
      ),
    ).toBe(0.75)
    expect(() => percentAgreement([], [])).toThrow(UndefinedStatisticError)
  })
})
