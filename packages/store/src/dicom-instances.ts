import { CXR14_FINDINGS, DEFAULT_DERIVED, type DicomInstanceRecord } from '@cxr-audit/core'
import { now, StoreError, type Store, type Tx } from './store.ts'

/** One instance to store as an image of a DICOM dataset: its record and its path below the root. */
export interface DicomImageInput {
  readonly record: DicomInstanceRecord
  /** `studies/S/series/SE/instances/I` below the dataset's DICOMweb URL; a file's absolute path. */
  readonly path: string
}

export interface DicomDatasetWrite {
  readonly name: string
  /** `dicomweb`, or `dicom` for a folder of files [DS21]. */
  readonly sourceFormat: string
  /** The image root: the DICOMweb base URL, or the first folder. */
  readonly root: string
  /** Every image folder of a folder import (default: `root` alone). */
  readonly roots?: readonly string[]
  /** What was asked for (URL, studies, since, modalities), kept for reproducibility. */
  readonly sources: Record<string, unknown>
  readonly images: readonly DicomImageInput[]
}

export interface DicomDatasetWritten {
  readonly datasetId: number
  readonly inserted: number
  readonly updated: number
  readonly unchanged: number
}

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
  'study',
  'path',
  'on_disk',
  'raw_labels',
] as const

/**
 * Writes a DICOM dataset in one transaction [D1]. Images are matched by name (the SOP Instance
 * UID) and keep their ids, so verdicts stay attached; a re-import updates what changed and adds
 * what is new, and removes nothing (another search of the same archive may simply have asked
 * for other studies). A dataset of the same name from another source or URL is refused.
 */
export async function writeDicomDataset(
  store: Store,
  w: DicomDatasetWrite,
): Promise<DicomDatasetWritten> {
  return store.db.transaction().execute(async (tx) => {
    const existing = await tx
      .selectFrom('dataset')
      .select(['id', 'source_format', 'image_roots', 'sources'])
      .where('name', '=', w.name)
      .executeTakeFirst()
    const roots = JSON.stringify(w.roots ?? [w.root])
    if (
      existing !== undefined &&
      (existing.source_format !== w.sourceFormat || existing.image_roots !== roots)
    )
      throw new StoreError(
        `a dataset named "${w.name}" already exists with images from ${existing.image_roots}: choose another --name`,
      )
    const datasetId =
      existing?.id ??
      (
        await tx
          .insertInto('dataset')
          .values({
            name: w.name,
            source_format: w.sourceFormat,
            imported_at: now(),
            image_roots: roots,
            sources: JSON.stringify(w.sources),
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id
    await ensureFindings(tx, datasetId)
    const counts = await upsertImages(store, tx, datasetId, w.images)
    if (existing !== undefined && counts.inserted + counts.updated > 0)
      await tx
        .updateTable('dataset')
        .set({ imported_at: now(), sources: JSON.stringify(w.sources) })
        .where('id', '=', datasetId)
        .execute()
    return { datasetId, ...counts }
  })
}

/** The ChestX-ray14 findings and the default derived ones, so audits, labels and models line up. */
async function ensureFindings(tx: Tx, datasetId: number): Promise<void> {
  const have = new Set(
    (
      await tx.selectFrom('finding').select('name').where('dataset_id', '=', datasetId).execute()
    ).map((f) => f.name),
  )
  let position = have.size
  const wanted = [
    ...CXR14_FINDINGS.map((name) => ({ name, derived_from: null })),
    ...DEFAULT_DERIVED.map((d) => ({ name: d.name, derived_from: JSON.stringify(d.from) })),
  ]
  for (const f of wanted)
    if (!have.has(f.name))
      await tx
        .insertInto('finding')
        .values({ dataset_id: datasetId, ...f, position: position++ })
        .execute()
}

function imageValues(datasetId: number, im: DicomImageInput): unknown[] {
  const r = im.record
  return [
    datasetId,
    r.sopInstanceUid,
    r.patient,
    r.age,
    r.sex,
    r.view,
    null,
    r.width,
    r.height,
    null,
    null,
    null,
    r.studyUid,
    im.path,
    1,
    '',
  ]
}

function instanceValues(r: DicomInstanceRecord): unknown[] {
  return [
    r.studyUid,
    r.seriesUid,
    r.sopClassUid,
    r.modality,
    r.studyDate,
    r.identityRemoved === null ? null : r.identityRemoved ? 1 : 0,
    r.burnedIn,
  ]
}
const INSTANCE_COLUMNS = [
  'study_uid',
  'series_uid',
  'sop_class_uid',
  'modality',
  'study_date',
  'identity_removed',
  'burned_in',
] as const

async function upsertImages(
  store: Store,
  tx: Tx,
  datasetId: number,
  images: readonly DicomImageInput[],
): Promise<{ inserted: number; updated: number; unchanged: number }> {
  const stored = await tx
    .selectFrom('image')
    .leftJoin('dicom_instance', 'dicom_instance.image_id', 'image.id')
    .select(['image.id', ...IMAGE_COLUMNS.map((c) => `image.${c}` as const), ...INSTANCE_COLUMNS])
    .where('image.dataset_id', '=', datasetId)
    .execute()
  const old = new Map(stored.map((r) => [r.name, r]))
  const fresh: DicomImageInput[] = []
  let updated = 0
  let unchanged = 0
  for (const im of images) {
    const prev = old.get(im.record.sopInstanceUid)
    if (prev === undefined) {
      fresh.push(im)
      continue
    }
    const v = imageValues(datasetId, im)
    const iv = instanceValues(im.record)
    const same =
      IMAGE_COLUMNS.every((c, i) => prev[c] === v[i]) &&
      INSTANCE_COLUMNS.every((c, i) => prev[c] === iv[i])
    if (same) {
      unchanged++
      continue
    }
    updated++
    const set = Object.fromEntries(IMAGE_COLUMNS.map((c, i) => [c, v[i]]))
    await tx.updateTable('image').set(set).where('id', '=', prev.id).execute()
    await tx.deleteFrom('dicom_instance').where('image_id', '=', prev.id).execute()
    await tx
      .insertInto('dicom_instance')
      .values({
        image_id: prev.id,
        ...Object.fromEntries(INSTANCE_COLUMNS.map((c, i) => [c, iv[i]])),
      } as never)
      .execute()
  }
  await store.bulkInsert(
    tx,
    'image',
    IMAGE_COLUMNS,
    fresh.map((im) => imageValues(datasetId, im)),
  )
  if (fresh.length > 0) {
    const ids = new Map<string, number>()
    const names = fresh.map((im) => im.record.sopInstanceUid)
    for (let i = 0; i < names.length; i += 500) {
      const rows = await tx
        .selectFrom('image')
        .select(['id', 'name'])
        .where('dataset_id', '=', datasetId)
        .where('name', 'in', names.slice(i, i + 500))
        .execute()
      for (const r of rows) ids.set(r.name, r.id)
    }
    await store.bulkInsert(
      tx,
      'dicom_instance',
      ['image_id', ...INSTANCE_COLUMNS],
      fresh.map((im) => [ids.get(im.record.sopInstanceUid)!, ...instanceValues(im.record)]),
    )
  }
  return { inserted: fresh.length, updated, unchanged }
}
