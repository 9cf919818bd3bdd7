import { confusionAt, fisherExact2x2, wilsonInterval } from '../stats/index.ts'
import { withTag, withoutTag } from '../subgroups.ts'
import { aucSummary, type MissingReason } from './evaluate.ts'

/** How the tag comparison reads the model, named in its JSON [M49]. */
export const BY_TAG_METHOD =
  "sensitivity = TP / (TP + FN) at the finding's threshold per group, 95% Wilson interval (statsmodels proportion_confint method='wilson'); Fisher's exact test, two-sided, of the 2 x 2 table group x detected (scipy.stats.fisher_exact)"

/** Where the threshold of a tag comparison comes from [M49]. */
export type TagThresholdSource = 'evaluation' | 'original labels' | 'fixed' | 'none'

/** One group of a tag comparison: films with the tag, or reviewed films without it [M49]. */
export interface TagGroupSensitivity {
  readonly group: string
  readonly tagged: boolean
  readonly n: number
  readonly positives: number
  readonly negatives: number
  /** Positives the model calls positive (score >= threshold). */
  readonly detected: number
  readonly missed: number
  /** detected / positives; null with no positives or no threshold. */
  readonly sensitivity: number | null
  readonly sensitivityLow: number | null
  readonly sensitivityHigh: number | null
  /** The AUC where the group has both classes, else null with `aucNote` saying why [M49]. */
  readonly auc: number | null
  readonly aucLow: number | null
  readonly aucHigh: number | null
  readonly aucNote?: string
}

/** `eval --by tag:NAME`: the model's sensitivity with and without the tag [M49]. */
export interface TagComparison {
  readonly tag: string
  /** The operating threshold the sensitivities are read at (null: none could be placed). */
  readonly threshold: number | null
  /** `evaluation`: the finding's operating point; `original labels`: the rule placed against
   * the original labels over every scored film, because the evaluation set has one class;
   * `fixed`: a number given with --threshold. */
  readonly thresholdFrom: TagThresholdSource
  /** Films of the evaluation set nobody reviewed (their tags are unknown). */
  readonly leftOut: number
  /** [with the tag, without it]. */
  readonly groups: readonly [TagGroupSensitivity, TagGroupSensitivity]
  /** Fisher's exact test of [[detected, missed] with, [detected, missed] without]. */
  readonly fisher: {
    readonly table: readonly [readonly [number, number], readonly [number, number]]
    readonly oddsRatio: number | null
    readonly p: number
  } | null
  /** Why `fisher` is null. */
  readonly reason?: MissingReason
  readonly method: string
}

function noAuc(negatives: number, positives: number): string | undefined {
  if (positives === 0 && negatives === 0) return 'no reviewed films in this group'
  if (negatives === 0)
    return 'no negatives in this group (AUC needs films without the finding: a positives-only review gives sensitivity only)'
  if (positives === 0) return 'no positives in this group'
  return undefined
}

function group(
  name: string,
  tagged: boolean,
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  threshold: number | null,
): TagGroupSensitivity {
  const s = aucSummary(labels, scores)
  const c = threshold === null ? null : confusionAt(labels, scores, threshold)
  const detected = c?.tp ?? 0
  const interval = c !== null && s.positives > 0 ? wilsonInterval(detected, s.positives) : null
  const note = s.auc === null ? noAuc(s.negatives, s.positives) : undefined
  return {
    group: name,
    tagged,
    n: s.n,
    positives: s.positives,
    negatives: s.negatives,
    detected,
    missed: c === null ? 0 : s.positives - detected,
    sensitivity: interval === null ? null : detected / s.positives,
    sensitivityLow: interval?.low ?? null,
    sensitivityHigh: interval?.high ?? null,
    auc: s.auc,
    aucLow: s.aucLow,
    aucHigh: s.aucHigh,
    ...(note === undefined ? {} : { aucNote: note }),
  }
}

/**
 * The chest-drain question [M49]: among reviewed films, the model's sensitivity at `threshold`
 * with the tag and without it, each with its Wilson interval, and Fisher's exact test between
 * the two; per group the AUC where the group has negatives. `tagged[i]` is true (tag), false
 * (reviewed, no tag) or null (nobody reviewed film i: left out).
 */
export function tagComparison(
  tag: string,
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  tagged: readonly (boolean | null)[],
  threshold: number | null,
  thresholdFrom: TagThresholdSource,
): TagComparison {
  const pick = (want: boolean): { l: Uint8Array; s: Float64Array } => {
    const idx: number[] = []
    tagged.forEach((t, i) => {
      if (t === want) idx.push(i)
    })
    return {
      l: Uint8Array.from(idx, (i) => labels[i] as number),
      s: Float64Array.from(idx, (i) => scores[i] as number),
    }
  }
  const a = pick(true)
  const b = pick(false)
  const withT = group(withTag(tag), true, a.l, a.s, threshold)
  const without = group(withoutTag(tag), false, b.l, b.s, threshold)
  const leftOut = tagged.filter((t) => t === null).length
  const base = {
    tag,
    threshold,
    thresholdFrom,
    leftOut,
    groups: [withT, without] as const,
    method: BY_TAG_METHOD,
  }
  if (threshold === null) return { ...base, fisher: null, reason: 'no-threshold' }
  if (withT.positives === 0 || without.positives === 0)
    return { ...base, fisher: null, reason: 'no-positives' }
  const table = [
    [withT.detected, withT.missed],
    [without.detected, without.missed],
  ] as const
  const f = fisherExact2x2(table)
  return {
    ...base,
    fisher: { table, oddsRatio: Number.isFinite(f.oddsRatio) ? f.oddsRatio : null, p: f.p },
  }
}
