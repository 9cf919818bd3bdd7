/**
 * The learnability page's part of the JSON contract (re-exported by index.ts):
 * GET /api/datasets/:id/learnability, from `learnabilityOf` of @cxr-audit/store
 * (docs/SPEC-learn.md [KC6]).
 */
import type { ClusterSummary, RateWithInterval } from '@cxr-audit/core'

/** One probe run's headline numbers (`cxr-audit probe --json` [PR1]). */
export interface ProbeRunDto {
  readonly run: number
  readonly createdAt: string
  readonly n: number
  readonly positives: number
  readonly auc: number
  readonly aucLow: number
  readonly aucHigh: number
  readonly trainAuc: number | null
  readonly memorisationGap: number | null
  readonly warning: string | null
  readonly seed: number
  /** The model its out-of-fold scores were saved as, if any. */
  readonly model: string | null
}

/** A probe setting: its latest real run beside its latest shuffled-label null. */
export interface ProbePairDto {
  readonly finding: string
  readonly negatives: string
  readonly folds: number
  readonly embeddingModel: string
  readonly real: ProbeRunDto | null
  readonly shuffled: ProbeRunDto | null
}

/** One reader's confirmation of one queue [LI4]. */
export interface QueueReviewDto {
  readonly reader: string
  readonly judged: number
  readonly confirmedWrong: number
  readonly confirmedRight: number
  readonly uncertain: number
  readonly precision: number | null
  readonly precisionLow: number | null
  readonly precisionHigh: number | null
}

/** One finding of a label-issue audit. */
export interface LabelIssueQueueDto {
  readonly auditId: number
  readonly audit: string
  readonly findingId: number | null
  readonly model: string
  readonly filter: string
  readonly rank: string
  readonly finding: string
  readonly flagged: number
  readonly issues: number
  readonly reviews: readonly QueueReviewDto[]
}

export interface ClusterStripDto {
  readonly auditId: number
  readonly findingId: number | null
  readonly cluster: number
  readonly size: number
  readonly positives: number
  readonly sensitivity: RateWithInterval | null
  readonly auc: RateWithInterval | null
  /** Films tagged per tag among the reviewed ones, with a Wilson interval of the share. */
  readonly tags: ClusterSummary['tags']
  /** Image ids in sheet order (closest to the centre first), for thumbnails. */
  readonly images: readonly number[]
}

export interface ClusterRunDto {
  readonly name: string
  readonly finding: string
  readonly k: number
  readonly seed: number
  readonly model: string | null
  readonly embeddingModel: string
  readonly createdAt: string
  readonly clusters: readonly ClusterStripDto[]
}

/** GET /api/datasets/:id/learnability */
export interface LearnabilityDto {
  readonly dataset: { readonly id: number; readonly name: string }
  readonly probes: readonly ProbePairDto[]
  readonly labelIssues: readonly LabelIssueQueueDto[]
  readonly clusters: readonly ClusterRunDto[]
}
