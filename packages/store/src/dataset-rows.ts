import type { ImageRecord } from '@cxr-audit/core'
import { chunkIds } from './label-schema.ts'
import type { Db } from './store.ts'

/** An image as the metadata gave it (what an export writes back), with its id and split. */
export interface StoredImage extends Omit<ImageRecord, 'labels' | 'rawLabels' | 'line'> {
  readonly id: number
  readonly split: string | null
  /** The label names as written in the source, `|`-joined. */
  readonly rawLabels: string
}

/** Every image of a dataset, in import order. */
export async function listImages(db: Db, datasetId: number): Promise<StoredImage[]> {
  const rows = await db
    .selectFrom('image')
    .select([
      'id',
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
      'raw_labels',
    ])
    .where('dataset_id', '=', datasetId)
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    patient: r.patient,
    age: r.age,
    sex: r.sex,
    view: r.view,
    followUp: r.follow_up,
    width: r.width,
    height: r.height,
    spacingX: r.spacing_x,
    spacingY: r.spacing_y,
    split: r.split,
    rawLabels: r.raw_labels,
  }))
}

/**
 * Image name -> id of a dataset, for the given names (those it has), or for every image when no
 * names are given.
 */
export async function imageIdMap(
  db: Db,
  datasetId: number,
  names?: readonly string[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  const q = db.selectFrom('image').select(['id', 'name']).where('dataset_id', '=', datasetId)
  if (names === undefined) {
    for (const r of await q.execute()) out.set(r.name, r.id)
    return out
  }
  for (const chunk of chunkIds(names)) {
    for (const r of await q.where('name', 'in', chunk).execute()) out.set(r.name, r.id)
  }
  return out
}

/** One stored original label (decision 002: rows for positives and uncertain ones only). */
export interface StoredLabel {
  readonly imageId: number
  readonly findingId: number
  /** 1 positive, -1 uncertain. */
  readonly value: number
}

/** The original labels stored for a dataset's images (of the images on disk with `onDisk`). */
export async function storedLabels(
  db: Db,
  datasetId: number,
  o: { readonly onDisk?: boolean } = {},
): Promise<StoredLabel[]> {
  let q = db
    .selectFrom('label')
    .innerJoin('image', 'image.id', 'label.image_id')
    .select(['label.image_id', 'label.finding_id', 'label.value'])
    .where('image.dataset_id', '=', datasetId)
  if (o.onDisk === true) q = q.where('image.on_disk', '=', 1)
  const rows = await q.execute()
  return rows.map((r) => ({ imageId: r.image_id, findingId: r.finding_id, value: r.value }))
}

/**
 * Every reader who gave a verdict on a dataset's images (the current one or an earlier one; a
 * withdrawal is no verdict), with the images each judged.
 */
export async function readersWhoJudged(
  db: Db,
  datasetId: number,
): Promise<Map<string, { kind: string; images: Set<number> }>> {
  const rows = await db
    .selectFrom('verdict_event')
    .innerJoin('image', 'image.id', 'verdict_event.image_id')
    .innerJoin('reader', 'reader.id', 'verdict_event.reader_id')
    .select(['reader.name', 'reader.kind', 'verdict_event.image_id'])
    .distinct()
    .where('image.dataset_id', '=', datasetId)
    .where('verdict_event.verdict', 'is not', null)
    .execute()
  const readers = new Map<string, { kind: string; images: Set<number> }>()
  for (const r of rows) {
    const entry = readers.get(r.name) ?? { kind: r.kind, images: new Set<number>() }
    entry.images.add(r.image_id)
    readers.set(r.name, entry)
  }
  return readers
}

/** Tags readers switched on for the dataset's images, once each ignoring case, sorted. */
export async function datasetTags(db: Db, datasetId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('tag_event')
    .innerJoin('image', 'image.id', 'tag_event.image_id')
    .select('tag_event.tag')
    .distinct()
    .where('image.dataset_id', '=', datasetId)
    .where('tag_event.on', '=', 1)
    .execute()
  const seen = new Map<string, string>()
  for (const r of rows) if (!seen.has(r.tag.toLowerCase())) seen.set(r.tag.toLowerCase(), r.tag)
  return [...seen.values()].sort()
}
