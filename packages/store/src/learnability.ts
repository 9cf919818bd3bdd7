import type { ClusterSummary, RateWithInterval } from '@cxr-audit/core'
import { listClusterAudits } from './cluster-audits.ts'
import { labelIssueReviews, type LabelIssueReview } from './label-issue-review.ts'
import { LABEL_ISSUES_KIND, type LabelIssuesPlan } from './label-issues.ts'
import { listProbeRuns, type ProbeRunRow } from './probe-runs.ts'
import { listReaders } from './readers.ts'
import type { Db } from './store.ts'

/** One probe setting with its latest real run and its latest shuffled-label null [KC6]. */
export interface ProbePair {
  readonly finding: string
  readonly negatives: string
  readonly folds: number
  readonly embeddingModel: string
  readonly real: ProbeRunRow | null
  readonly shuffled: ProbeRunRow | null
}

/** One finding of a label-issue audit: what it flagged and what each reader confirmed [LI4]. */
export interface LabelIssueQueue {
  readonly auditId: number
  readonly audit: string
  readonly model: string
  readonly filter: string
  readonly rank: string
  readonly finding: string
  readonly flagged: number
  /** Issues the finding had in all (the queue holds the top `flagged`). */
  readonly issues: number
  /** One row per person who gave a verdict in the audit on this finding. */
  readonly reviews: readonly (LabelIssueReview & { readonly reader: string })[]
}

/** One cluster of a `clusters --audit` run: its numbers and its films in sheet order [KC6]. */
export interface ClusterStrip {
  readonly auditId: number
  readonly cluster: number
  readonly size: number
  readonly positives: number
  readonly sensitivity: RateWithInterval | null
  readonly auc: RateWithInterval | null
  readonly tags: ClusterSummary['tags']
  readonly images: readonly number[]
}

/** The clusters of one `clusters --audit NAME` run. */
export interface ClusterRun {
  readonly name: string
  readonly finding: string
  readonly k: number
  readonly seed: number
  readonly model: string | null
  readonly embeddingModel: string
  readonly createdAt: string
  readonly clusters: readonly ClusterStrip[]
}

export interface LearnabilityReport {
  readonly probes: readonly ProbePair[]
  readonly labelIssues: readonly LabelIssueQueue[]
  readonly clusters: readonly ClusterRun[]
}

const SUFFIX = / - cluster \d+ of \d+$/

/**
 * What the learnability page shows for a dataset [KC6]: every probe setting (finding, negatives,
 * folds, embedding model) with its latest run and its latest null; every label-issue audit's
 * queues with each reader's confirmation rate (Wilson interval); every cluster run's clusters.
 */
export async function learnabilityOf(db: Db, datasetId: number): Promise<LearnabilityReport> {
  const pairs = new Map<string, { -readonly [K in keyof ProbePair]: ProbePair[K] }>()
  for (const run of await listProbeRuns(db, datasetId)) {
    const key = JSON.stringify([run.finding, run.negatives, run.folds, run.embeddingModel.name])
    let p = pairs.get(key)
    if (p === undefined) {
      p = {
        finding: run.finding,
        negatives: run.negatives,
        folds: run.folds,
        embeddingModel: run.embeddingModel.name,
        real: null,
        shuffled: null,
      }
      pairs.set(key, p)
    }
    // runs come oldest first: the latest of each kind wins
    if (run.shuffled) p.shuffled = run
    else p.real = run
  }

  const audits = (
    await db
      .selectFrom('audit')
      .select(['id', 'name', 'plan'])
      .where('dataset_id', '=', datasetId)
      .orderBy('id')
      .execute()
  ).flatMap((a) => {
    try {
      const plan = JSON.parse(a.plan) as { kind?: string; labelIssues?: LabelIssuesPlan }
      return plan.kind === LABEL_ISSUES_KIND && plan.labelIssues !== undefined
        ? [{ id: a.id, name: a.name, plan: plan.labelIssues }]
        : []
    } catch {
      return []
    }
  })
  const people = (await listReaders(db)).filter((r) => r.kind === 'person')
  const labelIssues: LabelIssueQueue[] = []
  for (const a of audits) {
    const reviews = new Map<string, (LabelIssueReview & { reader: string })[]>()
    for (const reader of people) {
      const rows = await labelIssueReviews(db, { datasetId, readers: [reader], auditId: a.id })
      for (const r of rows) {
        if (r.judged === 0) continue
        const list = reviews.get(r.finding) ?? []
        list.push({ ...r, reader: reader.name })
        reviews.set(r.finding, list)
      }
    }
    for (const f of a.plan.findings)
      labelIssues.push({
        auditId: a.id,
        audit: a.name,
        model: a.plan.model,
        filter: a.plan.filter,
        rank: a.plan.rank,
        finding: f.finding,
        flagged: f.drawn,
        issues: f.issues,
        reviews: reviews.get(f.finding) ?? [],
      })
  }

  const runs = new Map<string, ClusterRun & { clusters: ClusterStrip[] }>()
  for (const c of await listClusterAudits(db, datasetId)) {
    const p = c.plan
    const name = c.name.replace(SUFFIX, '')
    const key = JSON.stringify([name, p.finding, p.k, p.seed])
    let run = runs.get(key)
    if (run === undefined) {
      run = {
        name,
        finding: p.finding,
        k: p.k,
        seed: p.seed,
        model: p.model,
        embeddingModel: p.embeddingModel.name,
        createdAt: c.createdAt,
        clusters: [],
      }
      runs.set(key, run)
    }
    run.clusters.push({
      auditId: c.auditId,
      cluster: p.cluster,
      size: p.size,
      positives: p.positives,
      sensitivity: p.sensitivity,
      auc: p.auc,
      tags: p.tags,
      images: c.images,
    })
  }
  return { probes: [...pairs.values()], labelIssues, clusters: [...runs.values()] }
}
