import { createRng } from '../random.ts'
import { byStratum, stratifiedBootstrap, weightedMean } from '../stats/weighted.ts'
import { UndefinedStatisticError } from '../stats/errors.ts'
import type { Verdict } from '../verdict.ts'

/** One judged film of a designed sample, with its analysis weight [L26]. */
export interface WeightedJudged {
  /** The design stratum (e.g. `positive` / `negative`): the bootstrap resamples within it. */
  readonly stratum: string
  /** The original label the film was drawn with: 1 or 0. */
  readonly label: number
  readonly verdict: Verdict
  /** 1 / inclusion probability, adjusted for the stratum's unjudged films [L26]. */
  readonly weight: number
}

/**
 * A film's analysis weight [L26]: the inverse of its inclusion probability (Horvitz-Thompson),
 * times drawn / judged in its stratum, so the judged films stand for the stratum's unjudged ones
 * (unfinished pages, unusable films) and each stratum's weights still add up to its size.
 */
export function analysisWeight(inclusion: number, drawn: number, judged: number): number {
  return drawn / judged / inclusion
}

export const POPULATION_FIGURES = [
  'prevalence',
  'sensitivity',
  'specificity',
  'ppv',
  'npv',
] as const
export type PopulationFigure = (typeof POPULATION_FIGURES)[number]

/** Which films each figure is a weighted proportion of, and which of them count as successes. */
const FIGURES: Record<
  PopulationFigure,
  { of: (j: WeightedJudged) => boolean; yes: (j: WeightedJudged) => boolean }
> = {
  // uncertain verdicts have no truth: out of prevalence, sensitivity and specificity, as [L4]
  prevalence: { of: (j) => j.verdict !== 'uncertain', yes: (j) => j.verdict === 'present' },
  sensitivity: { of: (j) => j.verdict === 'present', yes: (j) => j.label === 1 },
  specificity: { of: (j) => j.verdict === 'absent', yes: (j) => j.label === 0 },
  // strict, as the plain PPV and NPV: an uncertain verdict does not confirm the label
  ppv: { of: (j) => j.label === 1, yes: (j) => j.verdict === 'present' },
  npv: { of: (j) => j.label === 0, yes: (j) => j.verdict === 'absent' },
}

/**
 * One population figure as a weighted proportion [L26]: over the films `of` selects, the weighted
 * share `yes` selects (statsmodels `DescrStatsW(x, weights=w).mean`). Throws
 * UndefinedStatisticError when those films carry no weight.
 */
export function populationFigure(
  items: readonly WeightedJudged[],
  figure: PopulationFigure,
): number {
  const { of, yes } = FIGURES[figure]
  const x: number[] = []
  const w: number[] = []
  for (const j of items) {
    if (!of(j)) continue
    x.push(yes(j) ? 1 : 0)
    w.push(j.weight)
  }
  return weightedMean(x, w)
}

export interface PopulationEstimate {
  readonly value: number | null
  readonly low: number | null
  readonly high: number | null
}

export interface PopulationEstimates {
  readonly prevalence: PopulationEstimate
  readonly sensitivity: PopulationEstimate
  readonly specificity: PopulationEstimate
  readonly ppv: PopulationEstimate
  readonly npv: PopulationEstimate
  /** The estimated number of films the sample stands for: the sum of the weights. */
  readonly estimatedFilms: number
  /** Strata without a judged film, as [L23]: their figures are null. */
  readonly notSampled: readonly ('positives' | 'negatives')[]
}

export interface PopulationOptions {
  readonly seed: number | string
  readonly replicates: number
  readonly confidence?: number
}

const NONE: PopulationEstimate = { value: null, low: null, high: null }

/**
 * The population estimates of a designed sample [L26]-[L27]: prevalence by the reader,
 * sensitivity and specificity of the original labels, PPV and NPV, each a weighted proportion
 * with a stratified percentile bootstrap interval (resampling within the strata; one generator
 * per figure, `createRng(`${seed}:${figure}`)`, so a figure does not depend on the others).
 * Without judged labelled negatives (or positives), prevalence, sensitivity and specificity are
 * null ("not sampled"), as are NPV (or PPV).
 */
export function populationEstimates(
  items: readonly WeightedJudged[],
  o: PopulationOptions,
): PopulationEstimates {
  const groups = byStratum(items)
  const hasPositives = items.some((j) => j.label === 1)
  const hasNegatives = items.some((j) => j.label === 0)
  const notSampled = [
    ...(hasPositives ? [] : (['positives'] as const)),
    ...(hasNegatives ? [] : (['negatives'] as const)),
  ]
  const needs: Record<PopulationFigure, boolean> = {
    prevalence: hasPositives && hasNegatives,
    sensitivity: hasPositives && hasNegatives,
    specificity: hasPositives && hasNegatives,
    ppv: hasPositives,
    npv: hasNegatives,
  }
  const one = (figure: PopulationFigure): PopulationEstimate => {
    if (!needs[figure]) return NONE
    try {
      const r = stratifiedBootstrap(groups, (s) => populationFigure(s, figure), {
        rng: createRng(`${o.seed}:${figure}`),
        replicates: o.replicates,
        ...(o.confidence === undefined ? {} : { confidence: o.confidence }),
      })
      return { value: r.estimate, low: r.low, high: r.high }
    } catch (e) {
      if (e instanceof UndefinedStatisticError) return NONE
      throw e
    }
  }
  return {
    prevalence: one('prevalence'),
    sensitivity: one('sensitivity'),
    specificity: one('specificity'),
    ppv: one('ppv'),
    npv: one('npv'),
    estimatedFilms: items.reduce((s, j) => s + j.weight, 0),
    notSampled,
  }
}
