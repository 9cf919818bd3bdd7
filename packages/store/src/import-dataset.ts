import { now, type Db, type Tx } from './store.ts'

// The dataset-level half of writing an import (docs/decisions/003): the dataset row, its
// findings, and the date of the last import that changed something.

export interface DatasetImportTarget {
  readonly name: string
  readonly sourceFormat: string
  /** The files given this time; merged over what earlier imports recorded. */
  readonly sources: Readonly<Record<string, unknown>>
  /** The image folders given this time, or null to keep the stored ones. */
  readonly roots: readonly string[] | null
  /** `film` (default) or `study`: what one item of the dataset is. */
  readonly itemKind?: 'film' | 'study'
}

/**
 * Creates the dataset, or records this import's sources and roots on an existing one. Its
 * `imported_at` is left alone here: `markDatasetChanged` dates an import that changed rows.
 */
export async function openDatasetImport(
  tx: Tx,
  t: DatasetImportTarget,
): Promise<{ id: number; fresh: boolean }> {
  const existing = await tx
    .selectFrom('dataset')
    .select(['id', 'image_roots', 'sources'])
    .where('name', '=', t.name)
    .executeTakeFirst()
  const sources = JSON.stringify({
    ...(existing === undefined ? {} : (JSON.parse(existing.sources) as object)),
    ...t.sources,
  })
  const roots =
    t.roots === null && existing !== undefined
      ? existing.image_roots
      : JSON.stringify(t.roots ?? [])
  if (existing === undefined) {
    const row = await tx
      .insertInto('dataset')
      .values({
        name: t.name,
        source_format: t.sourceFormat,
        imported_at: now(),
        image_roots: roots,
        sources,
        item_kind: t.itemKind ?? 'film',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return { id: row.id, fresh: true }
  }
  // always written, even when equal: the transaction then holds the write lock (SQLite), which
  // id reservation for the bulk inserts relies on
  await tx
    .updateTable('dataset')
    .set({ image_roots: roots, sources })
    .where('id', '=', existing.id)
    .execute()
  return { id: existing.id, fresh: false }
}

/** Dates the import: `imported_at` is the time of the last import that changed something. */
export async function markDatasetChanged(tx: Tx, datasetId: number): Promise<void> {
  await tx.updateTable('dataset').set({ imported_at: now() }).where('id', '=', datasetId).execute()
}

/**
 * The labelled findings and the derived ones (name -> components), added when missing; returns
 * every finding's id by name. A derived finding the user redefined keeps its definition.
 */
export async function ensureFindings(
  tx: Tx,
  datasetId: number,
  labelled: readonly string[],
  derived: readonly { readonly name: string; readonly from: readonly string[] }[],
): Promise<Map<string, number>> {
  const have = await tx
    .selectFrom('finding')
    .select(['id', 'name'])
    .where('dataset_id', '=', datasetId)
    .execute()
  const ids = new Map(have.map((f) => [f.name, f.id]))
  const wanted = [
    ...labelled.map((name) => ({ name, derived_from: null })),
    ...derived.map((d) => ({ name: d.name, derived_from: JSON.stringify(d.from) })),
  ]
  let position = have.length
  for (const f of wanted) {
    if (ids.has(f.name)) continue
    const row = await tx
      .insertInto('finding')
      .values({ dataset_id: datasetId, ...f, position: position++ })
      .returning('id')
      .executeTakeFirstOrThrow()
    ids.set(f.name, row.id)
  }
  return ids
}

/** What an import summary reports from the stored state (sources not given keep old values). */
export interface StoredImportCounts {
  readonly onDisk: number
  /** Images per split; images without a split are not counted. */
  readonly splits: Record<string, number>
  readonly boxes: number
}

export async function storedImportCounts(db: Db, datasetId: number): Promise<StoredImportCounts> {
  const rows = await db
    .selectFrom('image')
    .select(['split', 'on_disk', (e) => e.fn.countAll<number>().as('n')])
    .where('dataset_id', '=', datasetId)
    .groupBy(['split', 'on_disk'])
    .execute()
  const splits: Record<string, number> = {}
  let onDisk = 0
  for (const r of rows) {
    if (r.on_disk === 1) onDisk += Number(r.n)
    if (r.split !== null) splits[r.split] = (splits[r.split] ?? 0) + Number(r.n)
  }
  const boxes = await db
    .selectFrom('box')
    .innerJoin('image', 'image.id', 'box.image_id')
    .select((e) => e.fn.countAll<number>().as('n'))
    .where('image.dataset_id', '=', datasetId)
    .executeTakeFirstOrThrow()
  return { onDisk, splits, boxes: Number(boxes.n) }
}

/** What one item of the named dataset is (`film` or `study`), or null when there is none. */
export async function datasetItemKind(db: Db, name: string): Promise<string | null> {
  const row = await db
    .selectFrom('dataset')
    .select('item_kind')
    .where('name', '=', name)
    .executeTakeFirst()
  return row?.item_kind ?? null
}
