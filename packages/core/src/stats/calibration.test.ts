import { describe, expect, it } from 'vitest'
import { brierScore, reliabilityBins } from './calibration.ts'
import { StatsInputError, UndefinedStatisticError } from './errors.ts'
import golden from './golden/curves.json' with { type: 'json' }

describe('brierScore', () => {
  it('[S19] matches sklearn brier_score_loss', () => {
    for (const c of golden.cases) {
      expect(Math.abs(brierScore(c.y, c.score) - c.brier)).toBeLessThan(1e-12)
    }
  })

  it('[S19] needs probabilities and at least one case', () => {
    expect(brierScore([1, 0], [1, 0])).toBe(0)
    expect(() => brierScore([1], [1.2])).toThrow(StatsInputError)
    expect(() => brierScore([], [])).toThrow(UndefinedStatisticError)
  })
})

describe('reliabilityBins', () => {
  it('[S19] non-empty bins match sklearn calibration_curve(strategy=uniform), counts too', () => {
    for (const c of golden.cases) {
      for (const [bins, expected] of Object.entries(c.calibration)) {
        const result = reliabilityBins(c.y, c.score, Number(bins))
        expect(result.map((b) => b.count)).toEqual(expected.counts)
        const filled = result.filter((b) => b.count > 0)
        filled.forEach((bin, i) => {
          expect(Math.abs((bin.meanPredicted ?? NaN) - expected.probPred[i]!)).toBeLessThan(1e-12)
          expect(Math.abs((bin.observedFraction ?? NaN) - expected.probTrue[i]!)).toBeLessThan(
            1e-12,
          )
        })
      }
    }
  })

  it('[S19] a score on an edge goes to the lower bin; 0 to the first; empty bins are null', () => {
    const bins = reliabilityBins([0, 1, 1, 0], [0, 0.5, 1, 0.2], 5)
    expect(bins.map((b) => b.count)).toEqual([2, 0, 1, 0, 1])
    expect(bins[1]).toEqual({
      low: 0.2,
      high: 0.4,
      count: 0,
      meanPredicted: null,
      observedFraction: null,
    })
    expect(bins[4]?.high).toBe(1)
  })

  it('[S19] rejects a bad bin count', () => {
    expect(() => reliabilityBins([1], [0.5], 0)).toThrow(StatsInputError)
  })
})
