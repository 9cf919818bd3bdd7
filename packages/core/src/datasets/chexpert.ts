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

const SPLITS = ['train', 'valid', 'test'] as const

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
 * The number of `patientNNNNN` (exactly five digits, as CheXpert writes it), -1 for any other
 * spelling: within those spellings number and text go one to one, so the parser can match the
 * usual patients by number instead of hashing their text.
 */
function patientNumber(patient: string): number {
  return patient.length === 12 && patient.startsWith('patient') ? digits(patient, 7, 12) : -1
}

/**
 * M of `patientNNNNN/studyM` (from 1 to 9999, without leading zeros; the patient as
 * patientNumber), -1 for any other spelling: one to one with the text, as above.
 */
function studyNumber(study: string): number {
  const n = study.length
  if (n < 19 || n > 22 || !study.startsWith('/study', 12) || study.charCodeAt(18) === 48) return -1
  return digits(study, 18, n)
}

/** text[from, to) as a number when it is only digits (at least one), else -1. */
function digits(text: string, from: number, to: number): number {
  if (to <= from || to > text.length) return -1
  let n = 0
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i)
    if (c < 48 || c > 57) return -1
    n = n * 10 + c - 48
  }
  return n
}

/** Whether a patient's [study, file, …] pairs hold this study (and this file when given). */
function hasFilm(films: readonly (number | string)[], study: number, file?: string): boolean {
  for (let i = 0; i < films.length; i += 2)
    if (films[i] === study && (file === undefined || films[i + 1] === file)) return true
  return false
}

/** Whether trim() might remove this character. */
function isOuter(c: number): boolean {
  return c <= 32 || c >= 127
}

/**
 * The common case without the pattern: a trimmed film path with forward slashes only,
 * `…/patientN/studyN/file`. Its parts are slices of the path, not concatenations, so they hash
 * and bind without being flattened first (a train file has 223,414 of them). Anything else
 * (studies, backslashes, trailing slashes, blanks around) is undefined here: the pattern decides.
 */
function filmKey(path: string): ChexpertKey | undefined {
  const n = path.length
  if (n === 0 || isOuter(path.charCodeAt(0)) || isOuter(path.charCodeAt(n - 1))) return undefined
  // the last four slashes, in one pass from the end (lastIndexOf is a call into the runtime)
  let f = -1
  let s = -1
  let p = -1
  let q = -1
  for (let i = n - 1; i >= 0; i--) {
    const c = path.charCodeAt(i)
    if (c === 92 /* \ */) return undefined
    if (c !== 47 /* / */ || q >= 0) continue
    if (f < 0) f = i
    else if (s < 0) s = i
    else if (p < 0) p = i
    else q = i
  }
  if (f < 0 || f === n - 1) return undefined
  if (s < 0 || !isNumbered(path, s + 1, f, 'study')) return undefined
  if (!isNumbered(path, p + 1, s, 'patient')) return undefined
  // the folder before the patient's, matched in place: no string made for it
  const b = p <= 0 ? p : q + 1
  let split: string | null = null
  for (const x of SPLITS) if (x.length === p - b && path.startsWith(x, b)) split = x
  return {
    name: path.slice(p + 1),
    patient: path.slice(p + 1, s),
    study: path.slice(p + 1, f),
    split,
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

/** The labels of a row, shared by every row of a file with the same label cells. */
export interface ChexpertLabelSet {
  /** Observation -> 1, 0 or -1; an observation not mentioned has no entry (column order). */
  readonly labels: ReadonlyMap<string, number>
  /** The positive observations, as ChexpertRecord.rawLabels. */
  readonly raw: string[]
  /** The set's number in its parser: 0, 1, … in the order first met (readers index by it). */
  readonly id: number
}

/**
 * One item as ChexpertParser hands it to a reader that takes items one at a time instead of
 * records (a streamed import packs them straight into columns): the fields of the record it
 * would have made. One object, refilled for each item: read it during the call.
 */
export interface ChexpertItem {
  name: string
  patient: string
  study: string
  split: string | null
  age: number | null
  sex: string
  view: string
  labels: ChexpertLabelSet
  line: number
  /**
   * Whether no earlier item has this patient (this study): known for patients written
   * `patientNNNNN` (studies `…/studyM`), null for other spellings, which never equal those.
   */
  newPatient: boolean | null
  newStudy: boolean | null
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
  /** Names read, but those in #byPatient. */
  readonly #seen = new Set<string>()
  /**
   * The items read of each patient written `patientNNNNN`, by its number, as [study, file, …]
   * pairs (studies written `studyM`, by M; hashing 223,414 names and 187,641 studies of a
   * train file cost more than the rest of a row).
   */
  readonly #byPatient = new Array<(number | string)[] | undefined>(100000)
  /** A few file names (`view1_frontal.jpg`…), one string each: see #fileOf. */
  readonly #files: string[] = []
  // rows with the same label cells share one map and one raw list (most of a large file)
  readonly #shared = new Map<string, ChexpertLabelSet>()
  /** The same sets by #labelCode, for cells written the usual way. */
  readonly #sharedByCode = new Map<number, ChexpertLabelSet>()
  // values of sex, AP/PA and Frontal/Lateral met so far, matched in place (#internField)
  readonly #sexSeen: string[] = []
  readonly #apPaSeen: string[] = []
  readonly #frontalSeen: string[] = []
  /** Takes the items instead of #records (null: records are kept). */
  readonly #onItem: ((item: ChexpertItem) => void) | null
  readonly #item: ChexpertItem = {
    name: '',
    patient: '',
    study: '',
    split: null,
    age: null,
    sex: '',
    view: '',
    labels: { labels: new Map(), raw: [], id: -1 },
    line: 0,
    newPatient: null,
    newStudy: null,
  }
  #items = 0

  // one string per distinct sex and view value, so that counting and binding them does not
  // hash or copy 223,414 fresh copies of `Male` and `AP`
  readonly #strings = new Map<string, string>()

  /**
   * With `onItem`, each item read goes to it (in file order, after the checks and the duplicate
   * rule) and no record is kept: `records` stays empty; `items` counts them.
   */
  constructor(file: string, onItem?: (item: ChexpertItem) => void) {
    this.#file = file
    this.#onItem = onItem ?? null
  }

  #intern(text: string): string {
    const known = this.#strings.get(text)
    if (known !== undefined) return known
    this.#strings.set(text, text)
    return text
  }

  /**
   * Field i trimmed, as one string per distinct value: a field written exactly as a value met
   * before (most rows) is matched in place, without making a string (`seen` holds them).
   */
  #internField(r: CsvRecord, i: number, seen: string[]): string {
    for (const s of seen) if (r.is(i, s)) return s
    const t = this.#intern(r.trimmed(i))
    if (seen.length < 8 && r.is(i, t)) seen.push(t)
    return t
  }

  /**
   * The label cells as a number when each is written exactly `''`, `1.0`, `0.0` or `-1.0`
   * (base 4, one digit per observation), -1 otherwise: rows with the same cells share a label
   * set found by this number instead of hashing the cells' text.
   */
  #labelCode(r: CsvRecord): number {
    const obs = this.#obs
    if (obs.length > 15) return -1
    let code = 0
    for (let j = 0; j < obs.length; j++) {
      const c = obs[j]!.column
      let d: number
      switch (r.size(c)) {
        case 0:
          d = 0
          break
        case 3: {
          const a = r.code(c, 0)
          if (r.code(c, 1) !== 46 /* . */ || r.code(c, 2) !== 48 /* 0 */) return -1
          if (a === 49 /* 1 */) d = 1
          else if (a === 48 /* 0 */) d = 2
          else return -1
          break
        }
        case 4:
          if (!r.is(c, '-1.0')) return -1
          d = 3
          break
        default:
          return -1
      }
      code = code * 4 + d
    }
    return code
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

  /** How many items were read so far (records kept or handed to `onItem`). */
  get items(): number {
    return this.#items
  }

  /** How many rows were found bad so far. */
  get errorCount(): number {
    return this.#errors.length
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

  /**
   * name[from…] as one string per distinct file name (a train file has a handful:
   * `view1_frontal.jpg`…): what the parser keeps of each item is then no string of its own.
   */
  #fileOf(name: string, from: number): string {
    const n = name.length - from
    for (const f of this.#files) if (f.length === n && name.startsWith(f, from)) return f
    const f = name.slice(from)
    if (this.#files.length < 16) this.#files.push(f)
    return f
  }

  #error(line: number, column: string | null, message: string): void {
    this.#errors.push({ file: this.#file, line, column, message })
  }

  #row(r: CsvRecord): void {
    const header = this.#header!
    const line = r.line
    const idText = r.text(this.#id)
    const key = chexpertKey(idText)
    const idColumn = header[this.#id]!
    const film = this.#kind === 'film'
    if (key === undefined) {
      this.#error(
        line,
        idColumn,
        `"${idText}" is not a CheXpert ${film ? 'path' : 'study'} (…/patientN/studyN${film ? '/viewN_….jpg' : ''})`,
      )
      return
    }
    if (key.kind !== this.#kind) {
      this.#error(
        line,
        idColumn,
        `"${idText}" names a ${key.kind}, but this file's items are ${film ? 'films (Path)' : 'studies (Study)'}`,
      )
      return
    }
    if (r.length < header.length) {
      this.#error(line, null, `${r.length} columns, the header has ${header.length}`)
      return
    }
    // rows with the same label cells share one label set, found by their code or their text
    const code = this.#labelCode(r)
    let shared: ChexpertLabelSet | undefined
    let cells = ''
    if (code >= 0) shared = this.#sharedByCode.get(code)
    else {
      cells = this.#contiguous
        ? r.span(this.#obs[0]!.column, this.#obs[this.#obs.length - 1]!.column)
        : this.#obs.map((o) => r.text(o.column)).join(',')
      shared = this.#shared.get(cells)
    }
    if (shared === undefined) {
      const labels = new Map<string, number>()
      const raw: string[] = []
      for (const o of this.#obs) {
        const v = chexpertValue(r.text(o.column))
        if (v === undefined) {
          this.#error(
            line,
            o.finding,
            `"${r.text(o.column)}" is not a label (1.0, 0.0, -1.0 or blank)`,
          )
          return
        }
        if (v === null) continue
        labels.set(o.finding, v)
        if (v === 1) raw.push(o.finding)
      }
      shared = { labels, raw, id: this.#sharedByCode.size + this.#shared.size }
      if (code >= 0) this.#sharedByCode.set(code, shared)
      else this.#shared.set(cells, shared)
    }
    let age: number | null = null
    if (this.#age >= 0 && !r.isBlank(this.#age)) {
      age = r.number(this.#age)
      if (!Number.isFinite(age)) {
        this.#error(line, header[this.#age]!, `"${r.trimmed(this.#age)}" is not an age`)
        return
      }
    }
    // a name seen before: matched by patient and study numbers when they have some
    const patient = patientNumber(key.patient)
    const study = patient < 0 ? -1 : studyNumber(key.study)
    let films = patient < 0 ? undefined : this.#byPatient[patient]
    const file = study < 0 ? '' : this.#fileOf(key.name, key.study.length + 1)
    if (study < 0 ? this.#seen.has(key.name) : films !== undefined && hasFilm(films, study, file)) {
      this.#duplicates.push(`${key.name} (line ${line})`)
      return
    }
    const newPatient = patient < 0 ? null : films === undefined
    if (patient >= 0 && films === undefined) this.#byPatient[patient] = films = []
    const newStudy = study < 0 ? null : !hasFilm(films!, study)
    if (study < 0) this.#seen.add(key.name)
    else films!.push(study, file)
    const sexText = this.#sex >= 0 ? this.#internField(r, this.#sex, this.#sexSeen) : ''
    const apPa = this.#apPa >= 0 ? this.#internField(r, this.#apPa, this.#apPaSeen) : ''
    const lateral =
      this.#frontal >= 0 && this.#internField(r, this.#frontal, this.#frontalSeen) === 'Lateral'
    const sex = SEX[sexText] ?? sexText
    // AP/PA holds AP, PA, LL, RL or blank; a lateral with a blank AP/PA is LATERAL
    const view = apPa !== '' ? apPa : lateral ? 'LATERAL' : ''
    this.#items++
    if (this.#onItem !== null) {
      const it = this.#item
      it.name = key.name
      it.patient = key.patient
      it.study = key.study
      it.split = key.split
      it.age = age
      it.sex = sex
      it.view = view
      it.labels = shared
      it.line = line
      it.newPatient = newPatient
      it.newStudy = newStudy
      this.#onItem(it)
      return
    }
    this.#records.push({
      name: key.name,
      patient: key.patient,
      study: key.study,
      split: key.split,
      age,
      sex,
      view,
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
