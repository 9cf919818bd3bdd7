import { cohortTable } from './cohort.ts'
import { tagsBySplit, type TagsBySplit } from './tags-by-split.ts'
import { ProblemList, splitLeakage, valueProblems } from './problems.ts'
import type { CheckImage, CohortRow, Problem } from './types.ts'
import type { DerivedFinding } from '../findings.ts'
import { imageProblems, type ImageFactsRow } from './image-checks.ts'
import { privacyCheck, type PrivacyInput, type PrivacyReport } from './privacy.ts'

export interface DatasetCheckInput {
  readonly dataset: string
  readonly images: readonly CheckImage[]
  readonly findings: readonly string[]
  readonly derived: readonly DerivedFinding[]
  /** Files found in the image folders that the metadata does not list. */
  readonly filesNotInMetadata: readonly string[]
  /** Whether any image folder was given: without one, "missing on disk" means nothing. */
  readonly imagesScanned: boolean
  /** Problems found at import that only the import could see (boxes of unknown images...). */
  readonly importProblems?: readonly Problem[]
  /** Pixel facts of the images on disk (from `cxr-audit thumbnails`), when computed. */
  readonly imageFacts?: readonly ImageFactsRow[]
  /** De-identification of a DICOM dataset's instances; null or absent for other datasets [D5]. */
  readonly privacy?: PrivacyInput | null
}

export interface DatasetCheckReport {
  readonly dataset: string
  readonly images: number
  readonly patients: number
  readonly imagesOnDisk: number
  readonly prevalence: {
    finding: string
    derived: boolean
    positives: number
    prevalence: number
  }[]
  readonly cooccurrence: { findings: string[]; counts: number[][] }
  readonly problems: Problem[]
  readonly leakage: { patients: number; images: number; examples: string[] }
  readonly cohort: { splits: string[]; compared: [string, string] | null; rows: CohortRow[] }
  /** Reader tags by split among reviewed films, with SMD [K7]. */
  readonly tagsBySplit: TagsBySplit
  /** Exact (same bytes) and near (perceptual hash) duplicates among the images with facts. */
  readonly duplicates: { exact: string[][]; near: { a: string; b: string; distance: number }[] }
  /** How many images on disk have pixel facts (0 until `cxr-audit thumbnails` has run). */
  readonly imagesWithFacts: number
  /** The privacy mark of a DICOM dataset, null for other datasets [D5]. */
  readonly privacy: PrivacyReport | null
}

/** Everything `cxr-audit check` reports, from the images as stored. */
export function checkDataset(input: DatasetCheckInput): DatasetCheckReport {
  const { images, findings, derived } = input
  const n = images.length
  const index = new Map(findings.map((f, i) => [f, i]))
  const k = findings.length
  const counts = Array.from({ length: k }, () => new Array<number>(k).fill(0))
  const derivedCounts = new Array<number>(derived.length).fill(0)
  const derivedParts = derived.map((d) => new Set(d.from))
  const patients = new Set<string>()
  let onDisk = 0
  for (const im of images) {
    patients.add(im.patient)
    if (im.onDisk) onDisk++
    const idx = im.positives.flatMap((f) => {
      const i = index.get(f)
      return i === undefined ? [] : [i]
    })
    for (const i of idx) for (const j of idx) counts[i]![j]!++
    derivedParts.forEach((parts, d) => {
      if (im.positives.some((f) => parts.has(f))) derivedCounts[d]!++
    })
  }
  const prevalence = [
    ...findings.map((f, i) => ({
      finding: f,
      derived: false,
      positives: counts[i]![i]!,
      prevalence: n === 0 ? 0 : counts[i]![i]! / n,
    })),
    ...derived.map((d, i) => ({
      finding: d.name,
      derived: true,
      positives: derivedCounts[i]!,
      prevalence: n === 0 ? 0 : derivedCounts[i]! / n,
    })),
  ]

  const problems = new ProblemList()
  valueProblems(images, new Set(findings), problems)
  if (input.imagesScanned) {
    for (const im of images)
      if (!im.onDisk)
        problems.add(
          'missing-on-disk',
          'listed in the metadata but not found in the image folders',
          im.name,
        )
  } else if (n > 0) {
    problems.add(
      'no-image-folder',
      'no image folder was given at import: no image can be reviewed',
      'give --images DIR',
      1,
    )
  }
  for (const f of input.filesNotInMetadata)
    problems.add(
      'not-in-metadata',
      'a file in the image folders that the metadata does not list',
      f,
    )
  const leakage = splitLeakage(images)
  if (leakage.patients > 0) {
    const what = `images of ${leakage.patients} patients who have images in more than one split`
    problems.addMany('split-leakage', what, leakage.images, leakage.examples)
  }
  const facts = (input.imageFacts ?? []).filter(
    (f) => f.phash !== null || f.unreadableReason !== null,
  )
  const pixels = imageProblems(facts)
  const privacy = input.privacy == null ? null : privacyCheck(input.privacy)
  const all = [
    ...(privacy?.problems ?? []),
    ...problems.list(),
    ...(input.importProblems ?? []),
    ...pixels.problems,
  ]
  return {
    dataset: input.dataset,
    images: n,
    patients: patients.size,
    imagesOnDisk: onDisk,
    prevalence,
    cooccurrence: { findings: [...findings], counts },
    problems: all,
    leakage,
    cohort: cohortTable(images, findings),
    tagsBySplit: tagsBySplit(images),
    duplicates: { exact: pixels.exactDuplicates, near: pixels.nearDuplicates },
    imagesWithFacts: facts.length,
    privacy: privacy?.report ?? null,
  }
}
