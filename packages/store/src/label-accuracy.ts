import {
  PUBLISHED_SOURCE,
  accuracyStats,
  compareGroups,
  countJudged,
  findingKey,
  labelSubgroupOf,
  publishedAccuracy,
  subgroupByText,
  subgroupTest,
  type AccuracyStats,
  type IntervalMethod,
  type ReaderSpec,
  type SubgroupBy,
  type SubgroupTestResult,
} from '@cxr-audit/core'
import { findDataset, listFindings } from './datasets.ts'
import { loadAuditInfo, type AuditInfo } from './label-audits.ts'
import {
  loadLabelImageFacts,
  loadJudgedWithPages,
  pickFindings,
  resolveReaders,
  type Judged,
} from './label-data.ts'
import { listLabelImports } from './label-imports.ts'
import { labelIssueReviews, type LabelIssueReview } from './label-issue-review.ts'
import { labelPopulation, scoreDrawnFilms, type LabelPopulationReport } from './label-population.ts'
import { negativeMentions } from './negative-mentions.ts'
import { StoreError, type Db } from './store.ts'

export interface LabelAccuracyOptions {
  /** A reader or a consensus [L7]; in audit mode, defaults to the audit's readers. */
  readonly reader?: ReaderSpec | undefined
  readonly findings?: readonly string[] | undefined
  readonly ci?: IntervalMethod | undefined
  readonly confidence?: number | undefined
  readonly by?: SubgroupBy | undefined
  readonly dataset?: string | undefined
  /** Only this audit's sample and verdicts, with the labels it drew. */
  readonly auditId?: number | undefined
  /** Population estimates from the designed audits [L26]: the bootstrap's seed and size. */
  readonly population?: { readonly seed: number; readonly replicates: number } | undefined
}

export interface SubgroupAccuracy extends AccuracyStats {
  readonly group: string
}

export interface FindingAccuracy extends AccuracyStats {
  readonly finding: string
  readonly derived: boolean
  /** Components of a derived finding, else null. */
  readonly from: readonly string[] | null
  readonly publishedPrecision: number | null
  readonly publishedRecall: number | null
  readonly publishedSource: string | null
  /**
   * The labelled negatives split as published [DS2]: a negative mention (CheXpert `0.0`) and
   * not mentioned (blank; every CXR14 negative). Both count in `labelledNegative`.
   */
  readonly labelledNegativeMention: number
  readonly labelledNotMentioned: number
  /** Films of the finding's audit items tagged "image unusable" by a reader [L25]. */
  readonly unusable: number
  /**
   * Judged films whose verdicts were all given in audits drawn by model score (label-issue
   * audits, error galleries) or embedding clusters: pooled into PPV/NPV above, not random [L29].
   */
  readonly drawnByScore: number
  /** Films left out because the reader has not finished their page [L25]. */
  readonly unfinishedImages: number
  readonly subgroups?: readonly SubgroupAccuracy[]
  /** Whether PPV and NPV differ between the subgroups [L10]. */
  readonly subgroupTest?: {
    readonly by: string
    readonly ppv: SubgroupTestResult
    readonly npv: SubgroupTestResult
  }
}

/** What `cxr-audit stats labels --json` prints (and the results page shows) [L3]-[L10]. */
export interface LabelAccuracyReport {
  readonly reader: string
  readonly readers: readonly string[]
  readonly consensus: boolean
  readonly dataset: string
  readonly audit: AuditInfo | null
  readonly ci: IntervalMethod
  readonly confidence: number
  readonly by: string | null
  readonly findings: FindingAccuracy[]
  /** Items left out because their page is not finished, over the findings [L25]. */
  readonly unfinishedImages: number
  /** Findings of the reader's imported files that match no finding of the dataset [L1]. */
  readonly noCounterpart: { finding: string; file: string; reason: string }[]
  /**
   * Labels flagged by `label-issues` that the reader confirmed wrong, per label-issue audit
   * (the one of --audit, else every one the reader judged) and finding [LI4].
   */
  readonly labelIssues: LabelIssueReview[]
  /** Sentences on how the figures may be biased, e.g. films drawn by score pooled [L29]. */
  readonly warnings: string[]
  /** With `population`: the estimates for the whole dataset [L26]-[L28]. */
  readonly population?: LabelPopulationReport
}

/**
 * Label accuracy of the dataset's original labels against a reader (or a consensus), per
 * finding, for every finding the reader judged unless `findings` narrows it [L3]-[L10]. The
 * server calls this for the results page; the CLI prints it.
 */
export async function labelAccuracy(db: Db, o: LabelAccuracyOptions): Promise<LabelAccuracyReport> {
  const ci = o.ci ?? 'wilson'
  const confidence = o.confidence ?? 0.95
  const audit = o.auditId === undefined ? null : await loadAuditInfo(db, o.auditId)
  const dataset =
    audit === null ? await findDataset(db, o.dataset) : { id: audit.datasetId, name: audit.dataset }
  const spec = o.reader ?? (audit === null ? undefined : auditReaders(audit))
  if (spec === undefined) {
    throw new StoreError(
      audit === null
        ? '--reader is needed (a reader name or consensus:A,B,C)'
        : `audit ${audit.id} has no verdicts yet`,
    )
  }
  const resolved = await resolveReaders(db, spec)
  const all = await listFindings(db, dataset.id)
  const imports = await listLabelImports(
    db,
    resolved.readers.map((r) => r.id),
  )
  const unmatched = new Map<string, string>()
  for (const i of imports)
    for (const c of i.unmatched) if (!unmatched.has(findingKey(c))) unmatched.set(findingKey(c), c)
  const { picked, missing } = pickFindings(all, o.findings, (w) => unmatched.has(findingKey(w)))
  const loaded = await loadJudgedWithPages(db, {
    readers: resolved.readers,
    findings: picked,
    allFindings: all,
    auditId: o.auditId,
  })
  const judged = loaded.judged
  const byFinding = new Map<number, Judged[]>()
  for (const j of judged) {
    const list = byFinding.get(j.findingId)
    if (list === undefined) byFinding.set(j.findingId, [j])
    else list.push(j)
  }
  const facts =
    o.by === undefined
      ? null
      : await loadLabelImageFacts(
          db,
          judged.map((j) => j.imageId),
          o.by.kind === 'tag',
        )
  const explicit = o.findings !== undefined && o.findings.length > 0
  const mentioned = await negativeMentions(
    db,
    judged.filter((j) => j.label === 0),
    all,
  )
  // Wang et al.'s published precision is of the CXR14 labels: other datasets have none
  const format =
    audit === null
      ? (dataset as { sourceFormat?: string }).sourceFormat
      : await datasetFormat(db, dataset.id)
  const byScore = await scoreDrawnFilms(db, {
    readers: resolved.readers,
    datasetId: dataset.id,
    findingIds: picked.map((f) => f.id),
    auditId: o.auditId,
  })
  const findings: FindingAccuracy[] = []
  for (const f of picked) {
    const items = byFinding.get(f.id) ?? []
    const unfinishedImages = loaded.unfinished.get(f.id) ?? 0
    if (items.length === 0 && unfinishedImages === 0 && !explicit) continue
    const published = format === 'cxr14' ? publishedAccuracy(f.name) : undefined
    const negatives = items.filter((j) => j.label === 0)
    const mentions = negatives.filter((j) => mentioned.has(`${j.findingId}:${j.imageId}`)).length
    const row: FindingAccuracy = {
      finding: f.name,
      derived: f.derivedFrom !== null,
      from: f.derivedFrom,
      ...accuracyStats(countJudged(items), ci, confidence),
      unusable: loaded.unusable.get(f.id) ?? 0,
      drawnByScore: items.filter((j) => byScore.get(f.id)?.has(j.imageId) === true).length,
      unfinishedImages,
      publishedPrecision: f.derivedFrom === null ? (published?.cxr14Precision ?? null) : null,
      publishedRecall: f.derivedFrom === null ? (published?.cxr14Recall ?? null) : null,
      publishedSource: f.derivedFrom === null && published !== undefined ? PUBLISHED_SOURCE : null,
      labelledNegativeMention: mentions,
      labelledNotMentioned: negatives.length - mentions,
    }
    findings.push(
      facts === null || o.by === undefined
        ? row
        : withSubgroups(row, items, facts, o.by, ci, confidence),
    )
  }
  const noCounterpart: LabelAccuracyReport['noCounterpart'] = []
  const seen = new Set<string>()
  for (const i of imports) {
    for (const c of i.unmatched) {
      const key = findingKey(c)
      if (seen.has(key)) continue
      if (explicit && !missing.some((m) => findingKey(m) === key)) continue
      seen.add(key)
      noCounterpart.push({
        finding: c,
        file: i.file,
        reason: `no finding of "${dataset.name}" matches it (the dataset has no such label): not scored`,
      })
    }
  }
  const labelIssues = await labelIssueReviews(db, {
    datasetId: dataset.id,
    readers: resolved.readers,
    auditId: o.auditId,
    findings: explicit ? picked : undefined,
    ci,
    confidence,
  })
  return {
    reader: resolved.name,
    readers: resolved.readers.map((r) => r.name),
    consensus: resolved.consensus,
    dataset: dataset.name,
    audit,
    ci,
    confidence,
    by: o.by === undefined ? null : subgroupByText(o.by),
    findings,
    unfinishedImages: findings.reduce((n, f) => n + f.unfinishedImages, 0),
    noCounterpart,
    labelIssues,
    warnings: scoreWarnings(findings),
    ...(o.population === undefined
      ? {}
      : {
          population: await labelPopulation(db, {
            readers: resolved.readers,
            datasetId: dataset.id,
            findings: picked.filter((f) => findings.some((x) => x.finding === f.name)),
            allFindings: all,
            auditId: o.auditId,
            seed: o.population.seed,
            replicates: o.population.replicates,
            confidence,
          }),
        }),
  }
}

/** [L29]: the plain PPV/NPV pool films drawn by score with random ones; say so. */
function scoreWarnings(findings: readonly FindingAccuracy[]): string[] {
  const hit = findings.filter((f) => f.drawnByScore > 0)
  if (hit.length === 0) return []
  return [
    `PPV and NPV pool ${hit.map((f) => `${f.drawnByScore} film${f.drawnByScore === 1 ? '' : 's'} of ${f.finding}`).join(', ')} drawn by model score (label-issue audits, error galleries) with randomly drawn films: such films are not a random sample, so these figures are biased. Read PPV from a random audit (--audit ID) or use --population, which leaves them out.`,
  ]
}

/** The readers of an audit as one reader, or the consensus of all of them; none without verdicts. */
function auditReaders(audit: AuditInfo): ReaderSpec | undefined {
  const [first, ...more] = audit.readers
  if (first === undefined) return undefined
  return more.length === 0
    ? { kind: 'reader', name: first }
    : { kind: 'consensus', members: audit.readers }
}

function withSubgroups(
  row: FindingAccuracy,
  items: readonly Judged[],
  facts: ReadonlyMap<number, Parameters<typeof labelSubgroupOf>[1]>,
  by: SubgroupBy,
  ci: IntervalMethod,
  confidence: number,
): FindingAccuracy {
  const groups = new Map<string, Judged[]>()
  for (const j of items) {
    const image = facts.get(j.imageId)
    if (image === undefined) continue
    const g = labelSubgroupOf(by, image)
    const list = groups.get(g)
    if (list === undefined) groups.set(g, [j])
    else list.push(j)
  }
  const subgroups = [...groups.keys()].sort(compareGroups).map((group) => ({
    group,
    ...accuracyStats(countJudged(groups.get(group)!), ci, confidence),
  }))
  return {
    ...row,
    subgroups,
    subgroupTest: {
      by: subgroupByText(by),
      ppv: subgroupTest(
        subgroups.map((s) => ({ group: s.group, success: s.present, total: s.labelledPositive })),
      ),
      npv: subgroupTest(
        subgroups.map((s) => ({
          group: s.group,
          success: s.negativeAbsent,
          total: s.labelledNegative,
        })),
      ),
    },
  }
}

async function datasetFormat(db: Db, datasetId: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('dataset')
    .select('source_format')
    .where('id', '=', datasetId)
    .executeTakeFirst()
  return row?.source_format
}
