import { describe, expect, it } from 'vitest'
import golden from '../stats/golden/population.json' with { type: 'json' }
import type { Verdict } from '../verdict.ts'
import {
  POPULATION_FIGURES,
  analysisWeight,
  populationEstimates,
  populationFigure,
  type WeightedJudged,
} from './population.ts'

const items = (c: (typeof golden.proportions)[number]): WeightedJudged[] =>
  c.items.map((j) => ({ ...j, verdict: j.verdict as Verdict }))

describe('population estimates of a designed sample', () => {
  it.each(golden.proportions)(
    '[L26] each figure equals statsmodels DescrStatsW on the same weights: $name',
    (c) => {
      for (const f of POPULATION_FIGURES)
        expect(populationFigure(items(c), f)).toBeCloseTo(c.figures[f], 14)
    },
  )

  it('[L26] the analysis weight is 1/inclusion scaled by drawn/judged', () => {
    // 10 of 1,000 drawn (inclusion 0.01), 8 judged: each judged film stands for 125
    expect(analysisWeight(0.01, 10, 8)).toBeCloseTo(125, 12)
  })

  it('[L27] intervals from a seeded stratified bootstrap around the estimate; same seed, same numbers', () => {
    const c = golden.proportions[0]!
    const a = populationEstimates(items(c), { seed: 11, replicates: 400 })
    const b = populationEstimates(items(c), { seed: 11, replicates: 400 })
    expect(a).toEqual(b)
    for (const f of POPULATION_FIGURES) {
      const e = a[f]
      expect(e.value).toBeCloseTo(c.figures[f], 14)
      expect(e.low!).toBeLessThanOrEqual(e.value!)
      expect(e.high!).toBeGreaterThanOrEqual(e.value!)
    }
    expect(a.estimatedFilms).toBeCloseTo(c.estimatedFilms, 6)
    expect(a.notSampled).toEqual([])
  })

  it('[L27] without labelled negatives, only the PPV is estimated ("not sampled")', () => {
    const c = golden.proportions[0]!
    const positives = items(c).filter((j) => j.label === 1)
    const e = populationEstimates(positives, { seed: 1, replicates: 50 })
    expect(e.notSampled).toEqual(['negatives'])
    expect(e.ppv.value).toBeCloseTo(c.figures.ppv, 14)
    for (const f of ['prevalence', 'sensitivity', 'specificity', 'npv'] as const)
      expect(e[f]).toEqual({ value: null, low: null, high: null })
  })
})
