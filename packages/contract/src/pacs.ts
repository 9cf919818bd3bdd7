/** The PACS area's part of the JSON contract (re-exported by index.ts): DICOMweb datasets. */

/** Whether a DICOM dataset's instances may identify their patients [D5]. */
export interface PrivacyDto {
  readonly instances: number
  /** Instances whose Patient Identity Removed is not YES. */
  readonly identifiable: number
  /** Instances with Burned In Annotation YES. */
  readonly burnedIn: number
  readonly deidentified: boolean
}
