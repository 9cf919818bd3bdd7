import type { Verdict } from '@cxr-audit/core'
import { chunkIds } from './label-schema.ts'
import { currentVerdicts } from './verdicts.ts'
import type { Db } from './store.ts'

/** A current verdict with names instead of ids, for files read without the database [R9]. */
export interface NamedVerdict {
  readonly reader: string
  readonly image: string
  readonly finding: string
  readonly verdict: Verdict
}

/** Image names by id. */
export async function imageNames(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>()
  for (const chunk of chunkIds([...new Set(ids)])) {
    const rows = await db
      .selectFrom('image')
      .select(['id', 'name'])
      .where('id', 'in', chunk)
      .execute()
    for (const r of rows) out.set(r.id, r.name)
  }
  return out
}

/**
 * The current verdicts of these readers on every finding of the dataset (an audit's only), in
 * the order of their events: the order the agreement statistics meet the images in [R9].
 */
export async function namedCurrentVerdicts(
  db: Db,
  o: {
    readonly readers: readonly { id: number; name: string }[]
    readonly findings: readonly { id: number; name: string }[]
    readonly auditId?: number | undefined
  },
): Promise<NamedVerdict[]> {
  const rows = await currentVerdicts(db, {
    readerIds: o.readers.map((r) => r.id),
    findingIds: o.findings.map((f) => f.id),
    ...(o.auditId === undefined ? {} : { auditId: o.auditId }),
  })
  const names = await imageNames(
    db,
    rows.map((r) => r.imageId),
  )
  const reader = new Map(o.readers.map((r) => [r.id, r.name]))
  const finding = new Map(o.findings.map((f) => [f.id, f.name]))
  return rows.map((r) => ({
    reader: reader.get(r.readerId)!,
    image: names.get(r.imageId)!,
    finding: finding.get(r.findingId)!,
    verdict: r.verdict,
  }))
}

/** An audit's drawn items in order, by name [R9]. */
export async function auditDrawnItems(
  db: Db,
  auditId: number,
): Promise<
  { position: number; finding: string; image: string; labelled: number; inclusion: number | null }[]
> {
  const rows = await db
    .selectFrom('audit_item as a')
    .innerJoin('image as i', 'i.id', 'a.image_id')
    .innerJoin('finding as f', 'f.id', 'a.finding_id')
    .select(['a.position', 'f.name as finding', 'i.name as image', 'a.labelled', 'a.inclusion'])
    .where('a.audit_id', '=', auditId)
    .orderBy('a.position')
    .execute()
  return rows.map((r) => ({ ...r, inclusion: r.inclusion === null ? null : Number(r.inclusion) }))
}
