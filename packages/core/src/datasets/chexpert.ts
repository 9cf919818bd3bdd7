import { CsvSplitter, type CsvRecord } from '../csv.ts'
import { findingKey } from '../findings.ts'
import { InputFormatError, type ImageRecord, type RowError } from '../records.ts'

/** CheXpert's 14 observations, in the order of its label files (Irvin et al. 2019). */
export const CHEXPERT_FINDINGS = [
  'No Finding',
  'Enlarged Cardiomediastinum',
  'Cardiomegaly',
  'Lung Opacity',
  'Lung Lesion',
  'Edema',
  'Consolidation',
  'Pneumonia',
  'Atelectasis',
  'Pneumothorax',
  'Pleural Effusion',
  'Pleural Other',
  'Fracture',
  'Support Devices',
] as const

/** Where a CheXpert path or study id points: the item's name, patient, study and split. */
export interface ChexpertKey {
  /** `patient00001/study1/view1_frontal.jpg` (a film) or `patient64741/study1` (a study). */
  readonly name: string
  readonly patient: string
  readonly study: string
  /** `train`, `valid` or `test` when the path says so. */
  readonly split: string | null
  readonly kind: 'film' | 'study'
}

const KEY =
  /(?:^|[/\\])(?:(train|valid|test)[/\\])?(patient\d+)[/\\](study\d+)(?:[/\\]([^/\\]+))?[/\\]?$/

/**
 * The item a CheXpert path or study id names, whatever comes before `patientN/` (the archive
 * is `CheXpert-v1.0/` or `CheXpert-v1.0-small/`, reader files use either): undefined when the
 * text holds no `patientN/studyN`.
 */
export function chexpertKey(path: string): ChexpertKey | undefined {
  return filmKey(path) ?? keyByPattern(path)
}

const SPLITS = new Set(['train', 'valid', 'test'])

/** Whether text[from, to) is `prefix` followed by one or more digits. */
function isNumbered(text: string, from: number, to: number, prefix: string): boolean {
  if (to - from <= prefix.length || !text.startsWith(prefix, from)) return false
  for (let i = from + prefix.length; i < to; i++) {
    const c = text.charCodeAt(i)
    if (c < 48 || c > 57) return false
  }
  return true
}

/**
 * The common case without the pattern: a trimmed film path with forward slashes only,
 * `…/patientN/studyN/file`. Its parts are slices of the path, not concatenations, so they hash
 * and bind without being flattened first (a train file has 223,414 of them). Anything else
 * (studies, backslashes, trailing slashes, blanks around) is undefined here: the pattern decides.
 */
function filmKey(path: string): ChexpertKey | undefined {
  const n = path.length
  const outer = (c: number): boolean => c <= 32 || c >= 127 // what trim() might remove
  if (n === 0 || outer(path.charCodeAt(0)) || outer(path.charCodeAt(n - 1))) return undefined
  if (path.includes('\\')) return undefined
  const f = path.lastIndexOf('/')
  if (f < 0 || f === n - 1) return undefined
  const s = path.lastIndexOf('/', f - 1)
  if (s < 0 || !isNumbered(path, s + 1, f, 'study')) return undefined
  const p = s === 0 ? -1 : path.lastIndexOf('/', s - 1)
  if (!isNumbered(path, p + 1, s, 'patient')) return undefined
  const before = p <= 0 ? '' : path.slice(path.lastIndexOf('/', p - 1) + 1, p)
  return {
    name: path.slice(p + 1),
    patient: path.slice(p + 1, s),
    study: path.slice(p + 1, f),
    split: SPLITS.has(before) ? before : null,
    kind: 'film',
  }
}

function keyByPattern(path: string): ChexpertKey | undefined {
  const m = KEY.exec(path.trim())
  if (m === null) return undefined
  const patient = m[2]!
  const study = `${patient}/${m[3]!}`
  const file = m[4]
  return {
    name: file === undefined ? study : `${study}/${file}`,
    patient,
    study,
    split: m[1] ?? null,
    kind: file === undefined ? 'study' : 'film',
  }
}

/**
 * A label cell as published [DS2]: `1.0` positive, `0.0` a negative mention, `-1.0` uncertain,
 * blank not mentioned (null). `1`, `0`, `-1` are the test-set spelling. Undefined: not a label.
 */
export function chexpertValue(cell: string): 1 | 0 | -1 | null | undefined {
  switch (cell) {
    case '':
      return null
    case '1.0':
    case '1':
      return 1
    case '0.0':
    case '0':
      return 0
    case '-1.0':
    case '-1':
      return -1
    default: {
      const t = cell.trim()
      return t === cell ? undefined : chexpertValue(t)
    }
  }
}

/**
 * The observation columns of a CheXpert-labeller header (CheXpert, MIMIC-CXR-JPG's chexpert and
 * negbio files), matched by name in any order [DS1]; columns that are neither `metadata` (keys
 * as made by findingKey) nor an observation are `ignored`. Throws when there is no observation.
 */
export function chexpertObservationColumns(
  file: string,
  header: readonly string[],
  metadata: readonly string[],
): { observations: { column: number; finding: string }[]; ignored: string[] } {
  const known = new Map(CHEXPERT_FINDINGS.map((f) => [findingKey(f), f]))
  const taken = new Set<string>()
  const observations: { column: number; finding: string }[] = []
  const ignored: string[] = []
  header.forEach((h, column) => {
    const k = findingKey(h)
    if (metadata.includes(k) || h === '') return
    const finding = known.get(k)
    if (finding === undefined || taken.has(finding)) ignored.push(h)
    else {
      taken.add(finding)
      observations.push({ column, finding })
    }
  })
  if (observations.length === 0)
    throw new InputFormatError(
      file,
      `no CheXpert observation column (${CHEXPERT_FINDINGS.join(', ')})`,
    )
  return { observations, ignored }
}

/** One row of a CheXpert label file, as an item of the dataset. */
export interface ChexpertRecord extends ImageRecord {
  readonly study: string
  readonly split: string | null
  /** Observation -> 1, 0 or -1; an observation not mentioned has no entry. */
  readonly labels: ReadonlyMap<string, number>
}

export interface ChexpertTable {
  readonly kind: 'film' | 'study'
  /** The observations of the file, in its column order, by the canonical names. */
  readonly findings: string[]
  /** Columns that are neither metadata nor an observation (kept in `ignoredColumns`). */
  readonly ignoredColumns: string[]
  readonly records: ChexpertRecord[]
  readonly errors: RowError[]
  /** Later rows of an item already read (first kept), as `name (line N)`. */
  readonly duplicates: string[]
}

const META = ['path', 'study', 'sex', 'age', 'frontallateral', 'appa']

const SEX: Readonly<Record<string, string>> = { Male: 'M', Female: 'F' }

/**
 * Reads a CheXpert label file [DS1]: film-keyed (`Path,Sex,Age,Frontal/Lateral,AP/PA,` then the
 * observations) or study-keyed (first column `Study`). Observation columns are matched by name,
 * in any order; a bad cell is a row error with line and column; the header must have a `Path`
 * or `Study` column and at least one observation.
 */
export class ChexpertParser {
  readonly #file: string
  readonly #splitter = new CsvSplitter()
  #header: string[] | null = null
  #kind: 'film' | 'study' = 'film'
  #id = -1
  #sex = -1
  #age = -1
  #frontal = -1
  #apPa = -1
  #obs: { column: number; finding: string }[] = []
  #contiguous = false
  #ignored: string[] = []
  readonly #records: ChexpertRecord[] = []
  readonly #errors: RowError[] = []
  readonly #duplicates: string[] = []
  readonly #seen = new Set<string>()
  // rows with the same label cells share one map and one raw list (most of a large file)
  readonly #shared = new Map<string, { labels: Map<string, number>; raw: string[] }>()

  // one string per distinct sex and view value, so that counting and binding them does not
  // hash or copy 223,414 fresh copies of `Male` and `AP`
  readonly #strings = new Map<string, string>()

  constructor(file: string) {
    this.#file = file
  }

  #intern(text: string): string {
    const known = this.#strings.get(text)
    if (known !== undefined) return known
    this.#strings.set(text, text)
    return text
  }

  push(chunk: string): void {
    this.#splitter.pushRecords(chunk, this.#onRecord)
  }

  /**
   * The file's kind, observations and ignored columns once its header is read (null before):
   * a reader that streams the records needs them before the end.
   */
  get columns(): {
    kind: 'film' | 'study'
    findings: string[]
    ignoredColumns: string[]
  } | null {
    if (this.#header === null) return null
    return {
      kind: this.#kind,
      findings: this.#obs.map((o) => o.finding),
      ignoredColumns: this.#ignored,
    }
  }

  /** The records read so far, in order (the same array end() returns; it only grows). */
  get records(): readonly ChexpertRecord[] {
    return this.#records
  }

  end(): ChexpertTable {
    this.#splitter.endRecords(this.#onRecord)
    if (this.#header === null) throw new InputFormatError(this.#file, 'the file is empty')
    return {
      kind: this.#kind,
      findings: this.#obs.map((o) => o.finding),
      ignoredColumns: this.#ignored,
      records: this.#records,
      errors: this.#errors,
      duplicates: this.#duplicates,
    }
  }

  readonly #onRecord = (r: CsvRecord): void => {
    if (this.#header === null) {
      const fields: string[] = []
      for (let i = 0; i < r.length; i++) fields.push(r.text(i))
      this.#readHeader(fields)
      return
    }
    if (r.length === 1 && r.isBlank(0)) return
    this.#row(r)
  }

  #row(r: CsvRecord): void {
    const header = this.#header!
    const line = r.line
    const error = (column: string | null, message: string): void => {
      this.#errors.push({ file: this.#file, line, column, message })
    }
    const idText = r.text(this.#id)
    const key = chexpertKey(idText)
    const idColumn = header[this.#id]!
    const film = this.#kind === 'film'
    if (key === undefined) {
      error(
        idColumn,
        `"${idText}" is not a CheXpert ${film ? 'path' : 'study'} (…/patientN/studyN${film ? '/viewN_….jpg' : ''})`,
      )
      return
    }
    if (key.kind !== this.#kind) {
      error(
        idColumn,
        `"${idText}" names a ${key.kind}, but this file's items are ${film ? 'films (Path)' : 'studies (Study)'}`,
      )
      return
    }
    if (r.length < header.length) {
      error(null, `${r.length} columns, the header has ${header.length}`)
      return
    }
    // the observation cells as one string: rows with the same cells share one label map
    const cells = this.#contiguous
      ? r.span(this.#obs[0]!.column, this.#obs[this.#obs.length - 1]!.column)
      : this.#obs.map((o) => r.text(o.column)).join(',')
    let shared = this.#shared.get(cells)
    if (shared === undefined) {
      const labels = new Map<string, number>()
      const raw: string[] = []
      for (const o of this.#obs) {
        const v = chexpertValue(r.text(o.column))
        if (v === undefined) {
          error(o.finding, `"${r.text(o.column)}" is not a label (1.0, 0.0, -1.0 or blank)`)
          return
        }
        if (v === null) continue
        labels.set(o.finding, v)
        if (v === 1) raw.push(o.finding)
      }
      shared = { labels, raw }
      this.#shared.set(cells, shared)
    }
    let age: number | null = null
    if (this.#age >= 0 && !r.isBlank(this.#age)) {
      age = r.number(this.#age)
      if (!Number.isFinite(age)) {
        error(header[this.#age]!, `"${r.trimmed(this.#age)}" is not an age`)
        return
      }
    }
    if (this.#seen.has(key.name)) {
      this.#duplicates.push(`${key.name} (line ${line})`)
      return
    }
    this.#seen.add(key.name)
    const sexText = this.#sex >= 0 ? this.#intern(r.trimmed(this.#sex)) : ''
    const apPa = this.#apPa >= 0 ? this.#intern(r.trimmed(this.#apPa)) : ''
    const lateral = this.#frontal >= 0 && r.trimmed(this.#frontal) === 'Lateral'
    this.#records.push({
      name: key.name,
      patient: key.patient,
      study: key.study,
      split: key.split,
      age,
      sex: SEX[sexText] ?? sexText,
      // AP/PA holds AP, PA, LL, RL or blank; a lateral with a blank AP/PA is LATERAL
      view: apPa !== '' ? apPa : lateral ? 'LATERAL' : '',
      followUp: null,
      width: null,
      height: null,
      spacingX: null,
      spacingY: null,
      labels: shared.labels,
      rawLabels: shared.raw,
      line,
    })
  }

  #readHeader(fields: string[]): void {
    const header = fields.map((f) => f.trim())
    if (header.length === 1 && header[0] === '')
      throw new InputFormatError(this.#file, 'the file is empty')
    const keys = header.map((h) => findingKey(h))
    const at = (k: string): number => keys.indexOf(k)
    const path = at('path')
    const study = at('study')
    if (path < 0 && study < 0) {
      throw new InputFormatError(
        this.#file,
        `not a CheXpert label file: no "Path" or "Study" column (found: ${header.map((h) => `"${h}"`).join(', ')})`,
      )
    }
    this.#kind = path >= 0 ? 'film' : 'study'
    this.#id = path >= 0 ? path : study
    this.#sex = at('sex')
    this.#age = at('age')
    this.#frontal = at('frontallateral')
    this.#apPa = at('appa')
    const columns = chexpertObservationColumns(this.#file, header, META)
    this.#obs = columns.observations
    this.#ignored = columns.ignored
    this.#contiguous = this.#obs.every((o, i) => o.column === this.#obs[0]!.column + i)
    this.#header = header
  }
}
