import { BUILT_IN_SAME_FINDINGS, type QualifiedFinding, type SamePair } from '@cxr-audit/core'
import { now, type Db } from './store.ts'

/**
 * Declares two findings of (possibly not yet imported) datasets the same [DS5]; declaring a
 * pair again, either way round, changes nothing. Returns whether it was new.
 */
export async function declareSameFindings(
  db: Db,
  a: QualifiedFinding,
  b: QualifiedFinding,
): Promise<boolean> {
  const all = await sameFindingPairs(db)
  const same = (x: QualifiedFinding, y: QualifiedFinding): boolean =>
    x.dataset === y.dataset && x.finding === y.finding
  if (all.some((p) => (same(p.a, a) && same(p.b, b)) || (same(p.a, b) && same(p.b, a))))
    return false
  await db
    .insertInto('finding_same')
    .values({
      a_dataset: a.dataset,
      a_finding: a.finding,
      b_dataset: b.dataset,
      b_finding: b.finding,
      created_at: now(),
    })
    .execute()
  return true
}

/** The built-in table of the public sets, then every declared pair, in declaration order. */
export async function sameFindingPairs(db: Db): Promise<SamePair[]> {
  const rows = await db.selectFrom('finding_same').selectAll().orderBy('id').execute()
  return [
    ...BUILT_IN_SAME_FINDINGS,
    ...rows.map((r): SamePair => ({
      a: { dataset: r.a_dataset, finding: r.a_finding },
      b: { dataset: r.b_dataset, finding: r.b_finding },
      source: 'declared',
    })),
  ]
}

/** The image ids of each study of a dataset (films of a study, or the study item itself). */
export async function imageIdsByStudy(db: Db, datasetId: number): Promise<Map<string, number[]>> {
  const rows = await db
    .selectFrom('image')
    .select(['id', 'study', 'view'])
    .where('dataset_id', '=', datasetId)
    .where('study', 'is not', null)
    .orderBy('id')
    .execute()
  const out = new Map<string, number[]>()
  for (const r of rows) {
    const list = out.get(r.study!) ?? []
    list.push(r.id)
    out.set(r.study!, list)
  }
  return out
}
