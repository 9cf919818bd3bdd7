import { CONCEPTS, VERDICT_CODES, findingCode, type CodedConcept } from './codes.ts'
import { el, seq, type DicomElement } from './encode.ts'
import { COMPREHENSIVE_SR } from './sop-classes.ts'

/** The Patient and General Study attributes of the film's study, copied into its report. */
export interface StudyAttributes {
  readonly patientName: string
  readonly patientId: string
  readonly patientBirthDate: string
  readonly patientSex: string
  readonly studyUid: string
  readonly studyDate: string
  readonly studyTime: string
  readonly referringPhysician: string
  readonly studyId: string
  readonly accessionNumber: string
}

export interface SrVerdict {
  readonly finding: string
  readonly verdict: 'present' | 'absent' | 'uncertain'
  /** When the reader gave it (ISO 8601). */
  readonly time: string
}

/** One reviewed film's verdicts, as `export sr` writes them [D8]. */
export interface VerdictReport {
  readonly study: StudyAttributes
  readonly image: {
    readonly seriesUid: string
    readonly sopUid: string
    readonly sopClassUid: string
  }
  readonly sr: {
    readonly seriesUid: string
    readonly instanceUid: string
    readonly seriesNumber: number
    readonly instanceNumber: number
    readonly seriesDescription: string
    /** Content date and time: the reader's latest verdict or tag (ISO 8601, UTC). */
    readonly time: string
  }
  readonly observer: string
  readonly verdicts: readonly SrVerdict[]
  readonly tags: readonly string[]
  /** A line for the report's comment, e.g. the audit it came from. */
  readonly comment: string
  readonly manufacturer: string
  readonly softwareVersion: string
}

/** DA, TM and DT of an ISO 8601 time in UTC (PS3.5 6.2). */
export function dicomDateTime(iso: string): { date: string; time: string; dateTime: string } {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?/.exec(iso)
  if (!m) throw new RangeError(`"${iso}" is not an ISO 8601 time`)
  const date = `${m[1]}${m[2]}${m[3]}`
  const time = `${m[4]}${m[5]}${m[6]}${m[7] === undefined ? '' : `.${m[7]}`}`
  return { date, time, dateTime: `${date}${time}+0000` }
}

const code = (c: CodedConcept): DicomElement[] => [
  el(0x00080100, 'SH', c.value),
  el(0x00080102, 'SH', c.scheme),
  el(0x00080104, 'LO', c.meaning),
]
const conceptName = (c: CodedConcept): DicomElement => seq(0x0040a043, [code(c)])

/** A content item (PS3.3 C.17.3): relationship, value type, concept name, value, children. */
function item(
  relationship: string,
  valueType: string,
  concept: CodedConcept | null,
  value: readonly DicomElement[],
  children: readonly (readonly DicomElement[])[] = [],
): DicomElement[] {
  return [
    el(0x0040a010, 'CS', relationship),
    el(0x0040a040, 'CS', valueType),
    ...(concept === null ? [] : [conceptName(concept)]),
    ...value,
    ...(children.length > 0 ? [seq(0x0040a730, children)] : []),
  ]
}

/**
 * The data set of a Comprehensive SR (PS3.3 A.35.3) holding one reader's verdicts on one film
 * [D8]: the reader as Person Observer (TID 1002), each finding as a CODE item whose concept is
 * the finding's code and whose value is Present / Absent / Indeterminate, with the time it was
 * given and an INFERRED FROM reference to the image; the tags as TEXT items; the film referenced
 * in the Current Requested Procedure Evidence Sequence; in its own series of the film's study.
 */
export function verdictReport(r: VerdictReport): DicomElement[] {
  const when = dicomDateTime(r.sr.time)
  const s = r.study
  const imageRef = [el(0x00081150, 'UI', r.image.sopClassUid), el(0x00081155, 'UI', r.image.sopUid)]
  const findings = r.verdicts.map((v) =>
    item(
      'CONTAINS',
      'CODE',
      findingCode(v.finding),
      [
        seq(0x0040a168, [code(VERDICT_CODES[v.verdict])]),
        el(0x0040a032, 'DT', dicomDateTime(v.time).dateTime),
      ],
      [item('INFERRED FROM', 'IMAGE', CONCEPTS.sourceImage, [seq(0x00081199, [imageRef])])],
    ),
  )
  const tags = r.tags.map((t) => item('CONTAINS', 'TEXT', CONCEPTS.tag, [el(0x0040a160, 'UT', t)]))
  const content = [
    item('HAS OBS CONTEXT', 'CODE', CONCEPTS.observerType, [
      seq(0x0040a168, [code(CONCEPTS.person)]),
    ]),
    item('HAS OBS CONTEXT', 'PNAME', CONCEPTS.personObserverName, [
      el(0x0040a123, 'PN', r.observer),
    ]),
    item('CONTAINS', 'TEXT', CONCEPTS.comment, [el(0x0040a160, 'UT', r.comment)]),
    item(
      'CONTAINS',
      'CONTAINER',
      CONCEPTS.findings,
      [el(0x0040a050, 'CS', 'SEPARATE')],
      [...findings, ...tags],
    ),
  ]
  return [
    // SOP Common
    el(0x00080005, 'CS', 'ISO_IR 192'),
    el(0x00080016, 'UI', COMPREHENSIVE_SR),
    el(0x00080018, 'UI', r.sr.instanceUid),
    el(0x00080012, 'DA', when.date),
    el(0x00080013, 'TM', when.time),
    el(0x00080201, 'SH', '+0000'),
    // the private coding scheme, declared (PS3.3 C.12.1.1.2)
    seq(0x00080110, [
      [
        el(0x00080102, 'SH', '99CXRAUD'),
        el(0x00080115, 'ST', 'cxr-audit findings and tags without a standard code'),
      ],
    ]),
    // Patient
    el(0x00100010, 'PN', s.patientName),
    el(0x00100020, 'LO', s.patientId),
    el(0x00100030, 'DA', s.patientBirthDate),
    el(0x00100040, 'CS', s.patientSex),
    // General Study
    el(0x0020000d, 'UI', s.studyUid),
    el(0x00080020, 'DA', s.studyDate),
    el(0x00080030, 'TM', s.studyTime),
    el(0x00080090, 'PN', s.referringPhysician),
    el(0x00200010, 'SH', s.studyId),
    el(0x00080050, 'SH', s.accessionNumber),
    // SR Document Series
    el(0x00080060, 'CS', 'SR'),
    el(0x0020000e, 'UI', r.sr.seriesUid),
    el(0x00200011, 'IS', String(r.sr.seriesNumber)),
    el(0x0008103e, 'LO', r.sr.seriesDescription),
    seq(0x00081111, []),
    // General Equipment
    el(0x00080070, 'LO', r.manufacturer),
    el(0x00181020, 'LO', r.softwareVersion),
    // SR Document General
    el(0x00200013, 'IS', String(r.sr.instanceNumber)),
    el(0x0040a491, 'CS', 'COMPLETE'),
    el(0x0040a493, 'CS', 'UNVERIFIED'),
    el(0x00080023, 'DA', when.date),
    el(0x00080033, 'TM', when.time),
    seq(0x0040a372, []),
    seq(0x0040a375, [
      [
        el(0x0020000d, 'UI', s.studyUid),
        seq(0x00081115, [[el(0x0020000e, 'UI', r.image.seriesUid), seq(0x00081199, [imageRef])]]),
      ],
    ]),
    // SR Document Content: the root container
    el(0x0040a040, 'CS', 'CONTAINER'),
    conceptName(CONCEPTS.report),
    el(0x0040a050, 'CS', 'SEPARATE'),
    seq(0x0040a730, content),
  ]
}
