import { CXR14_FINDINGS, DEFAULT_DERIVED, type ImageRecord } from '@cxr-audit/core'
import { sql } from 'kysely'
import { now, type Store, type Tx } from '@cxr-audit/store'
import type { Cxr14Input, Cxr14ImportOptions } from './cxr14-read.ts'
import { removeStale, syncBoxes, syncLabels, syncProblems, type Changes } from './cxr14-sync.ts'

const IMAGE_COLUMNS = [
  'dataset_id',
  'name',
  'patient',
  'age',
  'sex',
  'view',
  'follow_up',
  'width',
  'height',
  'spacing_x',
  'spacing_y',
  'split',
  'path',
  'on_disk',
  'raw_labels',
] as const

/**
 * Writes a read CXR14 import in one transaction. Re-importing the same files leaves the database
 * as it was: images are matched by name and updated in place (their ids, and so every verdict,
 * stay); labels and boxes are replaced; a source not given this time (split lists, image
 * folders, boxes) keeps what an earlier import stored.
 */
export async function writeCxr14(
  store: Store,
  input: Cxr14Input,
  o: Cxr14ImportOptions,
  datasetName: string,
): Promise<number> {
  return store.db.transaction().execute(async (tx) => {
    const existing = await tx
      .selectFrom('dataset')
      .select(['id', 'image_roots', 'sources'])
      .where('name', '=', datasetName)
      .executeTakeFirst()
    const sources = {
      ...(existing === undefined ? {} : (JSON.parse(existing.sources) as object)),
      ...sourcesOf(o),
    }
    const roots =
      input.files === null && existing !== undefined
        ? existing.image_roots
        : JSON.stringify(input.roots)
    let datasetId: number
    if (existing === undefined) {
      const row = await tx
        .insertInto('dataset')
        .values({
          name: datasetName,
          source_format: 'cxr14',
          imported_at: now(),
          image_roots: roots,
          sources: JSON.stringify(sources),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      datasetId = row.id
    } else {
      datasetId = existing.id
      // imported_at changes only when something else does (idempotent re-import)
      await tx
        .updateTable('dataset')
        .set({ image_roots: roots, sources: JSON.stringify(sources) })
        .where('id', '=', datasetId)
        .execute()
    }
    const changes: Changes = { count: 0 }
    const findingIds = await upsertFindings(tx, datasetId)
    const imageIds = await upsertImages(
      store,
      tx,
      datasetId,
      input,
      existing === undefined,
      changes,
    )
    const labels: [number, number, number][] = []
    for (const r of input.records) {
      const id = imageIds.get(r.name)!
      for (const [f, v] of r.labels) labels.push([id, findingIds.get(f)!, v])
    }
    await syncLabels(store, tx, datasetId, labels, existing === undefined, changes)
    if (input.boxes !== null) {
      const boxes = input.boxes.map(
        (b) => [imageIds.get(b.image)!, findingIds.get(b.finding)!, b.x, b.y, b.w, b.h] as const,
      )
      await syncBoxes(store, tx, datasetId, boxes, changes)
    }
    await syncProblems(store, tx, datasetId, input, changes)
    if (existing !== undefined && changes.count > 0) {
      // imported_at is the time of the last import that changed something (caches key on it)
      await tx
        .updateTable('dataset')
        .set({ imported_at: now() })
        .where('id', '=', datasetId)
        .execute()
    }
    return datasetId
  })
}

function sourcesOf(o: Cxr14ImportOptions): Record<string, unknown> {
  const s: Record<string, unknown> = { metadata: o.metadata }
  if (o.bbox !== undefined) s['bbox'] = o.bbox
  if (o.trainList !== undefined) s['trainList'] = o.trainList
  if (o.testList !== undefined) s['testList'] = o.testList
  if (o.images !== undefined && o.images.length > 0) s['images'] = o.images
  return s
}

/** The 14 findings and the default derived ones; ids by name. Redefined derived ones are kept. */
async function upsertFindings(tx: Tx, datasetId: number): Promise<Map<string, number>> {
  const have = await tx
    .selectFrom('finding')
    .select(['id', 'name'])
    .where('dataset_id', '=', datasetId)
    .execute()
  const ids = new Map(have.map((f) => [f.name, f.id]))
  const wanted: { name: string; derived_from: string | null }[] = [
    ...CXR14_FINDINGS.map((name) => ({ name, derived_from: null })),
    ...DEFAULT_DERIVED.map((d) => ({ name: d.name, derived_from: JSON.stringify(d.from) })),
  ]
  let position = have.length
  for (const f of wanted) {
    if (ids.has(f.name)) continue
    const row = await tx
      .insertInto('finding')
      .values({
        dataset_id: datasetId,
        name: f.name,
        derived_from: f.derived_from,
        position: position++,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    ids.set(f.name, row.id)
  }
  return ids
}

async function upsertImages(
  store: Store,
  tx: Tx,
  datasetId: number,
  input: Cxr14Input,
  fresh: boolean,
  changes: Changes,
): Promise<Map<string, number>> {
  const values = (r: ImageRecord): unknown[] => {
    const path = input.files?.get(r.name) ?? null
    return [
      datasetId,
      r.name,
      r.patient,
      r.age,
      r.sex,
      r.view,
      r.followUp,
      r.width,
      r.height,
      r.spacingX,
      r.spacingY,
      input.splits?.get(r.name) ?? null,
      path,
      path === null ? 0 : 1,
      r.rawLabels.join('|'),
    ]
  }
  if (fresh) {
    await store.bulkInsert(tx, 'image', IMAGE_COLUMNS, input.records.map(values))
  } else {
    const stored = await tx
      .selectFrom('image')
      .select(['id', ...IMAGE_COLUMNS])
      .where('dataset_id', '=', datasetId)
      .execute()
    const old = new Map(stored.map((r) => [r.name, r]))
    const insert: unknown[][] = []
    const changed: unknown[][] = []
    for (const r of input.records) {
      const v = values(r)
      const prev = old.get(r.name)
      if (prev === undefined) {
        insert.push(v)
        continue
      }
      old.delete(r.name)
      // a source not given this time keeps what is stored
      if (input.splits === null) v[11] = prev.split
      if (input.files === null) {
        v[12] = prev.path
        v[13] = prev.on_disk
      }
      if (IMAGE_COLUMNS.every((c, i) => prev[c] === v[i])) continue
      changed.push([prev.id, ...v])
    }
    await updateImages(store, tx, changed)
    await store.bulkInsert(tx, 'image', IMAGE_COLUMNS, insert)
    const removed = await removeStale(
      tx,
      [...old.values()].map((r) => r.id),
    )
    changes.count += changed.length + insert.length + removed
  }
  const rows = await tx
    .selectFrom('image')
    .select(['id', 'name'])
    .where('dataset_id', '=', datasetId)
    .execute()
  return new Map(rows.map((r) => [r.name, r.id]))
}

/** Applies changed image rows with one UPDATE from a staging table (112k single updates take seconds). */
async function updateImages(store: Store, tx: Tx, rows: unknown[][]): Promise<void> {
  if (rows.length === 0) return
  await sql`create temp table image_update as select id, ${sql.join(IMAGE_COLUMNS.map((c) => sql.ref(c)))} from image where 0 = 1`.execute(
    tx,
  )
  try {
    await store.bulkInsert(tx, 'image_update' as 'image', ['id', ...IMAGE_COLUMNS], rows)
    const set = sql.join(IMAGE_COLUMNS.map((c) => sql`${sql.ref(c)} = u.${sql.ref(c)}`))
    await sql`update image set ${set} from image_update as u where image.id = u.id`.execute(tx)
  } finally {
    await sql`drop table image_update`.execute(tx)
  }
}
