import { describe, expect, it } from 'vitest'
import { createRng } from '../random.ts'
import { auc } from './auc.ts'
import { StatsInputError, UndefinedAucError, UndefinedStatisticError } from './errors.ts'
import { stratifiedBootstrap, weightedAuc, weightedMean } from './weighted.ts'
import golden from './golden/population.json' with { type: 'json' }

describe('weighted statistics', () => {
  it.each(golden.auc)(
    '[S23] weighted AUC equals sklearn roc_auc_score(sample_weight): $name',
    (c) => {
      expect(weightedAuc(c.labels, c.scores, c.weights)).toBeCloseTo(c.auc, 13)
    },
  )

  it('[S23] equal weights give the plain Mann-Whitney AUC', () => {
    const c = golden.auc[1]!
    const ones = c.labels.map(() => 1)
    expect(weightedAuc(c.labels, c.scores, ones)).toBeCloseTo(auc(c.labels, c.scores), 14)
  })

  it('[S23] no weighted positives or negatives is undefined; a negative weight is bad input', () => {
    expect(() => weightedAuc([1, 0], [0.2, 0.1], [0, 1])).toThrow(UndefinedAucError)
    expect(() => weightedAuc([1, 0], [0.2, 0.1], [1, 0])).toThrow(UndefinedAucError)
    expect(() => weightedAuc([1, 0], [0.2, 0.1], [1, -1])).toThrow(StatsInputError)
    expect(() => weightedAuc([1, 2], [0.2, 0.1], [1, 1])).toThrow(StatsInputError)
  })

  it('[S22] a weighted mean of 0/1 equals statsmodels DescrStatsW(...).mean', () => {
    // the proportion cases hold DescrStatsW means over subsets; one subset checked here
    const c = golden.proportions[0]!
    const ppv = c.items.filter((j) => j.label === 1)
    const x = ppv.map((j) => (j.verdict === 'present' ? 1 : 0))
    expect(
      weightedMean(
        x,
        ppv.map((j) => j.weight),
      ),
    ).toBeCloseTo(c.figures.ppv, 14)
    expect(() => weightedMean([1], [0])).toThrow(UndefinedStatisticError)
  })

  it('[S24] the stratified bootstrap keeps each stratum size and is reproducible by seed', () => {
    const strata = [
      [1, 1, 1, 1],
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
    ]
    const sizes: number[] = []
    const stat = (s: readonly number[]): number => {
      sizes.push(s.length)
      return s.reduce((a, b) => a + b, 0) / s.length
    }
    const a = stratifiedBootstrap(strata, stat, { rng: createRng(5), replicates: 300 })
    const b = stratifiedBootstrap(strata, stat, { rng: createRng(5), replicates: 300 })
    expect(a).toEqual(b)
    expect(new Set(sizes)).toEqual(new Set([16]))
    // the first stratum is always all ones: the mean is at least 4/16
    expect(a.low).toBeGreaterThanOrEqual(4 / 16)
    expect(a.low).toBeLessThanOrEqual(a.estimate)
    expect(a.high).toBeGreaterThanOrEqual(a.estimate)
    expect(a.replicates + a.undefinedReplicates).toBe(300)
  })
})
