/**
 * The workbench's part of the JSON contract (re-exported by index.ts): datasets, audits,
 * sheets, events. Rules cited as [Wn] are in docs/SPEC-workbench.md.
 */
import type { Verdict } from '@cxr-audit/core'
import type { PrivacyDto } from './pacs.ts'

export type { Verdict }

export interface ApiErrorBody {
  readonly error: {
    readonly kind: string
    readonly message: string
    /** Events refused by POST /api/events (nothing of the batch was stored). */
    readonly rejected?: readonly { clientEventId: string; reason: string }[]
  }
}

export interface ReaderDto {
  readonly id: number
  readonly name: string
}

export interface DatasetDto {
  readonly id: number
  readonly name: string
  readonly sourceFormat: string
  readonly importedAt: string
  readonly images: number
  readonly imagesOnDisk: number
}

export interface FindingOption {
  readonly findingId: number
  readonly name: string
  readonly derivedFrom: string[] | null
  /** Labelled positives / negatives among the images on disk. */
  readonly positivesOnDisk: number
  readonly negativesOnDisk: number
  /** Labelled uncertain (CheXpert `-1.0`) among the images on disk: never drawn [DS25]. */
  readonly uncertainOnDisk: number
}

export interface ProblemDto {
  readonly kind: string
  readonly description: string
  readonly count: number
  readonly examples: readonly string[]
  /** Images concerned that are on disk: what its review sheet shows. */
  readonly onDisk: number
}

export interface DatasetPageDto {
  readonly dataset: DatasetDto
  readonly patients: number
  readonly prevalence: {
    finding: string
    derived: boolean
    positives: number
    prevalence: number
  }[]
  readonly cooccurrence: { findings: string[]; counts: number[][] }
  readonly cohort: {
    splits: string[]
    compared: [string, string] | null
    rows: {
      variable: string
      level: string
      values: Record<string, { value: number | null; sd?: number | null; n: number }>
      smd: number | null
      flag: boolean
    }[]
  }
  /** Reader tags by split among reviewed films, with SMD, as the cohort compares sex [K7]. */
  readonly tagsBySplit: {
    splits: string[]
    compared: [string, string] | null
    reviewed: Record<string, number>
    rows: DatasetPageDto['cohort']['rows']
  }
  readonly problems: ProblemDto[]
  /** The privacy mark of a DICOM dataset; null for other datasets [D5]. */
  readonly privacy: PrivacyDto | null
}

export interface AuditFindingDto {
  readonly findingId: number
  readonly name: string
  readonly items: number
  readonly pages: number
}

export interface AuditDto {
  readonly id: number
  readonly datasetId: number
  readonly dataset: string
  readonly name: string
  readonly seed: number
  readonly blinded: boolean
  readonly tags: string[]
  readonly createdAt: string
  readonly findings: AuditFindingDto[]
  readonly items: number
  /** Labelled positives and negatives asked per finding; null for a reader of a blinded audit [A8]. */
  readonly positives: number | null
  readonly negatives: number | null
  readonly onePerPatient: boolean
  readonly filters: string[]
  readonly notes: readonly string[]
}

export interface FindingProgressDto {
  readonly findingId: number
  readonly name: string
  readonly items: number
  readonly reviewed: number
  readonly present: number
  readonly absent: number
  readonly uncertain: number
  readonly unusable: number
  readonly implied: number
  readonly pages: number
  readonly pagesFinished: number
  readonly pageDone: boolean[]
  readonly nextPage: number | null
}

export interface AuditProgressDto {
  readonly readerId: number | null
  readonly findings: FindingProgressDto[]
  readonly readers: { readerId: number; name: string; verdicts: number }[]
}

export interface CreateAuditBody {
  readonly datasetId?: number
  readonly name: string
  readonly findings: string[]
  readonly positives?: number
  readonly negatives?: number
  readonly seed?: number | string
  readonly filters?: {
    view?: string
    sex?: string
    split?: string
    ageMin?: number
    ageMax?: number
  }
  readonly onePerPatient?: boolean
  readonly blinded?: boolean
  readonly tags?: string[]
}

export interface BoxDto {
  readonly finding: string
  readonly x: number
  readonly y: number
  readonly w: number
  readonly h: number
}

/** One tile. `labelled` and `boxes` are absent (not null) on a blinded sheet [W7]. */
export interface SheetItemDto {
  readonly position: number | null
  readonly imageId: number
  readonly findingId: number | null
  readonly name: string
  readonly age: number | null
  readonly sex: string
  readonly view: string
  readonly split: string | null
  readonly onDisk: boolean
  readonly unreadable: string | null
  readonly labelled?: number
  readonly boxes?: BoxDto[]
  readonly verdict: Verdict | null
  readonly implied: boolean
  readonly tags: string[]
  /**
   * A study item's films, frontal first [DS26]: film n's thumbnail is
   * `/api/images/:id/films/:n/thumbnail` (film 0 is the item's own thumbnail).
   */
  readonly films?: { readonly name: string; readonly view: string }[]
}

export interface SheetRefDto {
  readonly findingId: number
  readonly page: number
}

export interface SheetDto {
  readonly kind: 'audit' | 'problem'
  readonly audit: { id: number; name: string; blinded: boolean } | null
  readonly dataset: { id: number; name: string }
  readonly finding: { findingId: number; name: string } | null
  readonly problem: { kind: string; description: string } | null
  readonly tags: string[]
  readonly page: number
  readonly pages: number
  readonly pageSize: number
  /** Items of this finding (or problem) in all pages. */
  readonly total: number
  readonly items: SheetItemDto[]
  readonly next: SheetRefDto | null
  readonly previous: SheetRefDto | null
}

export type EventDto =
  | {
      readonly kind: 'verdict'
      readonly clientEventId: string
      readonly auditId: number
      readonly imageId: number
      readonly findingId: number
      readonly verdict: Verdict | null
      readonly implied?: boolean
    }
  | {
      readonly kind: 'tag'
      readonly clientEventId: string
      readonly auditId: number | null
      readonly imageId: number
      readonly tag: string
      readonly on: boolean
    }

export interface EventsBody {
  /** The reader in one-person mode; with accounts the session's user is the reader (a different id is 403). */
  readonly readerId?: number
  readonly events: EventDto[]
}

export interface EventsAnswer {
  /** Every clientEventId of the batch: stored now or before (a retry) [W16]. */
  readonly acknowledged: string[]
  readonly stored: number
  readonly duplicates: number
}

export interface PlanAnswer {
  readonly expected: number
  readonly confidence: number
  readonly halfWidth: number
  readonly n: number
}
