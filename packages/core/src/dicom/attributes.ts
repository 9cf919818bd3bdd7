import type { DicomAttributes } from './json.ts'
import { isImageSopClass, sopClassName } from './sop-classes.ts'
import { isDicomUid } from './uids.ts'

/** Tags read from every instance (PS3.6 keyword in the comment). */
export const TAGS = {
  sopClass: '00080016', // SOPClassUID
  sopInstance: '00080018', // SOPInstanceUID
  studyDate: '00080020', // StudyDate
  modality: '00080060', // Modality
  patientId: '00100020', // PatientID
  patientSex: '00100040', // PatientSex
  patientAge: '00101010', // PatientAge
  identityRemoved: '00120062', // PatientIdentityRemoved
  deidentificationMethod: '00120063', // DeidentificationMethod
  viewPosition: '00185101', // ViewPosition
  studyUid: '0020000D', // StudyInstanceUID
  seriesUid: '0020000E', // SeriesInstanceUID
  rows: '00280010', // Rows
  columns: '00280011', // Columns
  photometric: '00280004', // PhotometricInterpretation
  burnedIn: '00280301', // BurnedInAnnotation
  viewCodes: '00540220', // ViewCodeSequence
  codeValue: '00080100', // CodeValue
  codeMeaning: '00080104', // CodeMeaning
} as const

/** The attributes a QIDO-RS instance search must include (`includefield`) for an import. */
export const INSTANCE_FIELDS: readonly string[] = [
  TAGS.sopClass,
  TAGS.modality,
  TAGS.patientId,
  TAGS.patientSex,
  TAGS.patientAge,
  TAGS.identityRemoved,
  TAGS.viewPosition,
  TAGS.rows,
  TAGS.columns,
  TAGS.photometric,
  TAGS.burnedIn,
  TAGS.viewCodes,
]

/** One instance as a dataset item: what the import stores [D1]. */
export interface DicomInstanceRecord {
  readonly sopInstanceUid: string
  readonly sopClassUid: string
  readonly studyUid: string
  readonly seriesUid: string
  readonly modality: string
  /** PatientID as written ('' when absent). Patient's Name is never read. */
  readonly patient: string
  /** M, F, or what was written (O, blank). */
  readonly sex: string
  /** Patient's Age in years (AS nnnD/W/M/Y; a bare number is years), null when absent. */
  readonly age: number | null
  /** PA, AP, LL, RL... from View Position, else from the View Code Sequence; '' when unknown. */
  readonly view: string
  readonly studyDate: string | null
  readonly width: number | null
  readonly height: number | null
  /** Patient Identity Removed (0012,0062) is YES; null when the attribute is absent. */
  readonly identityRemoved: boolean | null
  /** Burned In Annotation (0028,0301): YES / NO as written, null when absent. */
  readonly burnedIn: 'YES' | 'NO' | null
}

/**
 * Patient's Age (AS, PS3.5 6.2): `nnnD`, `nnnW`, `nnnM` or `nnnY`, in years rounded to 0.01. A
 * bare number (not valid AS, but written by some exporters) is years.
 */
export function ageInYears(age: string | undefined): number | null {
  const m = /^(\d{1,3})([DWMY])?$/i.exec(age?.trim() ?? '')
  if (!m) return null
  const per = { D: 365.25, W: 52.1775, M: 12, Y: 1 }[
    (m[2] ?? 'Y').toUpperCase() as 'D' | 'W' | 'M' | 'Y'
  ]
  return Math.round((Number(m[1]) / per) * 100) / 100
}

/** View codes of CID 4010 (DX View) by code value and by meaning, to View Position terms. */
const VIEW_CODES: Readonly<Record<string, string>> = {
  'R-10214': 'PA', // postero-anterior (SNOMED RT, as CID 4010 lists it)
  'R-10206': 'AP', // antero-posterior
  'R-10236': 'LL', // left lateral
  'R-102CD': 'RL', // right lateral
}
const VIEW_MEANINGS: readonly (readonly [RegExp, string])[] = [
  [/^postero-?anterior/i, 'PA'],
  [/^antero-?posterior/i, 'AP'],
  [/^left lateral/i, 'LL'],
  [/^right lateral/i, 'RL'],
  [/^lateral/i, 'LATERAL'],
]

/** View Position (0018,5101), else the first View Code Sequence item (CID 4010) [D1]. */
export function viewOf(a: DicomAttributes): string {
  const position = a.text(TAGS.viewPosition)?.toUpperCase()
  if (position !== undefined) return position
  for (const item of a.items(TAGS.viewCodes)) {
    const code = item.text(TAGS.codeValue)
    if (code !== undefined && VIEW_CODES[code] !== undefined) return VIEW_CODES[code]!
    const meaning = item.text(TAGS.codeMeaning) ?? ''
    for (const [re, view] of VIEW_MEANINGS) if (re.test(meaning)) return view
  }
  return ''
}

const int = (v: string | undefined): number | null => {
  const n = v === undefined ? NaN : Number(v)
  return Number.isInteger(n) && n > 0 ? n : null
}

/** The record of one instance's attributes [D1]; study and series may come from its parents. */
export function instanceRecord(
  a: DicomAttributes,
  parents: { readonly study?: string; readonly series?: string } = {},
): DicomInstanceRecord {
  const burned = a.text(TAGS.burnedIn)?.toUpperCase()
  const removed = a.text(TAGS.identityRemoved)?.toUpperCase()
  const date = a.text(TAGS.studyDate)
  return {
    sopInstanceUid: a.text(TAGS.sopInstance) ?? '',
    sopClassUid: a.text(TAGS.sopClass) ?? '',
    studyUid: a.text(TAGS.studyUid) ?? parents.study ?? '',
    seriesUid: a.text(TAGS.seriesUid) ?? parents.series ?? '',
    modality: a.text(TAGS.modality)?.toUpperCase() ?? '',
    patient: a.text(TAGS.patientId) ?? '',
    sex: a.text(TAGS.patientSex)?.toUpperCase() ?? '',
    age: ageInYears(a.text(TAGS.patientAge)),
    view: viewOf(a),
    studyDate: date !== undefined && /^\d{8}$/.test(date) ? date : null,
    width: int(a.text(TAGS.columns)),
    height: int(a.text(TAGS.rows)),
    identityRemoved: removed === undefined ? null : removed === 'YES',
    burnedIn: burned === 'YES' || burned === 'NO' ? burned : null,
  }
}

/** Why an instance is not imported, or null when it is an image to audit [D2]. */
export function skipReason(r: DicomInstanceRecord, modalities: readonly string[]): string | null {
  for (const [what, uid] of [
    ['SOPInstanceUID', r.sopInstanceUid],
    ['StudyInstanceUID', r.studyUid],
    ['SeriesInstanceUID', r.seriesUid],
  ] as const)
    if (!isDicomUid(uid)) return `invalid ${what} "${uid}"`
  if (!isImageSopClass(r.sopClassUid)) {
    const name = sopClassName(r.sopClassUid)
    return `not an image of a film: SOP class ${r.sopClassUid}${name ? ` (${name})` : ''}`
  }
  if (modalities.length > 0 && !modalities.includes(r.modality))
    return `modality ${r.modality || 'blank'} is not one of ${modalities.join(', ')}`
  return null
}

/** Whether an instance may identify its patient [D5]: identity not removed, or text burned in. */
export function privacyOf(r: Pick<DicomInstanceRecord, 'identityRemoved' | 'burnedIn'>): {
  identifiable: boolean
  burnedIn: boolean
} {
  return { identifiable: r.identityRemoved !== true, burnedIn: r.burnedIn === 'YES' }
}
