/** The queue of `cxr-audit thumbnails --queue`: renditions and pixel facts of images [T4]. */
export const THUMBNAILS_QUEUE = 'thumbnails'

/** One queued batch: which images of which dataset, and where their renditions go. */
export interface ThumbnailBatch {
  readonly dataset: string
  readonly imageIds: readonly number[]
  readonly views: boolean
  /** The rendition cache given when queued; a worker's `--cache` takes precedence. */
  readonly cacheDir: string
}

/** What a worker stores as a finished batch's output (`cxr-audit jobs --json`). */
export interface ThumbnailBatchOutput {
  readonly images: number
  /** Images already finished when the batch was taken (by a worker before this one): skipped. */
  readonly alreadyFinished: number
  readonly made: number
  readonly cached: number
  readonly unreadable: number
  readonly factsComputed: number
  readonly seconds: number
}

/**
 * Splits the images still to do into batches of `size`, in id order. Images already finished
 * (pixel facts stored for the file as it is) are left out [T7].
 */
export function thumbnailBatches(
  images: readonly { readonly id: number; readonly factsAt: string | null }[],
  o: { dataset: string; size: number; views: boolean; cacheDir: string },
): ThumbnailBatch[] {
  const todo = images.filter((im) => im.factsAt === null).map((im) => im.id)
  const out: ThumbnailBatch[] = []
  for (let at = 0; at < todo.length; at += o.size)
    out.push({
      dataset: o.dataset,
      imageIds: todo.slice(at, at + o.size),
      views: o.views,
      cacheDir: o.cacheDir,
    })
  return out
}
