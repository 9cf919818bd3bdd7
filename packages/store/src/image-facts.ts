import type { ImageFactsRow } from '@cxr-audit/core'
import { now, type Db, type Store } from './store.ts'

/** The pixel facts of one image, as the imaging package computes them. */
export interface StoredFacts {
  readonly width: number
  readonly height: number
  readonly bitDepth: number
  readonly channels: number
  readonly photometric: string
  readonly mean: number
  readonly borderMean: number
  readonly centreMean: number
  readonly lungMean: number
  readonly mediastinumMean: number
  readonly phash: string
  readonly contentHash: string
  readonly looksInverted: boolean
}

/** Images of a dataset that are on disk, with what is known of their pixels. */
export async function imagesOnDisk(
  db: Db,
  datasetId: number,
  /** Only these images (a batch of a queued job); all when absent. */
  imageIds?: readonly number[],
): Promise<
  { id: number; name: string; path: string; contentHash: string | null; factsAt: string | null }[]
> {
  if (imageIds !== undefined && imageIds.length === 0) return []
  let q = db
    .selectFrom('image')
    .select(['id', 'name', 'path', 'content_hash', 'facts_at'])
    .where('dataset_id', '=', datasetId)
    .where('on_disk', '=', 1)
  if (imageIds !== undefined) q = q.where('id', 'in', [...imageIds])
  const rows = await q.orderBy('id').execute()
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    path: r.path!,
    contentHash: r.content_hash,
    factsAt: r.facts_at,
  }))
}

/**
 * Records an image's pixel facts. The metadata's width and height are the original DICOM's
 * (2500 x 2048); the file's own size goes in with the facts, so both stay visible.
 */
export async function saveFacts(db: Db, imageId: number, f: StoredFacts): Promise<void> {
  await db
    .updateTable('image')
    .set({
      pixel_width: f.width,
      pixel_height: f.height,
      bit_depth: f.bitDepth,
      channels: f.channels,
      photometric: f.photometric,
      mean_intensity: f.mean,
      border_mean: f.borderMean,
      centre_mean: f.centreMean,
      lung_mean: f.lungMean,
      mediastinum_mean: f.mediastinumMean,
      phash: f.phash,
      content_hash: f.contentHash,
      looks_inverted: f.looksInverted ? 1 : 0,
      unreadable_reason: null,
      facts_at: now(),
    })
    .where('id', '=', imageId)
    .execute()
}

export async function markUnreadable(db: Db, imageId: number, reason: string): Promise<void> {
  await db
    .updateTable('image')
    .set({ unreadable_reason: reason, facts_at: now() })
    .where('id', '=', imageId)
    .execute()
}

/** One image's outcome of a pass over the files: its pixel facts, or why it cannot be read. */
export type ImageCheck = { readonly imageId: number } & (
  { readonly facts: StoredFacts } | { readonly unreadable: string }
)

/** Checks are written in transactions of this many images, not one commit per image. */
const WRITE_CHUNK = 500

/** Stores the outcomes of a pass over a dataset's files (`thumbnails`, `embed`). */
export async function saveImageChecks(store: Store, checks: readonly ImageCheck[]): Promise<void> {
  for (let at = 0; at < checks.length; at += WRITE_CHUNK) {
    await store.db.transaction().execute(async (tx) => {
      for (const c of checks.slice(at, at + WRITE_CHUNK)) {
        if ('unreadable' in c) await markUnreadable(tx, c.imageId, c.unreadable)
        else await saveFacts(tx, c.imageId, c.facts)
      }
    })
  }
}

/** What the image-level checks need, for every image on disk. */
export async function loadImageFacts(db: Db, datasetId: number): Promise<ImageFactsRow[]> {
  const rows = await db
    .selectFrom('image')
    .select(['name', 'content_hash', 'phash', 'looks_inverted', 'unreadable_reason'])
    .where('dataset_id', '=', datasetId)
    .where('on_disk', '=', 1)
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    name: r.name,
    contentHash: r.content_hash,
    phash: r.phash,
    looksInverted: r.looks_inverted === 1,
    unreadableReason: r.unreadable_reason,
  }))
}

/** How far the pixel pass over a dataset has got: images on disk, and those finished [T7]. */
export interface ImageWorkProgress {
  readonly images: number
  /** Facts stored (or the image found unreadable) for the file as it is now. */
  readonly finished: number
  readonly unreadable: number
}

export async function imageWorkProgress(db: Db, datasetId: number): Promise<ImageWorkProgress> {
  const r = await db
    .selectFrom('image')
    .select((e) => [
      e.fn.countAll<number>().as('images'),
      e.fn.count<number>('facts_at').as('finished'),
      e.fn.count<number>('unreadable_reason').as('unreadable'),
    ])
    .where('dataset_id', '=', datasetId)
    .where('on_disk', '=', 1)
    .executeTakeFirstOrThrow()
  return {
    images: Number(r.images),
    finished: Number(r.finished),
    unreadable: Number(r.unreadable),
  }
}
