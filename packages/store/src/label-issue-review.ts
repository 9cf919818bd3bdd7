import {
  countJudged,
  flagReviewStats,
  type FlagReviewStats,
  type IntervalMethod,
} from '@cxr-audit/core'
import { listFindings, type FindingRow } from './datasets.ts'
import { loadJudged, type Judged } from './label-data.ts'
import { LABEL_ISSUES_KIND, type LabelIssuesPlan } from './label-issues.ts'
import type { ReaderRow } from './readers.ts'
import type { Db } from './store.ts'

/** One finding of one label-issue audit after review [LI4]. */
export interface LabelIssueReview extends FlagReviewStats {
  readonly auditId: number
  readonly audit: string
  readonly model: string
  readonly filter: string
  readonly rank: string
  readonly finding: string
  /** Labels of this finding the audit holds (the top K issues). */
  readonly flagged: number
}

export interface LabelIssueReviewOptions {
  readonly datasetId: number
  readonly readers: readonly ReaderRow[]
  /** Only this audit (listed even before any verdict); else every label-issue audit judged. */
  readonly auditId?: number | undefined
  /** Only these findings. */
  readonly findings?: readonly FindingRow[] | undefined
  readonly ci?: IntervalMethod | undefined
  readonly confidence?: number | undefined
}

/**
 * How many labels flagged by `label-issues` the readers (one, or their consensus) confirmed
 * wrong, per label-issue audit and finding, from the verdicts given in that audit [LI4].
 */
export async function labelIssueReviews(
  db: Db,
  o: LabelIssueReviewOptions,
): Promise<LabelIssueReview[]> {
  let query = db
    .selectFrom('audit')
    .select(['id', 'name', 'plan'])
    .where('dataset_id', '=', o.datasetId)
  if (o.auditId !== undefined) query = query.where('id', '=', o.auditId)
  const audits = (await query.orderBy('id').execute())
    .map((a) => ({
      ...a,
      parsed: JSON.parse(a.plan) as { kind?: string; labelIssues?: LabelIssuesPlan },
    }))
    .filter((a) => a.parsed.kind === LABEL_ISSUES_KIND && a.parsed.labelIssues !== undefined)
  if (audits.length === 0 || o.readers.length === 0) return []
  const all = await listFindings(db, o.datasetId)
  const out: LabelIssueReview[] = []
  for (const a of audits) {
    const plan = a.parsed.labelIssues!
    const findings = plan.findings
      .map((f) => all.find((x) => x.name === f.finding))
      .filter(
        (f): f is FindingRow =>
          f !== undefined && (o.findings === undefined || o.findings.some((w) => w.id === f.id)),
      )
    if (findings.length === 0) continue
    const judged = await loadJudged(db, {
      readers: o.readers,
      findings,
      allFindings: all,
      auditId: a.id,
    })
    const counts = await db
      .selectFrom('audit_item')
      .select(['finding_id', (e) => e.fn.countAll<number>().as('n')])
      .where('audit_id', '=', a.id)
      .groupBy('finding_id')
      .execute()
    for (const f of findings) {
      const items: Judged[] = judged.filter((j) => j.findingId === f.id)
      if (items.length === 0 && o.auditId === undefined) continue
      out.push({
        auditId: a.id,
        audit: a.name,
        model: plan.model,
        filter: plan.filter,
        rank: plan.rank,
        finding: f.name,
        flagged: Number(counts.find((c) => c.finding_id === f.id)?.n ?? 0),
        ...flagReviewStats(countJudged(items), o.ci ?? 'wilson', o.confidence ?? 0.95),
      })
    }
  }
  return out
}
