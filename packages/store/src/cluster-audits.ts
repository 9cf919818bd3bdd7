import type { ClusterSummary, RateWithInterval } from '@cxr-audit/core'
import type { ProbeNegatives } from './probe-data.ts'
import type { ProbeEmbeddingModel } from './probe-runs.ts'
import { storeReviewAudit } from './review-audits.ts'
import type { Db, Store } from './store.ts'

/** `plan.kind` of the audits `clusters --audit` makes. */
export const CLUSTERS_KIND = 'clusters'

/** The `clusters` block of a cluster audit's plan: where the sheet's films came from [KC5]. */
export interface ClusterPlan {
  readonly finding: string
  readonly k: number
  readonly seed: number
  readonly negatives: ProbeNegatives | 'none'
  readonly embeddingModel: ProbeEmbeddingModel
  readonly model: string | null
  readonly threshold: string | null
  readonly cluster: number
  readonly size: number
  readonly positives: number
  readonly top: number
  readonly sensitivity: RateWithInterval | null
  readonly auc: RateWithInterval | null
  readonly tags: ClusterSummary['tags']
}

type Item = { readonly imageId: number; readonly findingId: number; readonly labelled: number }

/** What identifies a cluster audit's request: not the statistics, which reviews change. */
const requestOf = (plan: ClusterPlan, images: readonly number[]): string =>
  JSON.stringify({ ...plan, sensitivity: null, auc: null, tags: [], images })

/**
 * One review audit per cluster [KC5], named `NAME - cluster c of K`, its items the cluster's
 * first films (closest to the centre), all in one transaction. Running the same request again
 * returns the same audits (created: false); a different request under a used name is refused.
 */
export async function storeClusterAudits(
  store: Store,
  input: {
    readonly datasetId: number
    readonly name: string
    readonly blinded: boolean
    readonly embeddingModel: string
    readonly clusters: readonly { readonly plan: ClusterPlan; readonly items: readonly Item[] }[]
  },
): Promise<{ id: number; name: string; created: boolean }[]> {
  return store.db.transaction().execute(async (tx) => {
    const made: { id: number; name: string; created: boolean }[] = []
    for (const { plan, items } of input.clusters) {
      const positives = items.filter((i) => i.labelled === 1).length
      const images = items.map((i) => i.imageId)
      made.push(
        await storeReviewAudit(store, tx, {
          datasetId: input.datasetId,
          name: `${input.name} - cluster ${plan.cluster} of ${plan.k}`,
          seed: plan.seed,
          // the fields every audit plan has (the workbench reads them), then the clusters part
          plan: {
            findings: [plan.finding],
            positives,
            negatives: items.length - positives,
            seed: plan.seed,
            filters: {},
            onePerPatient: false,
            blinded: input.blinded,
            sampler: 'k-means++ and Lloyd, films closest to the centre first',
            notes: [
              `cluster ${plan.cluster} of ${plan.k} of ${plan.finding} (k-means on ${input.embeddingModel} embeddings, seed ${plan.seed}): the ${items.length} films closest to its centre, of ${plan.size}`,
            ],
            draw: [
              {
                finding: plan.finding,
                positives: { asked: positives, available: positives, drawn: positives },
                negatives: {
                  asked: items.length - positives,
                  available: items.length - positives,
                  drawn: items.length - positives,
                },
              },
            ],
            kind: CLUSTERS_KIND,
            clusters: plan,
            images,
          },
          blinded: input.blinded,
          items,
          isSame: (stored) => {
            const p = stored as { clusters?: ClusterPlan; images?: number[] }
            return (
              p.clusters !== undefined &&
              p.images !== undefined &&
              requestOf(p.clusters, p.images) === requestOf(plan, images)
            )
          },
          nameOption: '--audit name',
        }),
      )
    }
    return made
  })
}

/** A cluster audit as the learnability page shows it: a strip of its first films [KC6]. */
export interface ClusterAuditRow {
  readonly auditId: number
  readonly name: string
  readonly createdAt: string
  readonly plan: ClusterPlan
  /** Image ids of the audit's films in sheet order. */
  readonly images: readonly number[]
}

/** Every cluster audit of a dataset, oldest first, clusters in order within a run. */
export async function listClusterAudits(db: Db, datasetId: number): Promise<ClusterAuditRow[]> {
  const rows = await db
    .selectFrom('audit')
    .select(['id', 'name', 'plan', 'created_at'])
    .where('dataset_id', '=', datasetId)
    .orderBy('id')
    .execute()
  const out: ClusterAuditRow[] = []
  for (const r of rows) {
    let plan: { kind?: unknown; clusters?: ClusterPlan; images?: number[] }
    try {
      plan = JSON.parse(r.plan) as typeof plan
    } catch {
      continue
    }
    if (plan.kind !== CLUSTERS_KIND || plan.clusters === undefined) continue
    out.push({
      auditId: r.id,
      name: r.name,
      createdAt: r.created_at,
      plan: plan.clusters,
      images: plan.images ?? [],
    })
  }
  return out
}
