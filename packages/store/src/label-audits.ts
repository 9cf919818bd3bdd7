import { StoreError, type Db } from './store.ts'

/** What the label statistics and the report say about an audit (read from its tables). */
export interface AuditInfo {
  readonly id: number
  readonly name: string
  readonly datasetId: number
  readonly dataset: string
  readonly seed: string
  readonly blinded: boolean
  readonly createdAt: string
  /** The stored plan (JSON), as the workbench wrote it. */
  readonly plan: unknown
  /** The drawn sample per finding: items by label at draw time. */
  readonly sample: {
    finding: string
    items: number
    labelledPositive: number
    labelledNegative: number
    labelledUncertain: number
  }[]
  /** Readers with at least one verdict in the audit, by name. */
  readonly readers: string[]
  /** The readers as a `--reader`: the one reader, or `consensus:` of all; '' without verdicts. */
  readonly readerSpec: string
}

/** Loads an audit's facts; an unknown id is a StoreError. */
export async function loadAuditInfo(db: Db, auditId: number): Promise<AuditInfo> {
  const a = await db
    .selectFrom('audit')
    .innerJoin('dataset', 'dataset.id', 'audit.dataset_id')
    .select([
      'audit.id',
      'audit.name',
      'audit.dataset_id',
      'dataset.name as dataset',
      'audit.seed',
      'audit.blinded',
      'audit.created_at',
      'audit.plan',
    ])
    .where('audit.id', '=', auditId)
    .executeTakeFirst()
  if (a === undefined) {
    const ids = await db.selectFrom('audit').select(['id', 'name']).orderBy('id').execute()
    throw new StoreError(
      `no audit ${auditId} (${ids.length === 0 ? 'no audits yet' : `audits: ${ids.map((r) => `${r.id} "${r.name}"`).join(', ')}`})`,
    )
  }
  const items = await db
    .selectFrom('audit_item')
    .innerJoin('finding', 'finding.id', 'audit_item.finding_id')
    .select(['finding.name', 'finding.position', 'audit_item.labelled'])
    .where('audit_item.audit_id', '=', auditId)
    .execute()
  const sample = new Map<string, { position: number; counts: [number, number, number] }>()
  for (const r of items) {
    let s = sample.get(r.name)
    if (s === undefined) {
      s = { position: r.position, counts: [0, 0, 0] }
      sample.set(r.name, s)
    }
    s.counts[r.labelled === 1 ? 0 : r.labelled === -1 ? 2 : 1]++
  }
  const readers = await db
    .selectFrom('verdict_event')
    .innerJoin('reader', 'reader.id', 'verdict_event.reader_id')
    .select('reader.name')
    .distinct()
    .where('verdict_event.audit_id', '=', auditId)
    .orderBy('reader.name')
    .execute()
  const names = readers.map((r) => r.name)
  let plan: unknown = null
  try {
    plan = JSON.parse(a.plan)
  } catch {
    plan = a.plan
  }
  return {
    id: a.id,
    name: a.name,
    datasetId: a.dataset_id,
    dataset: a.dataset,
    seed: String(a.seed),
    blinded: a.blinded === 1,
    createdAt: a.created_at,
    plan,
    sample: [...sample]
      .sort((x, y) => x[1].position - y[1].position)
      .map(([finding, s]) => ({
        finding,
        items: s.counts[0] + s.counts[1] + s.counts[2],
        labelledPositive: s.counts[0],
        labelledNegative: s.counts[1],
        labelledUncertain: s.counts[2],
      })),
    readers: names,
    readerSpec:
      names.length === 0 ? '' : names.length === 1 ? names[0]! : `consensus:${names.join(',')}`,
  }
}
