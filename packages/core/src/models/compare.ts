import {
  auc,
  bootstrapInterval,
  createRng,
  UndefinedStatisticError,
  type Seed,
} from '../stats/index.ts'
import type { MissingReason } from './evaluate.ts'
import { clusterMembers } from './patient-bootstrap.ts'

export const DEFAULT_COMPARE_REPLICATES = 1000

/** How AUC against a reader and AUC against the original labels are compared [M16]. */
export const COMPARE_METHOD =
  'paired percentile bootstrap over images: the same resampled images give both AUCs (reader labels and original labels, same scores); 95% interval of AUC(reader) - AUC(original)'

/** The same comparison with `--cluster patient`: patients are resampled, not films [M50]. */
export const COMPARE_METHOD_PATIENTS =
  'paired percentile bootstrap over patients: patients drawn with replacement (seeded) with all their films, both AUCs (reader labels and original labels, same scores) on the same resampled films; 95% interval of AUC(reader) - AUC(original)'

/** AUC against the reader minus AUC against the original labels, on the same images [M16]. */
export interface LabelComparison {
  readonly method: string
  readonly difference: number | null
  readonly low: number | null
  readonly high: number | null
  /** Resamples on which both AUCs were defined. */
  readonly replicates: number
  readonly undefinedReplicates: number
  readonly seed: string
  /** The interval excludes 0. */
  readonly significant: boolean | null
  readonly reason?: MissingReason
}

/**
 * Compares one model's AUC under two labelings of the same images [M16]. DeLong's paired test
 * needs one truth and two scores; here it is one score and two truths, so the difference is
 * bootstrapped instead: images are resampled with replacement (seeded), both AUCs computed on
 * each resample, and the 2.5% and 97.5% quantiles of the differences give the interval
 * (Efron & Tibshirani 1993, ch. 13).
 */
export function compareLabelings(
  readerLabels: ArrayLike<number>,
  originalLabels: ArrayLike<number>,
  scores: ArrayLike<number>,
  options: { seed: Seed; replicates?: number; clusters?: readonly (string | number)[] },
): LabelComparison {
  const replicates = options.replicates ?? DEFAULT_COMPARE_REPLICATES
  const base = {
    method: options.clusters === undefined ? COMPARE_METHOD : COMPARE_METHOD_PATIENTS,
    seed: String(options.seed),
  }
  const n = scores.length
  let a = new Uint8Array(n)
  let b = new Uint8Array(n)
  let s = new Float64Array(n)
  const statistic = (sample: readonly number[]): number => {
    const k = sample.length
    const la = a.length === k ? a : a.subarray(0, k)
    const lb = b.length === k ? b : b.subarray(0, k)
    const ss = s.length === k ? s : s.subarray(0, k)
    for (let j = 0; j < k; j++) {
      const i = sample[j] as number
      la[j] = readerLabels[i] as number
      lb[j] = originalLabels[i] as number
      ss[j] = scores[i] as number
    }
    return auc(la, ss) - auc(lb, ss)
  }
  // with clusters, the items are patients and a resample is the films of the drawn patients
  const films: number[] = []
  const patientStatistic = (sample: readonly Int32Array[]): number => {
    films.length = 0
    for (const m of sample) for (const i of m) films.push(i)
    if (films.length > a.length) {
      a = new Uint8Array(films.length)
      b = new Uint8Array(films.length)
      s = new Float64Array(films.length)
    }
    return statistic(films)
  }
  const rng = createRng(options.seed)
  try {
    const r =
      options.clusters === undefined
        ? bootstrapInterval(
            Array.from({ length: n }, (_, i) => i),
            statistic,
            { rng, replicates },
          )
        : bootstrapInterval(clusterMembers(options.clusters), patientStatistic, {
            rng,
            replicates,
          })
    return {
      ...base,
      difference: r.estimate,
      low: r.low,
      high: r.high,
      replicates: r.replicates,
      undefinedReplicates: r.undefinedReplicates,
      significant: r.low > 0 || r.high < 0,
    }
  } catch (e) {
    if (!(e instanceof UndefinedStatisticError)) throw e
    return {
      ...base,
      difference: null,
      low: null,
      high: null,
      replicates: 0,
      undefinedReplicates: replicates,
      significant: null,
      reason: e.reason,
    }
  }
}
