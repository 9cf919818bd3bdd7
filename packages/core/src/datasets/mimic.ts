import { findingKey } from '../findings.ts'
import type { RowError } from '../records.ts'
import { chexpertObservationColumns, chexpertValue } from './chexpert.ts'
import { eachRow, isDigits } from './header-table.ts'

/** Where a MIMIC-CXR-JPG path or study points (`files/p10/p10000032/s50414267/<dicom_id>.jpg`). */
export interface MimicKey {
  /** `p10/p10000032/s50414267/<dicom_id>.jpg` (a film) or `p10/p10000032/s50414267` (a study). */
  readonly name: string
  /** subject_id, as in the files (`10000032`). */
  readonly patient: string
  /** study_id, as in the files (`50414267`). */
  readonly study: string
  readonly kind: 'film' | 'study'
}

const KEY =
  /(?:^|[/\\])p\d\d[/\\]p(\d+)[/\\]s(\d+)(?:[/\\]([^/\\]+?)(?:\.(?:jpe?g|dcm|png))?)?[/\\]?$/i

/**
 * The MIMIC-CXR-JPG item a path names, whatever comes before `pXX/` (`files/`, the archive
 * folder); a film's name always ends in `.jpg` (the DICOM of the same film has the same key).
 */
export function mimicKey(path: string): MimicKey | undefined {
  const m = KEY.exec(path.trim())
  if (m === null) return undefined
  const patient = m[1]!
  const study = m[2]!
  const folder = `p${patient.slice(0, 2)}/p${patient}/s${study}`
  return m[3] === undefined
    ? { name: folder, patient, study, kind: 'study' }
    : { name: `${folder}/${m[3]}.jpg`, patient, study, kind: 'film' }
}

/** The item name of a film: `pXX/pSUBJECT/sSTUDY/DICOM_ID.jpg`, as the JPG archive files it. */
export const mimicFilmName = (subject: string, study: string, dicomId: string): string =>
  `p${subject.slice(0, 2)}/p${subject}/s${study}/${dicomId}.jpg`

/** One row of `mimic-cxr-2.0.0-metadata.csv`: a film. */
export interface MimicFilm {
  readonly dicomId: string
  readonly subject: string
  readonly study: string
  readonly view: string
  readonly width: number | null
  readonly height: number | null
  readonly line: number
}

/** A parsed MIMIC file: its rows, the malformed ones, and repeated keys (first row kept). */
export interface MimicRead<T> {
  readonly rows: T
  readonly errors: RowError[]
  readonly duplicates: string[]
}

const META_COLUMNS = ['dicom_id', 'subject_id', 'study_id', 'ViewPosition']

/**
 * Reads `mimic-cxr-2.0.0-metadata.csv` [DS8]: one film per `dicom_id`, its subject, study and
 * `ViewPosition` (PA, AP, LATERAL, LL, ... as written); `Rows`/`Columns` are the height and width.
 */
export function parseMimicMetadata(file: string, text: string): MimicRead<MimicFilm[]> {
  const errors: RowError[] = []
  const duplicates: string[] = []
  const films: MimicFilm[] = []
  const seen = new Set<string>()
  eachRow(
    file,
    text,
    "MIMIC-CXR-JPG's metadata",
    META_COLUMNS,
    (r, h, error) => {
      const [id, subject, study, view] = META_COLUMNS.map((c) => r.trimmed(h.at(c)))
      if (id === '') return error('dicom_id', 'the dicom_id is empty')
      if (!isDigits(subject!)) return error('subject_id', `"${subject}" is not a subject_id`)
      if (!isDigits(study!)) return error('study_id', `"${study}" is not a study_id`)
      const size: (number | null)[] = []
      for (const c of ['Rows', 'Columns']) {
        const at = h.at(c)
        const v = at < 0 || r.isBlank(at) ? null : r.number(at)
        if (v !== null && !(Number.isInteger(v) && v > 0))
          return error(c, `"${r.trimmed(at)}" is not a number of pixels`)
        size.push(v)
      }
      if (seen.has(id!)) {
        duplicates.push(`${id} (line ${r.line})`)
        return
      }
      seen.add(id!)
      films.push({
        dicomId: id!,
        subject: subject!,
        study: study!,
        view: view!,
        height: size[0]!,
        width: size[1]!,
        line: r.line,
      })
    },
    errors,
  )
  return { rows: films, errors, duplicates }
}

/** A study's labels from `-chexpert.csv` or `-negbio.csv`: observation -> 1, 0 or -1. */
export interface MimicStudyLabels {
  readonly subject: string
  readonly labels: ReadonlyMap<string, number>
  readonly line: number
}

/**
 * Reads MIMIC-CXR-JPG's per-study label file (`-chexpert.csv` or `-negbio.csv`) [DS8]:
 * `subject_id,study_id`, then the CheXpert labeller's 14 observations matched by name, values
 * `1.0`, `0.0`, `-1.0`, blank as in CheXpert [DS2].
 */
export function parseMimicLabels(
  file: string,
  text: string,
): MimicRead<Map<string, MimicStudyLabels>> & { findings: string[]; ignoredColumns: string[] } {
  const errors: RowError[] = []
  const duplicates: string[] = []
  const studies = new Map<string, MimicStudyLabels>()
  let obs: { column: number; finding: string }[] = []
  let ignored: string[] = []
  eachRow(
    file,
    text,
    'a MIMIC-CXR-JPG label file (mimic-cxr-2.0.0-chexpert.csv or -negbio.csv)',
    ['subject_id', 'study_id'],
    (r, h, error) => {
      const subject = r.trimmed(h.at('subject_id'))
      const study = r.trimmed(h.at('study_id'))
      if (!isDigits(subject)) return error('subject_id', `"${subject}" is not a subject_id`)
      if (!isDigits(study)) return error('study_id', `"${study}" is not a study_id`)
      const labels = new Map<string, number>()
      for (const o of obs) {
        const v = chexpertValue(r.text(o.column))
        if (v === undefined)
          return error(o.finding, `"${r.text(o.column)}" is not a label (1.0, 0.0, -1.0 or blank)`)
        if (v !== null) labels.set(o.finding, v)
      }
      if (studies.has(study)) {
        duplicates.push(`${study} (line ${r.line})`)
        return
      }
      studies.set(study, { subject, labels, line: r.line })
    },
    errors,
    (h) => {
      const columns = chexpertObservationColumns(file, h.names, [
        findingKey('subject_id'),
        findingKey('study_id'),
      ])
      obs = columns.observations
      ignored = columns.ignored
    },
  )
  return {
    rows: studies,
    errors,
    duplicates,
    findings: obs.map((o) => o.finding),
    ignoredColumns: ignored,
  }
}

/** Reads `mimic-cxr-2.0.0-split.csv` [DS8]: `dicom_id` -> `train`, `validate` or `test`. */
export function parseMimicSplit(file: string, text: string): MimicRead<Map<string, string>> {
  const errors: RowError[] = []
  const duplicates: string[] = []
  const splits = new Map<string, string>()
  eachRow(
    file,
    text,
    "MIMIC-CXR-JPG's split file",
    ['dicom_id', 'split'],
    (r, h, error) => {
      const id = r.trimmed(h.at('dicom_id'))
      const split = r.trimmed(h.at('split'))
      if (id === '') return error('dicom_id', 'the dicom_id is empty')
      if (split === '') return error('split', 'the split is empty')
      const before = splits.get(id)
      if (before !== undefined) {
        if (before !== split)
          return error('split', `${id} is in "${before}" above and in "${split}" here`)
        duplicates.push(`${id} (line ${r.line})`)
        return
      }
      splits.set(id, split)
    },
    errors,
  )
  return { rows: splits, errors, duplicates }
}
