import {
  FILTERS,
  RANKINGS,
  confidentThresholds,
  findLabelIssues,
  labelQualityScores,
  type FilterBy,
  type RankBy,
} from '@cxr-audit/core'
import { loadModelData, resolveModelFindings, type ModelData } from './model-data.ts'
import { findModel } from './model-predictions.ts'
import { storeReviewAudit } from './review-audits.ts'
import { StoreError, type Store, type Tx } from './store.ts'

/** Names the method in every label-issues audit's plan, so a change of algorithm is visible. */
export const LABEL_ISSUES_METHOD = 'cleanlab-2.9.0/find_label_issues/one-vs-rest/v1'

export interface LabelIssuesOptions {
  readonly model: string
  readonly dataset?: string | undefined
  /** Default: every finding the model scores, in the dataset's order. */
  readonly findings?: readonly string[] | undefined
  /** cleanlab's filter_by name (hyphens allowed); default prune_by_noise_rate. */
  readonly filter?: string | undefined
  /** self_confidence (default) or normalized_margin. */
  readonly rank?: string | undefined
  /** Open the top issues of each finding as a review audit [LI3]. */
  readonly audit?:
    | {
        readonly name: string
        readonly top: number
        /** Take the top K among the images on disk only (default: the top K, wherever they are). */
        readonly onDiskOnly?: boolean | undefined
        readonly blinded?: boolean | undefined
        readonly tags?: readonly string[] | undefined
      }
    | undefined
}

/** One finding of `label-issues --json` [LI2]. */
export interface FindingLabelIssues {
  readonly finding: string
  /** Image names, most likely wrong first. */
  readonly issues: string[]
  /** Images scored by the model with a definite original label (the problem's rows). */
  readonly images: number
  readonly positives: number
  /** Scored images whose original label is uncertain (-1): left out. */
  readonly excludedUncertain: number
  /** Issues among the labelled positives (the model doubts them) and the labelled negatives. */
  readonly flaggedPositives: number
  readonly flaggedNegatives: number
  /** cleanlab's per-class thresholds: mean P(negative) of the negatives, mean P(positive) of the positives. */
  readonly thresholds: { readonly negative: number; readonly positive: number }
  /** Per issue, in the same order: the original label (1 or 0) and the model's score. */
  readonly labels: number[]
  readonly scores: number[]
  /** Per issue: the label quality of `rank` (lower = more likely wrong). */
  readonly quality: number[]
}

/** What `cxr-audit label-issues --json` prints [LI2]. */
export interface LabelIssuesReport {
  readonly model: string
  readonly dataset: string
  readonly filter: FilterBy
  readonly rank: RankBy
  readonly method: string
  readonly findings: FindingLabelIssues[]
  readonly audit: {
    readonly id: number
    readonly name: string
    readonly created: boolean
    readonly top: number
    readonly onDiskOnly: boolean
    readonly items: number
    readonly perFinding: {
      readonly finding: string
      readonly drawn: number
      readonly notOnDisk: number
    }[]
  } | null
}

/** The `labelIssues` part of such an audit's plan JSON: where the flags came from [LI3]. */
export interface LabelIssuesPlan {
  readonly model: string
  readonly modelId: number
  readonly filter: FilterBy
  readonly rank: RankBy
  readonly method: string
  readonly top: number
  readonly onDiskOnly: boolean
  readonly findings: readonly {
    readonly finding: string
    /** How many issues the finding had in all. */
    readonly issues: number
    readonly drawn: number
    /** By position within the finding: the model's score and the label quality. */
    readonly scores: readonly number[]
    readonly quality: readonly number[]
  }[]
}

export const LABEL_ISSUES_KIND = 'label-issues'

function parseChoice<T extends string>(
  what: string,
  value: string | undefined,
  all: readonly T[],
): T {
  const v = (value ?? all[0]!).trim().toLowerCase().replace(/-/g, '_')
  if (!(all as readonly string[]).includes(v)) {
    throw new StoreError(`unknown ${what} "${value}": use ${all.join(', ')}`)
  }
  return v as T
}

/** Checks a --filter value (cleanlab's names, hyphens allowed). */
export const parseFilter = (value: string | undefined): FilterBy =>
  parseChoice('filter', value, FILTERS)
/** Checks a --rank value. */
export const parseRank = (value: string | undefined): RankBy =>
  parseChoice('ranking', value, RANKINGS)

interface Computed extends FindingLabelIssues {
  readonly findingId: number
  /** Index of each issue in the model's image arrays. */
  readonly rows: number[]
}

/**
 * One finding as a two-class problem [LI1]: the scored images whose original label is 1 or 0
 * (uncertain ones left out), the model's score as P(positive). Scores must be probabilities.
 */
function findingIssues(
  data: ModelData,
  f: ModelData['findings'][number],
  filter: FilterBy,
  rank: RankBy,
): Computed {
  const labels = data.labels(f)
  const scores = data.scores(f)
  const keep: number[] = []
  let excludedUncertain = 0
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i]!)) continue
    if (labels[i] === -1) excludedUncertain++
    else keep.push(i)
  }
  const y = Uint8Array.from(keep, (i) => labels[i]!)
  const p = Float64Array.from(keep, (i) => scores[i]!)
  let low = Infinity
  let high = -Infinity
  for (const s of p) {
    low = Math.min(low, s)
    high = Math.max(high, s)
  }
  if (keep.length > 0 && (low < 0 || high > 1)) {
    throw new StoreError(
      `the scores of ${f.name} run from ${low} to ${high}: label-issues needs probabilities in [0, 1] (import the model's probabilities, not logits)`,
    )
  }
  // the two-class rows [1 - p, p] of cleanlab's one-vs-rest (stack_complement)
  const two = new Float64Array(2 * p.length)
  p.forEach((s, r) => {
    two[2 * r] = 1 - s
    two[2 * r + 1] = s
  })
  const probs = { data: two, rows: p.length, classes: 2 }
  const found =
    keep.length === 0
      ? new Int32Array(0)
      : findLabelIssues(y, probs, { filterBy: filter, rankBy: rank })
  const quality = keep.length === 0 ? new Float64Array(0) : labelQualityScores(y, probs, rank)
  const thresholds = keep.length === 0 ? new Float64Array([2, 2]) : confidentThresholds(y, probs)
  const rows = Array.from(found, (r) => keep[r]!)
  const flaggedPositives = Array.from(found).filter((r) => y[r] === 1).length
  return {
    finding: f.name,
    findingId: f.id,
    issues: rows.map((i) => data.images.names[i]!),
    images: keep.length,
    positives: y.reduce((a, b) => a + b, 0),
    excludedUncertain,
    flaggedPositives,
    flaggedNegatives: found.length - flaggedPositives,
    thresholds: { negative: thresholds[0]!, positive: thresholds[1]! },
    labels: Array.from(found, (r) => y[r]!),
    scores: Array.from(found, (r) => p[r]!),
    quality: Array.from(found, (r) => quality[r]!),
    rows,
  }
}

/**
 * Likely label errors of the dataset's original labels, from a model's out-of-sample scores,
 * by confident learning one finding at a time [LI1]-[LI2]; with `audit`, the top K issues of
 * each finding become one review audit (kind `label-issues`), in one transaction [LI3].
 */
export async function findModelLabelIssues(
  store: Store,
  o: LabelIssuesOptions,
): Promise<LabelIssuesReport> {
  const filter = parseFilter(o.filter)
  const rank = parseRank(o.rank)
  const { model, dataset } = await findModel(store.db, o.model, o.dataset)
  const data = await loadModelData(store.db, model, dataset)
  const findings =
    o.findings !== undefined && o.findings.length > 0
      ? resolveModelFindings(data, o.findings)
      : data.scorable
  if (findings.length === 0) throw new StoreError(`the model "${model.name}" scores no finding`)
  const computed = findings.map((f) => findingIssues(data, f, filter, rank))
  let audit: LabelIssuesReport['audit'] = null
  if (o.audit !== undefined) {
    const a = o.audit
    if (!Number.isInteger(a.top) || a.top < 1 || a.top > 100_000) {
      throw new StoreError(`--top must be a whole number from 1 to 100000, got ${a.top}`)
    }
    const name = a.name.trim()
    if (name === '' || name.length > 120)
      throw new StoreError('the audit name must have 1 to 120 characters')
    const onDiskOnly = a.onDiskOnly === true
    const picks = computed.map((c) => {
      const order = c.rows.map((_, k) => k)
      const chosen = (
        onDiskOnly ? order.filter((k) => data.images.onDisk[c.rows[k]!] === 1) : order
      ).slice(0, a.top)
      return {
        c,
        chosen,
        notOnDisk: chosen.filter((k) => data.images.onDisk[c.rows[k]!] !== 1).length,
      }
    })
    const items = picks.reduce((s, p) => s + p.chosen.length, 0)
    if (items === 0) {
      throw new StoreError(
        `no label issues to review${onDiskOnly ? ' among the images on disk' : ''}: no audit was created`,
      )
    }
    const plan: LabelIssuesPlan = {
      model: model.name,
      modelId: model.id,
      filter,
      rank,
      method: LABEL_ISSUES_METHOD,
      top: a.top,
      onDiskOnly,
      findings: picks.map(({ c, chosen }) => ({
        finding: c.finding,
        issues: c.issues.length,
        drawn: chosen.length,
        scores: chosen.map((k) => c.scores[k]!),
        quality: chosen.map((k) => c.quality[k]!),
      })),
    }
    const rows = picks.flatMap(({ c, chosen }) =>
      chosen.map((k) => ({
        imageId: data.images.ids[c.rows[k]!]!,
        findingId: c.findingId,
        finding: c.finding,
        labelled: c.labels[k]!,
      })),
    )
    const stored = await store.db
      .transaction()
      .execute((tx) => storeAudit(store, tx, dataset.id, name, plan, rows, a))
    audit = {
      ...stored,
      top: a.top,
      onDiskOnly,
      items,
      perFinding: picks.map(({ c, chosen, notOnDisk }) => ({
        finding: c.finding,
        drawn: chosen.length,
        notOnDisk,
      })),
    }
  }
  return {
    model: model.name,
    dataset: dataset.name,
    filter,
    rank,
    method: LABEL_ISSUES_METHOD,
    findings: computed.map(({ findingId: _id, rows: _rows, ...f }) => f),
    audit,
  }
}

const samePlan = (a: LabelIssuesPlan, b: LabelIssuesPlan): boolean =>
  JSON.stringify({ ...a, modelId: 0 }) === JSON.stringify({ ...b, modelId: 0 })

function storeAudit(
  store: Store,
  tx: Tx,
  datasetId: number,
  name: string,
  plan: LabelIssuesPlan,
  items: readonly { imageId: number; findingId: number; finding: string; labelled: number }[],
  a: NonNullable<LabelIssuesOptions['audit']>,
): Promise<{ id: number; name: string; created: boolean }> {
  const positives = items.filter((i) => i.labelled === 1).length
  return storeReviewAudit(store, tx, {
    datasetId,
    name,
    seed: 0, // nothing is drawn at random
    // the fields every audit plan has (the workbench reads them), then the label-issues part
    plan: {
      findings: plan.findings.map((f) => f.finding),
      positives,
      negatives: items.length - positives,
      seed: 0,
      filters: {},
      onePerPatient: false,
      blinded: a.blinded === true,
      sampler: LABEL_ISSUES_METHOD,
      notes: [
        `the top ${plan.top} label issues per finding of model "${plan.model}" (${plan.filter}, ranked by ${plan.rank})`,
      ],
      // per finding, the flagged labels drawn: positives (labelled 1) and negatives (labelled 0)
      draw: plan.findings.map((f) => {
        const own = items.filter((i) => i.finding === f.finding)
        const pos = own.filter((i) => i.labelled === 1).length
        const neg = own.length - pos
        return {
          finding: f.finding,
          positives: { asked: pos, available: pos, drawn: pos },
          negatives: { asked: neg, available: neg, drawn: neg },
        }
      }),
      kind: LABEL_ISSUES_KIND,
      labelIssues: plan,
    },
    blinded: a.blinded === true,
    tags: a.tags,
    items,
    isSame: (stored) => {
      const before = (stored as { labelIssues?: LabelIssuesPlan }).labelIssues
      return before !== undefined && samePlan(before, plan)
    },
    nameOption: '--audit name',
  })
}
