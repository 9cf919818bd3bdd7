import type { Problem } from './types.ts'

/** How many instances of a DICOM dataset may identify their patient (from the store) [D5]. */
export interface PrivacyInput {
  readonly instances: number
  /** Patient Identity Removed (0012,0062) is not YES. */
  readonly identifiable: number
  /** Burned In Annotation (0028,0301) is YES. */
  readonly burnedIn: number
  readonly identifiableExamples: readonly string[]
  readonly burnedInExamples: readonly string[]
}

/** The privacy mark of a dataset: what the dataset page and `check` say [D5]. */
export interface PrivacyReport {
  readonly instances: number
  readonly identifiable: number
  readonly burnedIn: number
  /** Every instance says its identity was removed and none has text burned in. */
  readonly deidentified: boolean
}

/**
 * The privacy problems of a DICOM dataset [D5]: instances not marked de-identified (PS3.15
 * Annex E: a de-identifier sets Patient Identity Removed to YES) and instances whose pixels
 * carry burned-in text (names, dates, ids) that no header edit removes.
 */
export function privacyCheck(p: PrivacyInput): { report: PrivacyReport; problems: Problem[] } {
  const problems: Problem[] = []
  if (p.identifiable > 0)
    problems.push({
      kind: 'not-de-identified',
      description:
        'DICOM instances not marked de-identified (Patient Identity Removed is not YES): names and ids may be in the headers',
      count: p.identifiable,
      examples: p.identifiableExamples.slice(0, 5),
    })
  if (p.burnedIn > 0)
    problems.push({
      kind: 'burned-in-annotation',
      description:
        'DICOM instances with burned-in annotation: text in the pixels may identify the patient',
      count: p.burnedIn,
      examples: p.burnedInExamples.slice(0, 5),
    })
  return {
    report: {
      instances: p.instances,
      identifiable: p.identifiable,
      burnedIn: p.burnedIn,
      deidentified: p.identifiable === 0 && p.burnedIn === 0,
    },
    problems,
  }
}
