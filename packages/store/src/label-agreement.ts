import { pageItemKey, pageState } from './audit-pages.ts'
import { agreementTable, type AgreementRow, type Read, type Seed } from '@cxr-audit/core'
import { findDataset, listFindings } from './datasets.ts'
import { loadAuditInfo } from './label-audits.ts'
import { pickFindings, unknownReaders } from './label-data.ts'
import { listReaders } from './readers.ts'
import { StoreError, type Db } from './store.ts'
import { currentVerdicts } from './verdicts.ts'

export const DEFAULT_AGREEMENT_SEED = 1
export const DEFAULT_REPLICATES = 1000

export interface ReaderAgreementOptions {
  /** Reader names; or */
  readonly readers?: readonly string[] | undefined
  /** every reader whose name starts with this; in audit mode, both default to its readers. */
  readonly readerPrefix?: string | undefined
  readonly findings?: readonly string[] | undefined
  readonly seed?: Seed | undefined
  readonly replicates?: number | undefined
  readonly confidence?: number | undefined
  readonly dataset?: string | undefined
  readonly auditId?: number | undefined
}

/** What `cxr-audit stats agreement --json` prints (and the results page shows) [L11]-[L13]. */
export interface AgreementReport {
  readonly readers: readonly string[]
  readonly dataset: string
  readonly auditId: number | null
  readonly seed: Seed
  readonly replicates: number
  readonly confidence: number
  readonly interval: string
  /** Reads left out because their page is not finished [L25]. */
  readonly unfinishedReads: number
  readonly findings: AgreementRow[]
}

export const AGREEMENT_INTERVAL =
  'percentile bootstrap over images (one resample of images for every statistic)'

/**
 * Agreement between readers per finding [L11]-[L13]: Fleiss' kappa over all readers, pairwise
 * Cohen's kappa, percent agreement, with seeded bootstrap intervals. Every finding any of the
 * readers judged, unless `findings` narrows it.
 */
export async function readerAgreement(db: Db, o: ReaderAgreementOptions): Promise<AgreementReport> {
  const audit = o.auditId === undefined ? null : await loadAuditInfo(db, o.auditId)
  const dataset =
    audit === null ? await findDataset(db, o.dataset) : { id: audit.datasetId, name: audit.dataset }
  const all = await listReaders(db)
  let names: string[]
  if (o.readers !== undefined && o.readers.length > 0) {
    names = [...new Set(o.readers.map((r) => r.trim()).filter((r) => r !== ''))]
    const missing = names.filter((n) => !all.some((r) => r.name === n))
    if (missing.length > 0) throw unknownReaders(missing, all)
  } else if (o.readerPrefix !== undefined) {
    const prefix = o.readerPrefix
    names = all.filter((r) => r.name.startsWith(prefix)).map((r) => r.name)
    if (names.length === 0) throw new StoreError(`no reader's name starts with "${prefix}"`)
  } else if (audit !== null) {
    names = audit.readers
  } else {
    throw new StoreError('say which readers: --readers A,B,... or --reader-prefix P')
  }
  if (names.length < 2) {
    throw new StoreError(
      `agreement needs at least two readers (got ${names.map((n) => `"${n}"`).join(', ') || 'none'})`,
    )
  }
  const readers = names.map((n) => all.find((r) => r.name === n)!)
  const findings = await listFindings(db, dataset.id)
  const { picked } = pickFindings(findings, o.findings)
  const current = await currentVerdicts(db, {
    readerIds: readers.map((r) => r.id),
    findingIds: findings.map((f) => f.id),
    ...(audit === null ? {} : { auditId: audit.id }),
  })
  // reads on pages their reader has not finished do not count [L25]
  const pages = await pageState(
    db,
    readers.map((r) => r.id),
    [...new Set(current.flatMap((r) => (r.auditId === null ? [] : [r.auditId])))],
  )
  const rows = current.filter(
    (r) =>
      r.auditId === null ||
      !pages.unfinished.has(pageItemKey(r.readerId, r.auditId, r.findingId, r.imageId)),
  )
  const nameOf = new Map(readers.map((r) => [r.id, r.name]))
  const findingName = new Map(findings.map((f) => [f.id, f.name]))
  const reads: Read[] = rows.map((r) => ({
    image: r.imageId,
    reader: nameOf.get(r.readerId)!,
    finding: findingName.get(r.findingId)!,
    verdict: r.verdict,
  }))
  const judged = new Set(reads.map((r) => r.finding))
  const explicit = o.findings !== undefined && o.findings.length > 0
  const chosen = picked.filter((f) => explicit || judged.has(f.name)).map((f) => f.name)
  const seed = o.seed ?? DEFAULT_AGREEMENT_SEED
  const replicates = o.replicates ?? DEFAULT_REPLICATES
  const confidence = o.confidence ?? 0.95
  return {
    readers: names,
    dataset: dataset.name,
    auditId: audit?.id ?? null,
    seed,
    replicates,
    confidence,
    interval: AGREEMENT_INTERVAL,
    unfinishedReads: current.length - rows.length,
    findings: agreementTable(reads, names, chosen, { seed, replicates, confidence }),
  }
}
