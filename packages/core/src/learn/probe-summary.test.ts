import { describe, expect, it } from 'vitest'
import { delong } from '../stats/index.ts'
import type { CrossValidationResult, FoldReport } from './cross-validate.ts'
import { summariseProbe } from './probe-summary.ts'

const fold = (k: number, converged = true, trainAuc = 1): FoldReport => ({
  fold: k,
  train: 8,
  test: 2,
  trainPositives: 4,
  testPositives: 1,
  iterations: 10,
  converged,
  trainAuc,
  testAuc: null,
})

const result = (scores: number[], folds: FoldReport[], trainAuc = 1): CrossValidationResult => ({
  scores: Float64Array.from(scores),
  auc: NaN, // summariseProbe computes its own, with the interval
  trainAuc,
  folds,
})

describe('summariseProbe', () => {
  const labels = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 1]

  it('[PR3] out-of-fold AUC and DeLong interval over the scored rows; the memorisation gap', () => {
    // the last two rows were in no fold (NaN): left out
    const scores = [0.1, 0.4, 0.35, 0.8, 0.2, 0.7, 0.9, 0.3, 0.65, 0.6, NaN, NaN]
    const s = summariseProbe(labels, result(scores, [fold(0), fold(1)], 0.97), false)
    const d = delong(labels.slice(0, 10), scores.slice(0, 10))
    expect(s.auc).toBe(d.auc)
    expect(s.aucLow).toBe(d.low)
    expect(s.aucHigh).toBe(d.high)
    // positives above negatives: 0.7 beats 4, 0.9 all 5, 0.3 two, 0.65 and 0.6 four each
    expect(s.auc).toBe(19 / 25)
    expect(s.trainAuc).toBe(0.97)
    expect(s.memorisationGap).toBeCloseTo(0.97 - 0.76, 12)
    expect(s.warning).toBeNull()
  })

  it('[PR4] a shuffled null whose interval excludes 0.5 is named in the warning; one that covers 0.5 is not', () => {
    const perfect = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.05, 0.99]
    const leak = summariseProbe(labels, result(perfect, [fold(0)]), true)
    expect(leak.aucLow).toBeGreaterThan(0.5)
    expect(leak.warning).toMatch(
      /^the shuffled-label null scored AUC 1\.000 \(95% CI 1\.000-1\.000\), whose interval excludes 0\.5/,
    )
    // the same scores of a real probe are a finding, not a warning
    expect(summariseProbe(labels, result(perfect, [fold(0)]), false).warning).toBeNull()
    const chance = [0.5, 0.1, 0.9, 0.3, 0.7, 0.6, 0.2, 0.8, 0.4, 0.55, 0.45, 0.35]
    const fine = summariseProbe(labels, result(chance, [fold(0)]), true)
    expect(fine.aucLow).toBeLessThan(0.5)
    expect(fine.aucHigh).toBeGreaterThan(0.5)
    expect(fine.warning).toBeNull()
  })

  it('[PR3] folds whose L-BFGS did not converge are named', () => {
    const scores = [0.1, 0.4, 0.35, 0.8, 0.2, 0.7, 0.9, 0.3, 0.65, 0.6, 0.5, 0.5]
    const s = summariseProbe(
      labels,
      result(scores, [fold(0), fold(1, false), fold(2, false)]),
      false,
    )
    expect(s.unconverged).toEqual([1, 2])
    expect(s.warning).toBe('L-BFGS did not reach its tolerance in folds 1, 2')
  })
})
