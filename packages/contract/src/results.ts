import type { ReadingConditionsDto } from './reading.ts'
/**
 * The results page's part of the JSON contract (re-exported by index.ts): the label-accuracy
 * and agreement JSON of @cxr-audit/store, as `stats labels --json` and `stats agreement --json`
 * print it. Rules cited as [Wn] are in docs/SPEC-workbench.md.
 */
import type {
  AccuracyStats,
  AgreementRow,
  FlagReviewStats,
  IntervalMethod,
  Seed,
  SubgroupTestResult,
} from '@cxr-audit/core'

/** An audit as the label statistics see it (`loadAuditInfo` of @cxr-audit/store). */
export interface AuditInfoDto {
  readonly id: number
  readonly name: string
  readonly datasetId: number
  readonly dataset: string
  readonly seed: string
  readonly blinded: boolean
  readonly createdAt: string
  readonly plan: unknown
  readonly sample: readonly {
    finding: string
    items: number
    labelledPositive: number
    labelledNegative: number
    labelledUncertain: number
  }[]
  readonly readers: readonly string[]
  readonly readerSpec: string
}

/** One finding of `labelAccuracy` (docs/labels.md section 2) [W25]. */
export interface AccuracyRowDto extends AccuracyStats {
  readonly finding: string
  readonly derived: boolean
  readonly from: readonly string[] | null
  readonly publishedPrecision: number | null
  readonly publishedRecall: number | null
  readonly publishedSource: string | null
  /** Films tagged "image unusable" [L25]. */
  readonly unusable: number
  /** Films left out because their page is not finished [L25]. */
  readonly unfinishedImages: number
  readonly subgroups?: readonly (AccuracyStats & { readonly group: string })[]
  readonly subgroupTest?: {
    readonly by: string
    readonly ppv: SubgroupTestResult
    readonly npv: SubgroupTestResult
  }
}

/** `labelAccuracy(db, { auditId, reader, ci, by })`, as `stats labels --json` prints it. */
export interface LabelAccuracyDto {
  readonly reader: string
  readonly readers: readonly string[]
  readonly consensus: boolean
  readonly dataset: string
  readonly audit: AuditInfoDto | null
  readonly ci: IntervalMethod
  readonly confidence: number
  readonly by: string | null
  readonly findings: readonly AccuracyRowDto[]
  /** Films left out because their page is not finished, over the findings [L25]. */
  readonly unfinishedImages: number
  readonly noCounterpart: readonly { finding: string; file: string; reason: string }[]
  /** A label-issue audit: how many flagged labels the reader confirmed wrong [LI4]. */
  readonly labelIssues: readonly LabelIssueReviewDto[]
}

/** One finding of a label-issue audit after review (`labelIssueReviews` of @cxr-audit/store). */
export interface LabelIssueReviewDto extends FlagReviewStats {
  readonly auditId: number
  readonly audit: string
  readonly model: string
  readonly filter: string
  readonly rank: string
  readonly finding: string
  readonly flagged: number
}

/** `readerAgreement(db, { auditId, seed, replicates })`, as `stats agreement --json`. */
export interface AgreementDto {
  readonly readers: readonly string[]
  readonly dataset: string
  readonly auditId: number | null
  readonly seed: Seed
  readonly replicates: number
  readonly confidence: number
  readonly interval: string
  /** Reads left out because their page is not finished [L25]. */
  readonly unfinishedReads: number
  readonly findings: readonly AgreementRow[]
}

/** GET /api/audits/:id/results [W24]-[W27]. */
export interface ResultsDto {
  readonly audit: AuditInfoDto
  readonly tags: readonly string[]
  /** Whose verdicts are scored: a reader, or `consensus:` of the audit's readers; null: none. */
  readonly reader: string | null
  readonly accuracy: LabelAccuracyDto | null
  /** With at least two readers in the audit. */
  readonly agreement: AgreementDto | null
  /** Time per film, viewer use and presets of each person reader in the audit [W36]. */
  readonly readingConditions: ReadingConditionsDto
  readonly notes: readonly string[]
}
