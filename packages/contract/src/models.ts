/**
 * The models page's part of the JSON contract (re-exported by index.ts): `evaluateModel` and
 * `createGalleries` of @cxr-audit/store. Rules cited as [Wn] are in docs/SPEC-workbench.md.
 */
import type {
  GalleryCallTable,
  GalleryCell,
  GalleryCounts,
  ModelEvalReport,
  OperatingPointReport,
} from '@cxr-audit/core'

export interface ModelDto {
  readonly id: number
  readonly name: string
  readonly datasetId: number
  readonly dataset: string
  readonly createdAt: string
  /** The predictions file's name, as imported. */
  readonly file: string | null
  readonly findings: readonly string[]
}

/** A truth the model can be measured against: `against` of `evaluateModel` [W29]. */
export interface TruthOptionDto {
  readonly against: string
  readonly kind: 'person' | 'imported' | 'consensus'
  /** Images of the dataset this reader (or any member) judged. */
  readonly images: number
  /** Suggested on first view (people, imported sources without a prefix, consensus). */
  readonly suggested: boolean
}

/** GET /api/models/:id: the model and what it can be compared with. */
export interface ModelPageDto {
  readonly model: ModelDto
  readonly models: readonly ModelDto[]
  readonly truths: readonly TruthOptionDto[]
  /** Tags readers gave in this dataset (for `by: tag:NAME`). */
  readonly tags: readonly string[]
}

/** GET /api/models/:id/eval: `evaluateModel` without `curves`, and the ROC curves thinned. */
export interface ModelEvalDto {
  readonly report: ModelEvalReport
  readonly roc: readonly { finding: string; fpr: number[]; tpr: number[] }[] | null
}

export interface GalleryBody {
  readonly readerId: number
  readonly finding: string
  readonly cell: GalleryCell
  readonly threshold?: string
  readonly seed?: number
  readonly size?: number
}

/** `createGalleries` for one cell, and the first sheet of its review audit [W30]. */
export interface GalleryAnswer {
  readonly report: {
    readonly model: string
    readonly dataset: string
    readonly finding: string
    readonly threshold: OperatingPointReport
    readonly seed: number
    readonly size: number
    readonly onDiskOnly: boolean
    readonly galleries: readonly {
      cell: GalleryCell
      cellName: string
      population: number
      drawn: number
      notes: readonly string[]
      audit: { id: number; name: string; created: boolean } | null
      images: readonly {
        position: number
        image: string
        imageId: number
        score: number
        labelled: number
      }[]
    }[]
  }
  readonly sheet: { auditId: number; findingId: number; page: number } | null
}

/** GET /api/models/:id/gallery-review [W37]: the model's galleries and what their readers found. */
export interface GalleryReviewDto {
  readonly model: string
  readonly galleries: readonly (GalleryCounts & {
    readonly audit: number
    readonly drawn: number
    readonly modelRight: number
    readonly readers: readonly string[]
  })[]
  /** One per finding and threshold; `complete` once the TP, FP, TN and FN galleries are reviewed. */
  readonly tables: readonly GalleryCallTable[]
}
