import {
  AuditInputError,
  DEFAULT_TAGS,
  derivedLabel,
  drawAudit,
  matchesFilters,
  NO_FINDING,
  normaliseTags,
  pageCount,
  resolveFindingNames,
  type AuditDraw,
  type AuditPlan,
  type Candidate,
  type FindingPool,
} from '@cxr-audit/core'
import { listFindings, type FindingRow } from './datasets.ts'
import { StoreError, now, type Db, type Store } from './store.ts'

/** Names the sampler; stored with every audit so a future change of algorithm is visible. */
export const SAMPLER = 'sfc32-cyrb128/seed:finding:stratum/v1'

/** What is stored in `audit.plan`. */
export interface StoredPlan extends AuditPlan {
  readonly sampler: string
  readonly notes: readonly string[]
  readonly draw: AuditDraw['findings']
}

export interface AuditFindingSummary {
  readonly findingId: number
  readonly name: string
  readonly items: number
  readonly pages: number
}

export interface AuditSummary {
  readonly id: number
  readonly datasetId: number
  readonly dataset: string
  readonly name: string
  readonly seed: number
  readonly blinded: boolean
  readonly tags: string[]
  readonly createdAt: string
  readonly plan: StoredPlan
  readonly findings: AuditFindingSummary[]
  readonly items: number
}

export interface CreateAuditInput {
  readonly datasetId: number
  readonly name: string
  readonly plan: AuditPlan
  /** The audit's tag set; the default set when not given. */
  readonly tags?: readonly string[] | undefined
}

/** Resolves finding names (any spelling `FindingNames` accepts) to the dataset's findings. */
export function resolveFindings(
  all: readonly FindingRow[],
  names: readonly string[],
): FindingRow[] {
  const out = resolveFindingNames(all, names, {
    unknown: (raw) =>
      new AuditInputError(`unknown finding "${raw}" (known: ${all.map((x) => x.name).join(', ')})`),
  }).found
  if (out.length === 0) throw new AuditInputError('an audit needs at least one finding')
  return out
}

/**
 * The candidates of each finding: images of the dataset on disk that pass the filters, with
 * their original label (a derived finding's label is the union of its components').
 */
export async function loadAuditPools(
  db: Db,
  datasetId: number,
  findings: readonly FindingRow[],
  all: readonly FindingRow[],
  plan: Pick<AuditPlan, 'filters' | 'negativesFrom'>,
): Promise<FindingPool[]> {
  // --negatives-from no-finding: a finding's negatives are `No Finding` films only [W33]
  const none = plan.negativesFrom === 'no-finding' ? noFindingOf(all, findings) : null
  const images = (
    await db
      .selectFrom('image')
      .select(['id', 'name', 'patient', 'age', 'sex', 'view', 'split'])
      .where('dataset_id', '=', datasetId)
      .where('on_disk', '=', 1)
      .execute()
  ).filter((im) => matchesFilters(im, plan.filters))
  const idOf = new Map(all.map((f) => [f.name, f.id]))
  const parts = new Map(
    findings.map((f) => [f.id, (f.derivedFrom ?? [f.name]).map((n) => idOf.get(n) ?? -1)]),
  )
  const wanted = [...new Set([...parts.values()].flat())]
  if (none !== null && !wanted.includes(none.id)) wanted.push(none.id)
  const labels = new Map<string, number>()
  if (images.length > 0 && wanted.length > 0) {
    const rows = await db
      .selectFrom('label')
      .innerJoin('image', 'image.id', 'label.image_id')
      .select(['label.image_id', 'label.finding_id', 'label.value'])
      .where('image.dataset_id', '=', datasetId)
      .where('image.on_disk', '=', 1)
      .where('label.finding_id', 'in', wanted)
      .execute()
    for (const r of rows) labels.set(`${r.image_id}:${r.finding_id}`, r.value)
  }
  return findings.map((f) => ({
    finding: f.name,
    candidates: images
      .map((im): Candidate => ({
        imageId: im.id,
        name: im.name,
        patient: im.patient,
        label: derivedLabel(parts.get(f.id)!.map((p) => labels.get(`${im.id}:${p}`) ?? 0)),
      }))
      .filter((c) => none === null || c.label !== 0 || labels.get(`${c.imageId}:${none.id}`) === 1),
  }))
}

/** The `No Finding` finding for `--negatives-from no-finding`, which cannot audit itself. */
function noFindingOf(all: readonly FindingRow[], findings: readonly FindingRow[]): FindingRow {
  const none = all.find((f) => f.name === NO_FINDING)
  if (none === undefined)
    throw new AuditInputError(
      `--negatives-from no-finding: the dataset has no "${NO_FINDING}" finding`,
    )
  if (findings.includes(none))
    throw new AuditInputError(
      `--negatives-from no-finding: "${NO_FINDING}" cannot be its own negatives; audit it without the option`,
    )
  return none
}

/**
 * Draws and stores a new audit in one transaction [W3]: nothing is written when the draw is
 * refused (a finding with no image on disk, a name already used).
 */
export async function createAudit(
  store: Store,
  input: CreateAuditInput,
): Promise<{ audit: AuditSummary; notes: string[] }> {
  const name = input.name.trim()
  if (name === '') throw new AuditInputError('an audit needs a name')
  if (name.length > 120) throw new AuditInputError('an audit name has at most 120 characters')
  const tags = normaliseTags(input.tags ?? DEFAULT_TAGS)
  const all = await listFindings(store.db, input.datasetId)
  const findings = resolveFindings(all, input.plan.findings)
  const plan: AuditPlan = { ...input.plan, findings: findings.map((f) => f.name) }
  const clash = await store.db
    .selectFrom('audit')
    .select('id')
    .where('dataset_id', '=', input.datasetId)
    .where('name', '=', name)
    .executeTakeFirst()
  if (clash !== undefined)
    throw new AuditInputError(`an audit named "${name}" already exists in this dataset`)
  const pools = await loadAuditPools(store.db, input.datasetId, findings, all, plan)
  const draw = drawAudit(pools, plan)
  const idOf = new Map(findings.map((f) => [f.name, f.id]))
  const stored: StoredPlan = { ...plan, sampler: SAMPLER, notes: draw.notes, draw: draw.findings }
  const id = await store.db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('audit')
      .values({
        dataset_id: input.datasetId,
        name,
        seed: String(plan.seed),
        plan: JSON.stringify(stored),
        blinded: plan.blinded ? 1 : 0,
        tag_set: JSON.stringify(tags),
        created_at: now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await store.bulkInsert(
      tx,
      'audit_item',
      ['audit_id', 'position', 'image_id', 'finding_id', 'labelled', 'inclusion'],
      draw.items.map((it, i) => [
        row.id,
        i,
        it.imageId,
        idOf.get(it.finding)!,
        it.labelled,
        it.inclusion,
      ]),
    )
    return row.id
  })
  const audit = await getAudit(store.db, id)
  if (audit === undefined) throw new StoreError(`the audit ${id} vanished after it was stored`)
  return { audit, notes: draw.notes }
}

/** Every audit, newest first, optionally of one dataset. */
export async function listAudits(db: Db, datasetId?: number): Promise<AuditSummary[]> {
  let q = db
    .selectFrom('audit')
    .innerJoin('dataset', 'dataset.id', 'audit.dataset_id')
    .selectAll('audit')
    .select('dataset.name as dataset_name')
    .orderBy('audit.id', 'desc')
  if (datasetId !== undefined) q = q.where('audit.dataset_id', '=', datasetId)
  const rows = await q.execute()
  if (rows.length === 0) return []
  const counts = await db
    .selectFrom('audit_item')
    .innerJoin('finding', 'finding.id', 'audit_item.finding_id')
    .select([
      'audit_item.audit_id',
      'audit_item.finding_id',
      'finding.name',
      (e) => e.fn.countAll<number>().as('n'),
      (e) => e.fn.min('audit_item.position').as('first'),
    ])
    .where(
      'audit_item.audit_id',
      'in',
      rows.map((r) => r.id),
    )
    .groupBy(['audit_item.audit_id', 'audit_item.finding_id', 'finding.name'])
    .execute()
  return rows.map((r) => {
    const findings = counts
      .filter((c) => c.audit_id === r.id)
      .sort((a, b) => Number(a.first) - Number(b.first))
      .map((c) => ({
        findingId: c.finding_id,
        name: c.name,
        items: Number(c.n),
        pages: pageCount(Number(c.n)),
      }))
    const plan = JSON.parse(r.plan) as StoredPlan
    return {
      id: r.id,
      datasetId: r.dataset_id,
      dataset: r.dataset_name,
      name: r.name,
      seed: Number(r.seed),
      blinded: r.blinded === 1,
      tags: JSON.parse(r.tag_set) as string[],
      createdAt: r.created_at,
      plan,
      findings,
      items: findings.reduce((s, f) => s + f.items, 0),
    }
  })
}

export async function getAudit(db: Db, id: number): Promise<AuditSummary | undefined> {
  const rows = await db.selectFrom('audit').select('dataset_id').where('id', '=', id).execute()
  if (rows.length === 0) return undefined
  return (await listAudits(db, rows[0]!.dataset_id)).find((a) => a.id === id)
}
