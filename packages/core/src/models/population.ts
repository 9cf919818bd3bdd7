import { createRng } from '../random.ts'
import { UndefinedStatisticError } from '../stats/errors.ts'
import { byStratum, stratifiedBootstrap, weightedAuc, weightedMean } from '../stats/weighted.ts'

/** A film of a designed sample scored by a model, with the reader's truth and its weight. */
export interface WeightedScored {
  readonly stratum: string
  /** The reader's verdict as 1 (present) or 0 (absent). */
  readonly truth: number
  readonly score: number
  readonly weight: number
}

export interface WeightedFigure {
  readonly value: number | null
  readonly low: number | null
  readonly high: number | null
}

/** A model against a reader, reweighted to the population a designed audit was drawn from [M48]. */
export interface ModelPopulationFigures {
  readonly auc: WeightedFigure
  /** At `threshold` (score >= threshold is positive); null without a threshold. */
  readonly sensitivity: WeightedFigure
  readonly specificity: WeightedFigure
  readonly threshold: number | null
  /** The sum of the weights: the films the sample stands for. */
  readonly estimatedFilms: number
}

const NONE: WeightedFigure = { value: null, low: null, high: null }

function byThreshold(items: readonly WeightedScored[], truth: number, t: number): number {
  const x: number[] = []
  const w: number[] = []
  for (const j of items) {
    if (j.truth !== truth) continue
    x.push(j.score >= t === (truth === 1) ? 1 : 0)
    w.push(j.weight)
  }
  return weightedMean(x, w)
}

/**
 * The model's weighted AUC (Mann-Whitney with weights, = sklearn roc_auc_score with
 * sample_weight) and its weighted sensitivity and specificity at `threshold`, each with a
 * stratified percentile bootstrap interval (one generator per figure, `${seed}:${figure}`)
 * [M48]. An undefined figure (no weighted positives or negatives) is null.
 */
export function modelPopulationFigures(
  items: readonly WeightedScored[],
  threshold: number | null,
  o: { readonly seed: number | string; readonly replicates: number; readonly confidence?: number },
): ModelPopulationFigures {
  const groups = byStratum(items)
  const one = (name: string, stat: (s: readonly WeightedScored[]) => number): WeightedFigure => {
    try {
      const r = stratifiedBootstrap(groups, stat, {
        rng: createRng(`${o.seed}:${name}`),
        replicates: o.replicates,
        ...(o.confidence === undefined ? {} : { confidence: o.confidence }),
      })
      return { value: r.estimate, low: r.low, high: r.high }
    } catch (e) {
      if (e instanceof UndefinedStatisticError) return NONE
      throw e
    }
  }
  const auc = one('auc', (s) =>
    weightedAuc(
      s.map((j) => j.truth),
      s.map((j) => j.score),
      s.map((j) => j.weight),
    ),
  )
  return {
    auc,
    sensitivity:
      threshold === null ? NONE : one('sensitivity', (s) => byThreshold(s, 1, threshold)),
    specificity:
      threshold === null ? NONE : one('specificity', (s) => byThreshold(s, 0, threshold)),
    threshold,
    estimatedFilms: items.reduce((s, j) => s + j.weight, 0),
  }
}
