import {
  auc,
  createRng,
  normalTwoSidedP,
  UndefinedStatisticError,
  type Seed,
} from '../stats/index.ts'

/** How subgroup AUCs are compared with `--cluster patient` [M50]. */
export const CLUSTERED_SUBGROUP_METHOD =
  "patient bootstrap test of two AUCs (pROC roc.test method = 'bootstrap', resampling patients): patients drawn with replacement (seeded), both AUCs on each resample's films, D = (A - B) / sd(resampled A - B), normal, two-sided; films of one patient stay together, so groups sharing patients are handled"

/** The films of each cluster (patient), in order of first appearance [M50]. */
export function clusterMembers(clusters: readonly (string | number)[]): Int32Array[] {
  const lists = new Map<string | number, number[]>()
  clusters.forEach((c, i) => {
    const list = lists.get(c)
    if (list === undefined) lists.set(c, [i])
    else list.push(i)
  })
  return [...lists.values()].map((l) => Int32Array.from(l))
}

/** One comparison of two sets of films, given as membership masks over the films. */
export interface AucContrast {
  readonly a: Uint8Array
  readonly b: Uint8Array
}

/** The bootstrap test of one contrast [M50]. */
export interface ContrastResult {
  readonly D: number | null
  readonly p: number | null
  /** Standard deviation of the resampled differences. */
  readonly se: number | null
  /** Resamples on which both AUCs were defined. */
  readonly replicates: number
  readonly reason?: string
}

/**
 * Patient-bootstrap tests of several AUC contrasts at once [M50]: each replicate draws as many
 * patients as there are, with replacement (`rng.int`, patient by patient), takes all their films
 * (a patient drawn twice counts twice), and computes every contrast's two AUCs on those films;
 * D = (A - B) / sd, p two-sided normal, as pROC's `roc.test(method = 'bootstrap')`. A contrast
 * whose AUC is undefined on the films themselves has nulls and a reason; resamples on which one
 * is undefined are left out for that contrast.
 */
export function patientBootstrapContrasts(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  clusters: readonly (string | number)[],
  contrasts: readonly AucContrast[],
  options: { seed: Seed; replicates: number },
): ContrastResult[] {
  const members = clusterMembers(clusters)
  const n = labels.length
  // buffers for one resample's films; a resample can hold more films than the data (a large
  // patient drawn twice), so they grow when needed
  let films = new Int32Array(n * 2)
  let l = new Uint8Array(n * 2)
  let s = new Float64Array(n * 2)
  const aucOn = (list: ArrayLike<number>, k: number, mask: Uint8Array): number => {
    let m = 0
    for (let j = 0; j < k; j++) {
      const i = list[j] as number
      if (mask[i] === 1) {
        l[m] = labels[i] as number
        s[m] = scores[i] as number
        m++
      }
    }
    return auc(l.subarray(0, m), s.subarray(0, m))
  }
  const contrast = (list: ArrayLike<number>, k: number, c: AucContrast): number => {
    const a = aucOn(list, k, c.a)
    return a - aucOn(list, k, c.b)
  }
  const all = Int32Array.from({ length: n }, (_, i) => i)
  const estimates = contrasts.map((c) => {
    try {
      return contrast(all, n, c)
    } catch (e) {
      if (!(e instanceof UndefinedStatisticError)) throw e
      return e.reason
    }
  })
  const diffs = contrasts.map(() => [] as number[])
  const rng = createRng(options.seed)
  for (let r = 0; r < options.replicates; r++) {
    let k = 0
    for (let p = 0; p < members.length; p++) {
      const m = members[rng.int(members.length)]!
      if (k + m.length > films.length) {
        const size = Math.max(films.length * 2, k + m.length)
        const grown = new Int32Array(size)
        grown.set(films)
        films = grown
        l = new Uint8Array(size)
        s = new Float64Array(size)
      }
      films.set(m, k)
      k += m.length
    }
    contrasts.forEach((c, j) => {
      if (typeof estimates[j] === 'string') return
      try {
        diffs[j]!.push(contrast(films, k, c))
      } catch (e) {
        if (!(e instanceof UndefinedStatisticError)) throw e
      }
    })
  }
  return contrasts.map((_, j) => {
    const estimate = estimates[j]!
    if (typeof estimate === 'string')
      return { D: null, p: null, se: null, replicates: 0, reason: estimate }
    const d = diffs[j]!
    const se = sd(d)
    if (se === null || se === 0)
      return { D: null, p: null, se, replicates: d.length, reason: 'no-bootstrap-spread' }
    const D = estimate / se
    return { D, p: normalTwoSidedP(D), se, replicates: d.length }
  })
}

function sd(xs: readonly number[]): number | null {
  if (xs.length < 2) return null
  let mean = 0
  for (const x of xs) mean += x
  mean /= xs.length
  let ss = 0
  for (const x of xs) ss += (x - mean) ** 2
  return Math.sqrt(ss / (xs.length - 1))
}
