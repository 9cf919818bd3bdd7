import type { Store, Tx } from '@cxr-audit/store'
import type { Cxr14Input } from './cxr14-read.ts'

// The diffing half of a CXR14 write: each step writes only what differs from the stored state,
// so that re-importing the same files changes nothing (docs/decisions/003).

/** Images no longer in the metadata go, unless a reader or a model refers to them. */
export async function removeStale(tx: Tx, ids: number[]): Promise<number> {
  let removed = 0
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500)
    const used = new Set<number>()
    for (const t of ['verdict_event', 'tag_event', 'audit_item', 'prediction'] as const) {
      for (const r of await tx
        .selectFrom(t)
        .select('image_id')
        .distinct()
        .where('image_id', 'in', chunk)
        .execute())
        used.add(r.image_id)
    }
    const free = chunk.filter((id) => !used.has(id))
    if (free.length === 0) continue
    await tx.deleteFrom('label').where('image_id', 'in', free).execute()
    await tx.deleteFrom('box').where('image_id', 'in', free).execute()
    await tx.deleteFrom('image').where('id', 'in', free).execute()
    removed += free.length
  }
  return removed
}

/** Writes only the label differences, so that an unchanged re-import touches nothing. */
export async function syncLabels(
  store: Store,
  tx: Tx,
  datasetId: number,
  labels: [number, number, number][],
  fresh: boolean,
  changes: Changes,
): Promise<void> {
  if (fresh) {
    await store.bulkInsert(tx, 'label', ['image_id', 'finding_id', 'value'], labels)
    return
  }
  const stored = await tx
    .selectFrom('label')
    .innerJoin('image', 'image.id', 'label.image_id')
    .select(['label.image_id', 'label.finding_id', 'label.value'])
    .where('image.dataset_id', '=', datasetId)
    .execute()
  const old = new Map(stored.map((l) => [`${l.image_id}:${l.finding_id}`, l.value]))
  const insert: [number, number, number][] = []
  for (const l of labels) {
    const key = `${l[0]}:${l[1]}`
    const value = old.get(key)
    old.delete(key)
    if (value === l[2]) continue
    changes.count++
    if (value !== undefined)
      await tx
        .updateTable('label')
        .set({ value: l[2] })
        .where('image_id', '=', l[0])
        .where('finding_id', '=', l[1])
        .execute()
    else insert.push(l)
  }
  await store.bulkInsert(tx, 'label', ['image_id', 'finding_id', 'value'], insert)
  changes.count += old.size
  for (const key of old.keys()) {
    const [image, finding] = key.split(':').map(Number) as [number, number]
    await tx
      .deleteFrom('label')
      .where('image_id', '=', image)
      .where('finding_id', '=', finding)
      .execute()
  }
}

/** Replaces the dataset's boxes only when they differ (box ids stay stable otherwise). */
export async function syncBoxes(
  store: Store,
  tx: Tx,
  datasetId: number,
  boxes: (readonly [number, number, number, number, number, number])[],
  changes: Changes,
): Promise<void> {
  const stored = await tx
    .selectFrom('box')
    .innerJoin('image', 'image.id', 'box.image_id')
    .select(['box.image_id', 'box.finding_id', 'box.x', 'box.y', 'box.w', 'box.h'])
    .where('image.dataset_id', '=', datasetId)
    .orderBy('box.id')
    .execute()
  const key = (b: readonly unknown[]): string => b.join(',')
  const same =
    stored.length === boxes.length &&
    stored.every((b, i) => key([b.image_id, b.finding_id, b.x, b.y, b.w, b.h]) === key(boxes[i]!))
  if (same) return
  changes.count++
  await tx
    .deleteFrom('box')
    .where(
      'image_id',
      'in',
      tx.selectFrom('image').select('id').where('dataset_id', '=', datasetId),
    )
    .execute()
  await store.bulkInsert(
    tx,
    'box',
    ['image_id', 'finding_id', 'x', 'y', 'w', 'h'],
    boxes.map((b) => [...b]),
  )
}

/** Counts rows an import changed: a re-import that changes nothing leaves imported_at alone. */
export interface Changes {
  count: number
}

/** Replaces the stored import problems only when they differ. */
export async function syncProblems(
  store: Store,
  tx: Tx,
  datasetId: number,
  input: Cxr14Input,
  changes: Changes,
): Promise<void> {
  const rows = input.problems
    .list()
    .map((p) => [datasetId, p.kind, p.description, p.count, JSON.stringify(p.examples)])
  const stored = await tx
    .selectFrom('import_problem')
    .select(['dataset_id', 'kind', 'description', 'count', 'examples'])
    .where('dataset_id', '=', datasetId)
    .orderBy('id')
    .execute()
  const same =
    stored.length === rows.length &&
    stored.every(
      (p, i) =>
        JSON.stringify([p.dataset_id, p.kind, p.description, p.count, p.examples]) ===
        JSON.stringify(rows[i]),
    )
  if (same) return
  changes.count++
  await tx.deleteFrom('import_problem').where('dataset_id', '=', datasetId).execute()
  await store.bulkInsert(
    tx,
    'import_problem',
    ['dataset_id', 'kind', 'description', 'count', 'examples'],
    rows,
  )
}
