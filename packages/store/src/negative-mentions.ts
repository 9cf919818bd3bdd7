import type { FindingRow } from './datasets.ts'
import { chunkIds } from './label-schema.ts'
import type { Db } from './store.ts'

/**
 * Of the given labelled-negative items, the ones whose report mentions the finding as absent
 * (a stored `0` label, CheXpert's `0.0`) [DS2]; the others were not mentioned. A derived
 * finding is mentioned when any component is. Keys are `findingId:imageId`.
 */
export async function negativeMentions(
  db: Db,
  items: readonly { imageId: number; findingId: number }[],
  findings: readonly FindingRow[],
): Promise<Set<string>> {
  const out = new Set<string>()
  if (items.length === 0) return out
  const idByName = new Map(findings.map((f) => [f.name, f.id]))
  const partsOf = new Map(
    findings.map((f) => [
      f.id,
      f.derivedFrom === null ? [f.id] : f.derivedFrom.map((n) => idByName.get(n) ?? -1),
    ]),
  )
  const zero = new Set<string>()
  for (const chunk of chunkIds([...new Set(items.map((i) => i.imageId))])) {
    const rows = await db
      .selectFrom('label')
      .select(['image_id', 'finding_id'])
      .where('image_id', 'in', chunk)
      .where('value', '=', 0)
      .execute()
    for (const r of rows) zero.add(`${r.finding_id}:${r.image_id}`)
  }
  if (zero.size === 0) return out
  for (const i of items) {
    const parts = partsOf.get(i.findingId) ?? [i.findingId]
    if (parts.some((p) => zero.has(`${p}:${i.imageId}`))) out.add(`${i.findingId}:${i.imageId}`)
  }
  return out
}

/** How many stored labels of a dataset hold each value (1, 0, -1) [DS2]. */
export async function labelValueCounts(db: Db, datasetId: number): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('label')
    .innerJoin('image', 'image.id', 'label.image_id')
    .select(['label.value', (e) => e.fn.countAll<number>().as('n')])
    .where('image.dataset_id', '=', datasetId)
    .groupBy('label.value')
    .execute()
  return Object.fromEntries(rows.map((r) => [String(r.value), Number(r.n)]))
}
