import { CXR14_FINDINGS, DEFAULT_DERIVED, type ImageRecord } from '@cxr-audit/core'
import { sql } from 'kysely'
import { now, type Store, type Tx } from '@cxr-audit/store'
import type { Cxr14Input, Cxr14ImportOptions } from './cxr14-read.ts'

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

/** Images no longer in the metadata go, unless a reader or a model refers to them. */
async function removeStale(tx: Tx, ids: number[]): Promise<number> {
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
async function syncLabels(
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
async function syncBoxes(
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

/** Counts rows an import changed: a re-import that changes nothing leaves imported_at alone. */
interface Changes {
  count: number
}

/** Replaces the stored import problems only when they differ. */
async function syncProblems(
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
