import { describe, expect, it } from 'vitest'
import { auc, delong, placements } from './auc.ts'
import { StatsInputError, UndefinedAucError } from './errors.ts'
import proc from './golden/auc-delong-proc.json' with { type: 'json' }
import shared from './golden/auc-delong.json' with { type: 'json' }

const close = (actual: number, expected: number, tolerance = 1e-9): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance)
}

describe('auc', () => {
  it('[S10] auc matches sklearn roc_auc_score to 1e-12, ties counted one half', () => {
    for (const c of shared.cases) {
      close(auc(c.y, c.score), c.auc, 1e-12)
      close(auc(c.y, c.score2), c.auc2, 1e-12)
    }
  })

  it('[S10] auc matches pROC on the tied, tiny and backwards cases', () => {
    for (const c of proc.cases) close(auc(c.y, c.score), c.auc, 1e-12)
  })

  it('[S10] hand-worked: one tie between classes counts one half', () => {
    // pairs (pos, neg): (0.8>0.1) (0.8>0.4) (0.4=0.4 -> 1/2) (0.4>0.1) -> 3.5 / 4
    expect(auc([0, 0, 1, 1], [0.1, 0.4, 0.4, 0.8])).toBe(0.875)
    expect(auc(new Uint8Array([1, 0]), new Float64Array([0.3, 0.3]))).toBe(0.5)
  })

  it('[S10] an undefined AUC throws a typed error with a reportable message, never NaN', () => {
    expect(() => auc([0, 0, 0], [0.1, 0.2, 0.3])).toThrow('AUC undefined: no positives')
    expect(() => auc([1, 1], [0.1, 0.2])).toThrow('AUC undefined: no negatives')
    try {
      auc([], [])
    } catch (error) {
      expect(error).toBeInstanceOf(UndefinedAucError)
      expect((error as UndefinedAucError).reason).toBe('no-positives')
    }
  })

  it('[S10] labels other than 0/1, NaN scores and length mismatches are input errors', () => {
    expect(() => auc([0, 2], [0.1, 0.2])).toThrow(StatsInputError)
    expect(() => auc([0, 1], [0.1, Number.NaN])).toThrow(StatsInputError)
    expect(() => auc([0, 1], [0.1])).toThrow(StatsInputError)
  })

  it('[S10] does not reorder the caller arrays', () => {
    const scores = new Float64Array([0.9, 0.1, 0.5, 0.3])
    auc([1, 0, 1, 0], scores)
    expect(Array.from(scores)).toEqual([0.9, 0.1, 0.5, 0.3])
  })
})

describe('delong', () => {
  it('[S11] delong variance and interval match pROC on the shared cases', () => {
    for (const c of shared.cases) {
      const result = delong(c.y, c.score)
      close(result.auc, c.delong.auc)
      close(result.variance, c.delong.variance)
      close(result.low, c.delong.aucLow)
      close(result.high, c.delong.aucHigh)
    }
  })

  it('[S11] delong matches pROC on ties, 2 positives, AUC < 0.5 and a 90% interval', () => {
    for (const c of proc.cases) {
      const result = delong(c.y, c.score, c.confidence)
      close(result.variance, c.delong.variance)
      close(result.low, c.delong.aucLow)
      close(result.high, c.delong.aucHigh)
    }
  })

  it('[S11] AUC = 1 gives variance 0 and the interval [1, 1], as pROC', () => {
    const perfect = shared.cases.find((c) => c.auc === 1)
    expect(perfect).toBeDefined()
    if (perfect)
      expect(delong(perfect.y, perfect.score)).toEqual({ auc: 1, variance: 0, low: 1, high: 1 })
  })

  it('[S11] fewer than 2 positives or negatives: the variance is undefined and says so', () => {
    expect(() => delong([1, 0, 0], [0.9, 0.1, 0.2])).toThrow(
      'AUC variance undefined: fewer than 2 positives',
    )
    expect(() => delong([1, 1, 0], [0.9, 0.1, 0.2])).toThrow(UndefinedAucError)
  })

  it('[S11] placements average to the AUC from both sides', () => {
    const c = shared.cases[1]
    if (!c) throw new Error('missing case')
    const v = placements(c.y, c.score)
    const meanOf = (a: Float64Array): number => a.reduce((s, x) => s + x, 0) / a.length
    close(meanOf(v.positives), c.auc, 1e-12)
    close(meanOf(v.negatives), c.auc, 1e-12)
  })

  it('[S11] agrees with the pairwise Mann-Whitney definition on many tied cases', () => {
    // speed is measured in bench/auc.bench.ts; here the fast midrank path must equal the
    // O(n^2) definition, ties counting one half
    const n = 3000
    const labels = new Uint8Array(n)
    const scores = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      labels[i] = i % 7 === 0 ? 1 : 0
      scores[i] = ((i * 2654435761) % 100) / 100 + labels[i]! * 0.2
    }
    let wins = 0
    let pairs = 0
    for (let i = 0; i < n; i++) {
      if (labels[i] !== 1) continue
      for (let j = 0; j < n; j++) {
        if (labels[j] !== 0) continue
        pairs++
        wins += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0
      }
    }
    expect(Math.abs(delong(labels, scores).auc - wins / pairs)).toBeLessThan(1e-12)
  })
})
