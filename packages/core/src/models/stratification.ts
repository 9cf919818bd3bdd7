import {
  confusionAt,
  delongUnpairedTest,
  obuchowski,
  UndefinedStatisticError,
} from '../stats/index.ts'
import { aucSummary, type AucSummary, type MissingReason } from './evaluate.ts'
import { compareGroups, type SubgroupByText } from '../subgroups.ts'
import type { Seed } from '../stats/index.ts'
import {
  CLUSTERED_SUBGROUP_METHOD,
  patientBootstrapContrasts,
  type ContrastResult,
} from './patient-bootstrap.ts'

/** `--cluster patient` for the subgroup tests: each film's patient, and the bootstrap's seed [M50]. */
export interface ClusteredTests {
  readonly clusters: readonly (string | number)[]
  readonly seed: Seed
  readonly replicates: number
}

/** The test between two subgroups' AUCs, named in every JSON row that uses it [M22]. */
export const UNPAIRED_METHOD =
  "DeLong's test for two unpaired ROC curves (pROC roc.test paired = FALSE, method = 'delong'): D = (A - B) / sqrt(var A + var B), Student t with Welch-Satterthwaite df, two-sided"

/** The significance level of the hidden-stratification flag [M23]. */
export const STRATIFICATION_ALPHA = 0.05

/** One subgroup's AUC, and the model's sensitivity and specificity at the finding's threshold. */
export interface SubgroupMetrics extends AucSummary {
  readonly group: string
  readonly sensitivity: number | null
  readonly specificity: number | null
}

/** The unpaired DeLong test between two groups' AUCs; nulls with a reason when undefined. */
export interface UnpairedComparison {
  readonly D: number | null
  readonly df: number | null
  readonly p: number | null
  readonly reason?: MissingReason
}

export interface SubgroupTest extends UnpairedComparison {
  readonly a: string
  readonly b: string
}

export interface SubgroupReport {
  readonly by: SubgroupByText
  /** Images of the evaluation set in no group (a tag split of images nobody reviewed). */
  readonly leftOut: number
  readonly groups: readonly SubgroupMetrics[]
  /** Every pair of groups, [M22]. */
  readonly tests: readonly SubgroupTest[]
  readonly method: string
}

/** A subgroup against the rest of the evaluation set [M23]. */
export interface StratificationRow extends UnpairedComparison {
  readonly by: SubgroupByText
  readonly group: string
  readonly n: number
  readonly positives: number
  readonly auc: number | null
  readonly aucLow: number | null
  readonly aucHigh: number | null
  readonly restN: number
  readonly restPositives: number
  readonly restAuc: number | null
  readonly restLow: number | null
  readonly restHigh: number | null
  /** auc - restAuc. */
  readonly difference: number | null
  /** Whether the two 95% intervals overlap (informative; the flag uses p). */
  readonly intervalsOverlap: boolean | null
  /** p < 0.05 [M23]. */
  readonly flagged: boolean
}

interface Subset {
  readonly labels: Uint8Array
  readonly scores: Float64Array
}

function subset(labels: ArrayLike<number>, scores: ArrayLike<number>, keep: Int32Array): Subset {
  const l = new Uint8Array(keep.length)
  const s = new Float64Array(keep.length)
  for (let k = 0; k < keep.length; k++) {
    const i = keep[k] as number
    l[k] = labels[i] as number
    s[k] = scores[i] as number
  }
  return { labels: l, scores: s }
}

/** The unpaired DeLong test of a against b [M22]; nulls and a reason when a variance is undefined. */
export function unpairedComparison(a: Subset, b: Subset): UnpairedComparison {
  try {
    const t = delongUnpairedTest(a, b)
    return { D: t.D, df: Number.isFinite(t.df) ? t.df : null, p: t.p }
  } catch (e) {
    if (!(e instanceof UndefinedStatisticError)) throw e
    return { D: null, df: null, p: null, reason: e.reason }
  }
}

function groupIndices(groupOf: readonly (string | null)[]): Map<string, Int32Array> {
  const lists = new Map<string, number[]>()
  groupOf.forEach((g, i) => {
    if (g === null) return
    const list = lists.get(g)
    if (list === undefined) lists.set(g, [i])
    else list.push(i)
  })
  const sorted = [...lists.keys()].sort(compareGroups)
  return new Map(sorted.map((g) => [g, Int32Array.from(lists.get(g)!)]))
}

function complement(size: number, groupOf: readonly (string | null)[], group: string): Int32Array {
  const out: number[] = []
  for (let i = 0; i < size; i++) if (groupOf[i] !== null && groupOf[i] !== group) out.push(i)
  return Int32Array.from(out)
}

function atThreshold(
  s: Subset,
  threshold: number | null,
): { sensitivity: number | null; specificity: number | null } {
  if (threshold === null) return { sensitivity: null, specificity: null }
  const c = confusionAt(s.labels, s.scores, threshold)
  return {
    sensitivity: c.tp + c.fn > 0 ? c.tp / (c.tp + c.fn) : null,
    specificity: c.tn + c.fp > 0 ? c.tn / (c.tn + c.fp) : null,
  }
}

/**
 * Per-subgroup AUCs and the unpaired DeLong test between every pair of groups [M22], and each
 * group against the rest of the set for the hidden-stratification table [M23]. `groupOf[i]`
 * is image i's group, or null to leave it out; `threshold` is the finding's operating threshold
 * (sensitivity and specificity in each group are read there), or null.
 */
export function subgroupAnalysis(
  by: SubgroupByText,
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  groupOf: readonly (string | null)[],
  threshold: number | null,
  clustered?: ClusteredTests,
): { report: SubgroupReport; rows: StratificationRow[] } {
  const indices = groupIndices(groupOf)
  const bootstrap =
    clustered === undefined ? null : clusteredTests(labels, scores, groupOf, indices, clustered)
  const sets = new Map([...indices].map(([g, idx]) => [g, subset(labels, scores, idx)]))
  const groups: SubgroupMetrics[] = []
  const summaries = new Map<string, AucSummary>()
  for (const [group, s] of sets) {
    const summary = summaryOf(s, indices.get(group)!, clustered)
    summaries.set(group, summary)
    groups.push({ group, ...summary, ...atThreshold(s, threshold) })
  }
  const names = [...sets.keys()]
  const tests: SubgroupTest[] = []
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const a = names[i]!
      const b = names[j]!
      const test = bootstrap?.pair(a, b) ?? unpairedComparison(sets.get(a)!, sets.get(b)!)
      tests.push({ a, b, ...test })
    }
  }
  const rows: StratificationRow[] = []
  if (names.length >= 2) {
    for (const group of names) {
      const own = summaries.get(group)!
      const restIndex = complement(labels.length, groupOf, group)
      const restSet = subset(labels, scores, restIndex)
      const rest = summaryOf(restSet, restIndex, clustered)
      const test = bootstrap?.rest(group) ?? unpairedComparison(sets.get(group)!, restSet)
      rows.push({
        by,
        group,
        n: own.n,
        positives: own.positives,
        auc: own.auc,
        aucLow: own.aucLow,
        aucHigh: own.aucHigh,
        restN: rest.n,
        restPositives: rest.positives,
        restAuc: rest.auc,
        restLow: rest.aucLow,
        restHigh: rest.aucHigh,
        difference: own.auc === null || rest.auc === null ? null : own.auc - rest.auc,
        intervalsOverlap: overlap(own, rest),
        ...test,
        flagged: test.p !== null && test.p < STRATIFICATION_ALPHA,
      })
    }
  }
  let leftOut = 0
  for (const g of groupOf) if (g === null) leftOut++
  const method = bootstrap === null ? UNPAIRED_METHOD : CLUSTERED_SUBGROUP_METHOD
  return { report: { by, leftOut, groups, tests, method }, rows }
}

/**
 * The subgroup tests by patient bootstrap [M50]: every pair of groups and every group against
 * the rest, from one set of resamples.
 */
function clusteredTests(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  groupOf: readonly (string | null)[],
  indices: ReadonlyMap<string, Int32Array>,
  c: ClusteredTests,
): {
  pair: (a: string, b: string) => UnpairedComparison
  rest: (group: string) => UnpairedComparison
} {
  const n = labels.length
  const mask = (keep: (i: number) => boolean): Uint8Array => {
    const m = new Uint8Array(n)
    for (let i = 0; i < n; i++) if (keep(i)) m[i] = 1
    return m
  }
  const names = [...indices.keys()]
  const of = new Map(names.map((g) => [g, mask((i) => groupOf[i] === g)]))
  const rest = new Map(names.map((g) => [g, mask((i) => groupOf[i] !== null && groupOf[i] !== g)]))
  const keys: string[] = []
  const contrasts = []
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      keys.push(`${names[i]!}\u0000${names[j]!}`)
      contrasts.push({ a: of.get(names[i]!)!, b: of.get(names[j]!)! })
    }
  }
  if (names.length >= 2) {
    for (const g of names) {
      keys.push(`${g}\u0000`)
      contrasts.push({ a: of.get(g)!, b: rest.get(g)! })
    }
  }
  const results = patientBootstrapContrasts(labels, scores, c.clusters, contrasts, c)
  const byKey = new Map(keys.map((k, i) => [k, results[i]!]))
  const out = (r: ContrastResult | undefined): UnpairedComparison =>
    r === undefined
      ? { D: null, df: null, p: null, reason: 'empty' }
      : { D: r.D, df: null, p: r.p, ...(r.reason === undefined ? {} : { reason: r.reason }) }
  return {
    pair: (a, b) => out(byKey.get(`${a}\u0000${b}`)),
    rest: (g) => out(byKey.get(`${g}\u0000`)),
  }
}

/**
 * A group's AUC summary: DeLong's interval, or with `--cluster patient` Obuchowski's over the
 * group's patients [M44], [M50] (nulls with the reason when a class has fewer than 2 patients).
 */
function summaryOf(
  s: Subset,
  index: Int32Array,
  clustered: ClusteredTests | undefined,
): AucSummary {
  const summary = aucSummary(s.labels, s.scores)
  if (clustered === undefined || summary.auc === null) return summary
  const patients = Array.from(index, (i) => clustered.clusters[i]!)
  try {
    const r = obuchowski(s.labels, s.scores, patients)
    const { intervalReason: _ignored, ...rest } = summary
    return { ...rest, aucLow: r.low, aucHigh: r.high, variance: r.variance }
  } catch (e) {
    if (!(e instanceof UndefinedStatisticError)) throw e
    return { ...summary, aucLow: null, aucHigh: null, variance: null, intervalReason: e.reason }
  }
}

function overlap(a: AucSummary, b: AucSummary): boolean | null {
  if (a.aucLow === null || a.aucHigh === null || b.aucLow === null || b.aucHigh === null) {
    return null
  }
  return a.aucLow <= b.aucHigh && b.aucLow <= a.aucHigh
}

/**
 * Holm's step-down adjustment of p-values (nulls kept null) [M23]: sorted ascending, p_(k)
 * times (m - k + 1), made monotone and capped at 1. Holm, S. (1979). A simple sequentially
 * rejective multiple test procedure. Scandinavian Journal of Statistics 6(2), 65-70.
 */
export function holmAdjust(ps: readonly (number | null)[]): (number | null)[] {
  const defined = ps
    .map((p, i) => ({ p, i }))
    .filter((x): x is { p: number; i: number } => x.p !== null)
    .sort((a, b) => a.p - b.p || a.i - b.i)
  const m = defined.length
  const out: (number | null)[] = ps.map(() => null)
  let running = 0
  defined.forEach(({ p, i }, k) => {
    running = Math.max(running, Math.min(1, p * (m - k)))
    out[i] = running
  })
  return out
}
