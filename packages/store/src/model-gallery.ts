import {
  CELL_NAMES,
  DEFAULT_THRESHOLD,
  GALLERY_CELLS,
  GALLERY_SIZE,
  cellOf,
  drawGallery,
  formatThresholdSpec,
  gallerySeedText,
  operatingPoint,
  type GalleryCell,
  type OperatingPointReport,
  type ThresholdSpec,
} from '@cxr-audit/core'
import { loadModelData, resolveModelFindings } from './model-data.ts'
import { findModel } from './model-predictions.ts'
import { storeReviewAudit } from './review-audits.ts'
import { StoreError, type Store, type Tx } from './store.ts'

/** Names the gallery sampler in every gallery's plan [M31]. */
export const GALLERY_SAMPLER = 'sfc32-cyrb128/seed:model:finding:cell/v1'

export interface CreateGalleriesOptions {
  readonly model: string
  readonly dataset?: string | undefined
  readonly finding: string
  /** Default: all four, tp fp tn fn. */
  readonly cells?: readonly GalleryCell[] | undefined
  /** Youden's J (default), a target sensitivity or a number; chosen against the original labels [M30]. */
  readonly threshold?: ThresholdSpec | undefined
  /** A non-negative whole number; default 1. */
  readonly seed?: number | undefined
  /** Images per gallery; default 18 (one contact sheet). */
  readonly size?: number | undefined
  /** Audit name (with several cells, the cell is appended). */
  readonly name?: string | undefined
  /** Also draw images that are not on disk (the workbench shows them as unreadable). */
  readonly includeMissing?: boolean | undefined
  /** Draw and report, but create no audit. */
  readonly preview?: boolean | undefined
  readonly blinded?: boolean | undefined
  /** The audits' tag set; the workbench's default set when not given. */
  readonly tags?: readonly string[] | undefined
}

export interface GalleryImage {
  readonly position: number
  readonly image: string
  readonly imageId: number
  readonly score: number
  /** The original label: 1 or 0. */
  readonly labelled: number
}

export interface Gallery {
  readonly cell: GalleryCell
  readonly cellName: string
  /** Images in the cell that could be drawn (on disk unless --include-missing). */
  readonly population: number
  readonly drawn: number
  readonly notes: readonly string[]
  /** The review audit; null in preview or for an empty cell. */
  readonly audit: { readonly id: number; readonly name: string; readonly created: boolean } | null
  readonly images: readonly GalleryImage[]
}

/** What `cxr-audit gallery --json` prints. */
export interface GalleryReport {
  readonly model: string
  readonly dataset: string
  readonly finding: string
  readonly threshold: OperatingPointReport
  readonly seed: number
  readonly size: number
  readonly onDiskOnly: boolean
  readonly galleries: readonly Gallery[]
}

/** The `gallery` part of a gallery audit's plan JSON, beside the fields every audit plan has. */
export interface GalleryPlan {
  readonly model: string
  readonly modelId: number
  readonly finding: string
  readonly cell: GalleryCell
  readonly seed: number
  readonly sampler: string
  readonly threshold: { readonly rule: string; readonly value: number; readonly target?: number }
  readonly size: number
  readonly population: number
  readonly onDiskOnly: boolean
  /** The model's score of each drawn image, by position. */
  readonly scores: readonly number[]
}

/**
 * Draws the true/false positive/negative galleries of a model for one finding at a threshold
 * [M30]-[M32] and stores each as a review audit (`audit` + `audit_item`, plan.kind
 * `model-gallery`), all in one transaction. An audit of the same name with the same gallery
 * is returned as it is (created: false); with another gallery it is refused.
 */
export async function createGalleries(
  store: Store,
  options: CreateGalleriesOptions,
): Promise<GalleryReport> {
  const spec: ThresholdSpec = options.threshold ?? DEFAULT_THRESHOLD
  const seed = options.seed ?? 1
  const size = options.size ?? GALLERY_SIZE
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new StoreError(`the seed must be a whole number from 0, got ${seed}`)
  }
  if (!Number.isInteger(size) || size < 1 || size > 10_000) {
    throw new StoreError(`the gallery size must be a whole number from 1 to 10000, got ${size}`)
  }
  const cells = [...new Set(options.cells ?? GALLERY_CELLS)]
  const { model, dataset } = await findModel(store.db, options.model, options.dataset)
  const data = await loadModelData(store.db, model, dataset)
  const [finding] = resolveModelFindings(data, [options.finding])
  const f = finding!
  const labels = data.labels(f)
  const scores = data.scores(f)
  const keep: number[] = []
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isNaN(scores[i]!) && labels[i] !== -1) keep.push(i)
  }
  const l = Uint8Array.from(keep, (i) => labels[i]!)
  const s = Float64Array.from(keep, (i) => scores[i]!)
  let point: OperatingPointReport
  try {
    point = operatingPoint(l, s, spec)
  } catch (e) {
    throw new StoreError(
      `cannot place the threshold for ${f.name}: ${(e as Error).message} among the scored images`,
    )
  }
  const onDiskOnly = options.includeMissing !== true
  const byCell = new Map<GalleryCell, number[]>(GALLERY_CELLS.map((c) => [c, []]))
  for (const i of keep) {
    const cell = cellOf(labels[i]!, scores[i]!, point.threshold)
    if (cell === null || (onDiskOnly && data.images.onDisk[i] !== 1)) continue
    byCell.get(cell)!.push(i)
  }
  const thresholdText = formatThresholdSpec(spec)
  const drafts = cells.map((cell) => {
    const population = byCell.get(cell)!
    const drawn = drawGallery(
      population,
      (i) => data.images.names[i]!,
      size,
      gallerySeedText(seed, model.name, f.name, cell),
    )
    const images: GalleryImage[] = drawn.map((i, position) => ({
      position,
      image: data.images.names[i]!,
      imageId: data.images.ids[i]!,
      score: scores[i]!,
      labelled: labels[i]!,
    }))
    const notes: string[] = []
    if (population.length === 0) {
      notes.push(
        `no ${CELL_NAMES[cell]}${onDiskOnly ? ' on disk' : ''} at threshold ${point.threshold}${onDiskOnly ? ' (add --include-missing to draw images that are not on disk)' : ''}`,
      )
    } else if (population.length < size) {
      notes.push(`only ${population.length} ${CELL_NAMES[cell]}: all of them are in the gallery`)
    }
    const base =
      options.name?.trim() ||
      `${model.name} ${f.name} ${cell.toUpperCase()} @${thresholdText} seed ${seed}`
    const name =
      options.name !== undefined && cells.length > 1 ? `${base} ${cell.toUpperCase()}` : base
    const plan: GalleryPlan = {
      model: model.name,
      modelId: model.id,
      finding: f.name,
      cell,
      seed,
      sampler: GALLERY_SAMPLER,
      threshold: {
        rule: point.rule,
        value: point.threshold,
        ...(point.target === undefined ? {} : { target: point.target }),
      },
      size,
      population: population.length,
      onDiskOnly,
      scores: images.map((im) => im.score),
    }
    return { cell, population: population.length, images, notes, name: name.slice(0, 120), plan }
  })
  const audits =
    options.preview === true
      ? drafts.map(() => null)
      : await store.db.transaction().execute(async (tx) => {
          const out: ({ id: number; name: string; created: boolean } | null)[] = []
          for (const d of drafts) {
            out.push(
              d.images.length === 0
                ? null
                : await storeGallery(store, tx, dataset.id, d, seed, f.id, f.name, options),
            )
          }
          return out
        })
  if (options.preview !== true && audits.every((a) => a === null)) {
    throw new StoreError(drafts.flatMap((d) => d.notes).join('; '))
  }
  return {
    model: model.name,
    dataset: dataset.name,
    finding: f.name,
    threshold: point,
    seed,
    size,
    onDiskOnly,
    galleries: drafts.map((d, k) => ({
      cell: d.cell,
      cellName: CELL_NAMES[d.cell],
      population: d.population,
      drawn: d.images.length,
      notes: d.notes,
      audit: audits[k] ?? null,
      images: d.images,
    })),
  }
}

interface Draft {
  readonly cell: GalleryCell
  readonly images: readonly GalleryImage[]
  readonly notes: readonly string[]
  readonly name: string
  readonly plan: GalleryPlan
}

const samePlan = (a: GalleryPlan, b: GalleryPlan): boolean =>
  JSON.stringify({ ...a, modelId: 0 }) === JSON.stringify({ ...b, modelId: 0 })

async function storeGallery(
  store: Store,
  tx: Tx,
  datasetId: number,
  d: Draft,
  seed: number,
  findingId: number,
  finding: string,
  options: CreateGalleriesOptions,
): Promise<{ id: number; name: string; created: boolean }> {
  const positives = d.images.filter((im) => im.labelled === 1).length
  const negatives = d.images.length - positives
  const asked = d.plan.size
  const stratum = (isPositive: boolean) =>
    (d.cell === 'tp' || d.cell === 'fn') === isPositive
      ? { asked, available: d.plan.population, drawn: d.images.length }
      : { asked: 0, available: 0, drawn: 0 }
  return storeReviewAudit(store, tx, {
    datasetId,
    name: d.name,
    seed,
    // the fields of every audit plan first (the workbench reads them), then the gallery's own
    plan: {
      findings: [finding],
      positives,
      negatives,
      seed,
      filters: {},
      onePerPatient: false,
      blinded: options.blinded === true,
      sampler: GALLERY_SAMPLER,
      notes: d.notes,
      draw: [{ finding, positives: stratum(true), negatives: stratum(false) }],
      kind: 'model-gallery',
      gallery: d.plan,
    },
    blinded: options.blinded === true,
    tags: options.tags,
    items: d.images.map((im) => ({ imageId: im.imageId, findingId, labelled: im.labelled })),
    isSame: (stored) => {
      const plan = (stored as { gallery?: GalleryPlan }).gallery
      return plan !== undefined && samePlan(plan, d.plan)
    },
    nameOption: '--name',
  })
}
