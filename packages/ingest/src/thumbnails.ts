import {
  buildRenditions,
  factsOfRead,
  looksInverted,
  RenditionCache,
  type BatchReport,
  type ImageFacts,
} from '@cxr-audit/imaging'
import { imageSourceFor } from '@cxr-audit/dicomweb'
import {
  imagesOnDisk,
  saveImageChecks,
  type DatasetRow,
  type ImageCheck,
  type Store,
} from '@cxr-audit/store'

/** Images whose facts are stored together while a batch runs. */
const SAVE_EVERY = 64

export interface ThumbnailsOptions {
  readonly cacheDir: string
  /** Images in flight at once (default: buildRenditions', twice the cores and four more). */
  readonly jobs?: number | undefined
  /** Also make the default full-resolution view of each image. */
  readonly views?: boolean | undefined
  readonly onProgress?: ((stage: string, done: number, total: number) => void) | undefined
  /** Only these images of the dataset (a queued batch); every image on disk when absent. */
  readonly imageIds?: readonly number[] | undefined
}

/** `cxr-audit thumbnails --json`: the renditions made, and the pixel facts stored for `check`. */
export interface ThumbnailsReport extends BatchReport {
  readonly dataset: string
  readonly cacheDir: string
  readonly facts: { computed: number; unchanged: number }
  readonly seconds: number
  /**
   * Images of a DICOMweb dataset whose server did not answer (down, slow, refused credentials):
   * not marked unreadable; running the command again fetches them [D6].
   */
  readonly unavailable: { readonly image: string; readonly reason: string }[]
}

/**
 * Pre-builds the thumbnail cache of every image of a dataset on disk (all cores) and stores each
 * image's pixel facts (size, bit depth, intensity, perceptual hash, inverted-looking) for the
 * checks [K6]. Each image is read and decoded once for its renditions and its facts; facts are
 * recomputed only for files whose content hash changed. Unreadable images are listed and
 * marked, never fatal.
 */
export async function buildThumbnails(
  store: Store,
  dataset: DatasetRow,
  o: ThumbnailsOptions,
): Promise<ThumbnailsReport> {
  const started = performance.now()
  const images = await imagesOnDisk(store.db, dataset.id, o.imageIds)
  // folders, or the dataset's DICOMweb server (instances fetched on demand, hashes remembered)
  const source = imageSourceFor(dataset.imageRoots, { cacheDir: o.cacheDir })
  const cache = new RenditionCache({ dir: o.cacheDir, source })
  const byPath = new Map(images.map((im) => [im.path, im]))
  const facts = new Map<string, ImageFacts>()
  // facts are stored as images finish, a chunk at a time: an interrupted run keeps them (its
  // next run decodes only the rest), and the writes overlap the decodes instead of following them
  const done: ImageCheck[] = []
  let saving: Promise<void> = Promise.resolve()
  const save = (): void => {
    const chunk = done.splice(0)
    saving = saving.then(() => saveImageChecks(store, chunk))
    // a failed write is thrown when the batch ends (awaited there), not as an unhandled rejection
    saving.catch(() => undefined)
  }
  let batch: BatchReport
  try {
    batch = await buildRenditions(
      images.map((im) => im.path),
      {
        cache,
        // the batch's default, which also lets a DICOMweb server have more in flight
        ...(o.jobs !== undefined ? { jobs: o.jobs } : {}),
        views: o.views === true,
        onProgress: (p) => {
          const f = p.reason === undefined ? facts.get(p.image) : undefined
          const im = byPath.get(p.image)
          if (f !== undefined && im !== undefined)
            done.push({ imageId: im.id, facts: { ...f, looksInverted: looksInverted(f) } })
          if (done.length >= SAVE_EVERY) save()
          o.onProgress?.('thumbnails and image facts', p.done, p.total)
        },
        pixels: {
          wants: (path, hash) => {
            const im = byPath.get(path)
            return im === undefined || im.contentHash !== hash || im.factsAt === null
          },
          use: async (path, read) => {
            facts.set(path, await factsOfRead(read))
          },
        },
      },
    )
  } finally {
    // what finished is stored even when the batch stops on a system error (disk full...)
    save()
    await saving.catch(() => undefined)
  }
  await saving
  // a server that did not answer says nothing about the image: listed, not stored [D6]
  const unavailable = batch.unreadable.filter((u) => u.reason.startsWith('unavailable:'))
  const unreadable = new Map(
    batch.unreadable.filter((u) => !unavailable.includes(u)).map((u) => [u.image, u.reason]),
  )
  for (const u of unavailable) facts.delete(u.image)
  // an image whose renditions failed after its facts were taken is unreadable, not computed
  for (const path of unreadable.keys()) facts.delete(path)
  await saveImageChecks(
    store,
    images.flatMap((im): ImageCheck[] => {
      const reason = unreadable.get(im.path)
      return reason === undefined ? [] : [{ imageId: im.id, unreadable: reason }]
    }),
  )
  return {
    dataset: dataset.name,
    images: batch.images,
    made: batch.made,
    cached: batch.cached,
    unreadable: [...unreadable].map(([path, reason]) => ({
      image: byPath.get(path)?.name ?? path,
      reason,
    })),
    cacheDir: o.cacheDir,
    facts: {
      computed: facts.size,
      unchanged: images.length - unreadable.size - unavailable.length - facts.size,
    },
    seconds: Math.round(performance.now() - started) / 1000,
    unavailable: unavailable.map((u) => ({
      image: byPath.get(u.image)?.name ?? u.image,
      reason: u.reason,
    })),
  }
}
