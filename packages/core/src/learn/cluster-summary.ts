import { delong } from '../stats/auc.ts'
import { UndefinedAucError } from '../stats/errors.ts'
import { wilsonInterval } from '../stats/proportions.ts'
import { LearnInputError } from './errors.ts'
import type { FeatureMatrix } from './features.ts'
import type { KMeansResult } from './kmeans.ts'

/** What is known about each clustered row, in the order of the clustered rows. */
export interface ClusterRows {
  /** Row of each clustered item in the feature matrix. */
  readonly rows: Int32Array
  /** Original label of each item: 1 positive, 0 negative. */
  readonly labels: ArrayLike<number>
  /** The model's score of each item; NaN where it has none. Null: no model. */
  readonly scores: ArrayLike<number> | null
  /** Tags readers gave each item (any reader, or the chosen ones). */
  readonly tags: readonly (readonly string[])[]
  /** Whether a reader looked at the item (a verdict or a tag): the tags' denominator. */
  readonly reviewed: ArrayLike<boolean | number>
}

export interface RateWithInterval {
  readonly value: number | null
  readonly low: number | null
  readonly high: number | null
}

/** One cluster [KC2]-[KC4]. */
export interface ClusterSummary {
  /** 1 = the largest cluster. */
  readonly cluster: number
  readonly size: number
  readonly positives: number
  readonly negatives: number
  /** Positives the model scored, and of them those it called positive at the threshold. */
  readonly scoredPositives: number
  readonly detected: number
  /** Sensitivity at the threshold with a Wilson interval (null without a model or positives). */
  readonly sensitivity: RateWithInterval | null
  /** AUC of the model's scores within the cluster, DeLong interval (needs 2 of each class). */
  readonly auc: RateWithInterval | null
  readonly reviewed: number
  /** Per tag seen in the cluster: films tagged, and that count over `reviewed` (Wilson). */
  readonly tags: readonly {
    readonly tag: string
    readonly films: number
    readonly share: number
    readonly low: number
    readonly high: number
  }[]
  /** Indices into the clustered items, closest to the cluster's centre first. */
  readonly items: readonly number[]
  /** Euclidean distance of each of `items` to the centre. */
  readonly distances: readonly number[]
}

/**
 * Per cluster of a k-means result [KC2]-[KC4]: size and classes; with a model, the
 * sensitivity of `score >= threshold` among its scored positives (Wilson 1927 interval) and,
 * when the cluster holds at least two positives and two negatives, the AUC of the scores with
 * DeLong's interval; the share of reviewed films carrying each tag (Wilson); the items ordered
 * by distance to the centre (ties by item order). Clusters are numbered by size, largest first
 * (ties: k-means' order), so the numbering depends only on the clustering.
 */
export function summariseClusters(
  x: FeatureMatrix,
  km: KMeansResult,
  items: ClusterRows,
  threshold: number | null,
  confidence = 0.95,
): ClusterSummary[] {
  const n = items.rows.length
  if (km.labels.length !== n || items.labels.length !== n || items.tags.length !== n)
    throw new LearnInputError(`${km.labels.length} cluster labels for ${n} items`)
  if (items.scores !== null && items.scores.length !== n)
    throw new LearnInputError(`${items.scores.length} scores for ${n} items`)
  const d = x.cols
  const members: number[][] = Array.from({ length: km.k }, () => [])
  for (let i = 0; i < n; i++) members[km.labels[i]!]!.push(i)
  const order = members
    .map((m, c) => ({ m, c }))
    .sort((a, b) => b.m.length - a.m.length || a.c - b.c)
  return order.map(({ m, c }, rank) => {
    const dist = new Map<number, number>()
    for (const i of m) {
      const o = items.rows[i]! * d
      let s = 0
      for (let j = 0; j < d; j++) {
        const diff = x.data[o + j]! - km.centres[c * d + j]!
        s += diff * diff
      }
      dist.set(i, Math.sqrt(s))
    }
    const sorted = [...m].sort((a, b) => dist.get(a)! - dist.get(b)! || a - b)
    return {
      cluster: rank + 1,
      size: m.length,
      ...modelStats(m, items, threshold, confidence),
      ...tagStats(m, items, confidence),
      items: sorted,
      distances: sorted.map((i) => dist.get(i)!),
    }
  })
}

function modelStats(
  m: readonly number[],
  items: ClusterRows,
  threshold: number | null,
  confidence: number,
) {
  let positives = 0
  let scoredPositives = 0
  let detected = 0
  const y: number[] = []
  const s: number[] = []
  for (const i of m) {
    const label = items.labels[i]!
    if (label === 1) positives++
    const score = items.scores === null ? NaN : items.scores[i]!
    if (Number.isNaN(score)) continue
    y.push(label)
    s.push(score)
    if (label === 1) {
      scoredPositives++
      if (threshold !== null && score >= threshold) detected++
    }
  }
  let sensitivity: RateWithInterval | null = null
  if (threshold !== null && scoredPositives > 0) {
    const w = wilsonInterval(detected, scoredPositives, confidence)
    sensitivity = { value: detected / scoredPositives, low: w.low, high: w.high }
  }
  let auc: RateWithInterval | null = null
  if (items.scores !== null && s.length > 0) {
    try {
      const r = delong(y, s, confidence)
      auc = { value: r.auc, low: r.low, high: r.high }
    } catch (e) {
      // fewer than two films of a class in the cluster: no AUC to report
      if (!(e instanceof UndefinedAucError)) throw e
    }
  }
  return {
    positives,
    negatives: m.length - positives,
    scoredPositives,
    detected,
    sensitivity,
    auc,
  }
}

function tagStats(m: readonly number[], items: ClusterRows, confidence: number) {
  let reviewed = 0
  const counts = new Map<string, number>()
  for (const i of m) {
    if (!items.reviewed[i]) continue
    reviewed++
    for (const tag of new Set(items.tags[i]!)) counts.set(tag, (counts.get(tag) ?? 0) + 1)
  }
  const tags = [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([tag, films]) => {
      const w = wilsonInterval(films, reviewed, confidence)
      return { tag, films, share: films / reviewed, low: w.low, high: w.high }
    })
  return { reviewed, tags }
}
