/** HTTP types of the PACS area (DICOMweb datasets); types only, see contract.ts. */

/** Whether a DICOM dataset's instances may identify their patients [D5]. */
export interface PrivacyDto {
  readonly instances: number
  /** Instances whose Patient Identity Removed is not YES. */
  readonly identifiable: number
  /** Instances with Burned In Annotation YES. */
  readonly burnedIn: number
  readonly deidentified: boolean
}
