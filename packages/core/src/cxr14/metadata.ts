import { CsvSplitter, type CsvRecord } from '../csv.ts'
import { CXR14_FINDINGS, FindingNames, NO_FINDING } from '../findings.ts'
import { InputFormatError, type ImageRecord, type RowError } from '../records.ts'

/** The columns we read, by their header name in Data_Entry_2017*.csv. */
const COLUMNS = {
  name: 'Image Index',
  labels: 'Finding Labels',
  followUp: 'Follow-up #',
  patient: 'Patient ID',
  age: 'Patient Age',
  sex: 'Patient Gender',
  view: 'View Position',
  width: 'OriginalImage[Width',
  height: 'Height]',
  spacingX: 'OriginalImagePixelSpacing[x',
  spacingY: 'y]',
} as const

type Column = keyof typeof COLUMNS

/** How a column is named in messages (the header's bracketed pairs read as two columns). */
const DISPLAY: Record<Column, string> = {
  name: 'Image Index',
  labels: 'Finding Labels',
  followUp: 'Follow-up #',
  patient: 'Patient ID',
  age: 'Patient Age',
  sex: 'Patient Gender',
  view: 'View Position',
  width: 'OriginalImage[Width,Height] (width)',
  height: 'OriginalImage[Width,Height] (height)',
  spacingX: 'OriginalImagePixelSpacing[x,y] (x)',
  spacingY: 'OriginalImagePixelSpacing[x,y] (y)',
}

const REQUIRED: readonly Column[] = ['name', 'labels', 'patient']

export interface MetadataParseResult {
  readonly records: ImageRecord[]
  readonly errors: RowError[]
}

/**
 * Streams ChestX-ray14 metadata (Data_Entry_2017.csv or its 2020 revision) into image records.
 * Rows that cannot be read become RowErrors with file, line and column; the header is checked
 * first so that a wrong file (a BBox list given as metadata) fails with one clear message.
 */
export class Cxr14MetadataParser {
  /** The rows read, in order (none when they go to `onRow` instead). */
  readonly records: ImageRecord[] = []
  readonly errors: RowError[] = []
  readonly #splitter = new CsvSplitter()
  readonly #names = new FindingNames([...CXR14_FINDINGS, NO_FINDING])
  #index: Record<Column, number> | undefined
  #width = 0
  #sawData = false
  readonly #parsedLabels = new Map<string, ParsedLabels>()
  readonly #upperCase = new Map<string, string>()
  // rows repeat their neighbours' patient and age and a few sexes, views and label lists
  readonly #patients = new RecentCells<string>(1)
  readonly #ages = new RecentCells<number | null>(2)
  readonly #sexes = new RecentCells<string>(4)
  readonly #views = new RecentCells<string>(4)
  readonly #labelCells = new RecentCells<ParsedLabels>(8)
  readonly #onRow: ((row: ImageRecord) => void) | null
  /** The one row handed to `onRow`, filled again for each row. */
  readonly #row: Row

  /**
   * `onRow`: takes each good row as it is read, instead of `records` (a stream that packs rows
   * as it goes keeps no record). The object is reused: read it during the call.
   */
  constructor(
    readonly file: string,
    onRow?: (row: ImageRecord) => void,
  ) {
    this.#onRow = onRow ?? null
    this.#row = {
      name: '',
      patient: '',
      age: null,
      sex: '',
      view: '',
      followUp: null,
      width: null,
      height: null,
      spacingX: null,
      spacingY: null,
      labels: NO_LABELS.labels,
      rawLabels: NO_LABELS.rawLabels,
      line: 0,
    }
  }

  push(chunk: string): void {
    this.#splitter.pushRecords(chunk, this.#onRecord)
  }

  end(): MetadataParseResult {
    this.#splitter.endRecords(this.#onRecord)
    if (this.#index === undefined) throw new InputFormatError(this.file, 'the file is empty')
    if (!this.#sawData) throw new InputFormatError(this.file, 'the file has a header but no rows')
    return { records: this.records, errors: this.errors }
  }

  readonly #onRecord = (r: CsvRecord): void => {
    if (this.#index === undefined) {
      this.#readHeader(r.fields())
      return
    }
    if (r.length === 1 && r.isEmpty(0)) return
    this.#sawData = true
    this.#readRow(r)
  }

  #readHeader(fields: string[]): void {
    const header = fields.map((f) => f.trim())
    if (header.length === 1 && header[0] === '') {
      throw new InputFormatError(this.file, 'the file is empty')
    }
    if (header.includes('Finding Label') && header.some((h) => h.startsWith('Bbox'))) {
      throw new InputFormatError(
        this.file,
        'this is a bounding-box list (BBox_List_2017.csv), not the metadata; give it with --bbox',
      )
    }
    const index = {} as Record<Column, number>
    for (const [key, name] of Object.entries(COLUMNS) as [Column, string][]) {
      index[key] = header.indexOf(name)
    }
    const missing = REQUIRED.filter((k) => index[k] < 0).map((k) => `"${COLUMNS[k]}"`)
    if (missing.length > 0) {
      throw new InputFormatError(
        this.file,
        `not ChestX-ray14 metadata: the header lacks ${missing.join(', ')} (found: ${header.slice(0, 6).join(', ')})`,
      )
    }
    // the 2017 release ends every line with a comma: an empty last column
    this.#width = header[header.length - 1] === '' ? header.length - 1 : header.length
    this.#index = index
  }

  #readRow(r: CsvRecord): void {
    const index = this.#index!
    const line = r.line
    let count = r.length
    // the 2017 release's trailing empty column
    if (count > this.#width) {
      let extra = true
      for (let i = this.#width; i < count; i++) if (!r.isEmpty(i)) extra = false
      if (extra) count = this.#width
    }
    if (count !== this.#width) {
      this.#error(line, null, `expected ${this.#width} fields, found ${count}`)
      return
    }
    // a hot loop over 112,120 rows: plain indexing, no per-row closures, numbers read in place,
    // and cells like a recent row's taken from it (no string made, nothing looked up)
    const name = r.trimmed(index.name)
    if (name === '') return this.#error(line, 'name', 'the image name is empty')
    let patient = this.#patients.find(r, index.patient)
    if (patient === undefined) {
      const cell = r.text(index.patient)
      patient = cell.trim()
      if (patient === '') return this.#error(line, 'patient', 'the patient ID is empty')
      this.#patients.keep(cell, patient)
    }
    let age = this.#ages.find(r, index.age)
    if (age === undefined) {
      const cell = r.text(index.age)
      const rawAge = cell.trim()
      const parsed = parseAge(rawAge)
      if (parsed === 'bad') return this.#error(line, 'age', `age "${rawAge}" is not a number`)
      age = parsed
      this.#ages.keep(cell, age)
    }
    let sex = this.#sexes.find(r, index.sex)
    if (sex === undefined) {
      const cell = r.text(index.sex)
      const rawSex = cell.trim()
      sex = this.#upper(rawSex)
      if (!KNOWN_SEX.has(sex)) {
        return this.#error(line, 'sex', `unknown gender "${rawSex}" (expected M, F or O)`)
      }
      this.#sexes.keep(cell, sex)
    }
    const followUp = this.#number(r, index.followUp, 'followUp')
    const width = this.#number(r, index.width, 'width')
    const height = this.#number(r, index.height, 'height')
    const spacingX = this.#number(r, index.spacingX, 'spacingX')
    const spacingY = this.#number(r, index.spacingY, 'spacingY')
    if (followUp === BAD || width === BAD || height === BAD || spacingX === BAD || spacingY === BAD)
      return
    let parsed = this.#labelCells.find(r, index.labels)
    if (parsed === undefined) {
      const cell = r.text(index.labels)
      parsed = this.#labels(cell.trim())
      this.#labelCells.keep(cell, parsed)
    }
    let view = this.#views.find(r, index.view)
    if (view === undefined) {
      const cell = r.text(index.view)
      view = this.#upper(cell.trim())
      this.#views.keep(cell, view)
    }
    const row = this.#row
    row.name = name
    row.patient = patient
    row.age = age
    row.sex = sex
    row.view = view
    row.followUp = followUp
    row.width = width
    row.height = height
    row.spacingX = spacingX
    row.spacingY = spacingY
    row.labels = parsed.labels
    row.rawLabels = parsed.rawLabels
    row.line = line
    // without a taker the row is kept: a copy, since the row object is reused
    if (this.#onRow === null) this.records.push({ ...row })
    else this.#onRow(row)
  }

  /** A numeric cell: null when empty, BAD (after recording the error) when not a number. */
  #number(r: CsvRecord, i: number, column: NumericColumn): number | null | typeof BAD {
    if (r.isBlank(i)) return null
    const value = r.number(i)
    if (Number.isFinite(value)) return value
    this.#error(r.line, column, `"${r.trimmed(i)}" is not a number`)
    return BAD
  }

  /**
   * The labels of a `Finding Labels` cell, read once per distinct cell: 112,120 rows hold under
   * a thousand distinct ones, so rows share the (read-only) map and list.
   */
  #labels(cell: string): ParsedLabels {
    let parsed = this.#parsedLabels.get(cell)
    if (parsed === undefined) {
      const rawLabels: string[] = []
      const labels = new Map<string, number>()
      for (const part of cell.split('|')) {
        const raw = part.trim()
        if (raw === '') continue
        rawLabels.push(raw)
        const finding = this.#names.resolve(raw)
        // `No Finding` is a finding too (#11): its films are the negatives papers compare with
        if (finding !== undefined) labels.set(finding, 1)
      }
      parsed = { labels, rawLabels }
      this.#parsedLabels.set(cell, parsed)
    }
    return parsed
  }

  /** Upper-cased codes (sex, view), one string per distinct value rather than one per row. */
  #upper(raw: string): string {
    let up = this.#upperCase.get(raw)
    if (up === undefined) {
      up = raw.toUpperCase()
      if (this.#upperCase.size < 1000) this.#upperCase.set(raw, up)
    }
    return up
  }

  #error(line: number, column: Column | null, message: string): void {
    this.errors.push({
      file: this.file,
      line,
      column: column === null ? null : DISPLAY[column],
      message,
    })
  }
}

interface ParsedLabels {
  readonly labels: ReadonlyMap<string, number>
  readonly rawLabels: readonly string[]
}

const NO_LABELS: ParsedLabels = { labels: new Map(), rawLabels: [] }

/** An ImageRecord that the parser fills again for each row it hands to `onRow`. */
type Row = { -readonly [K in keyof ImageRecord]: ImageRecord[K] }

/**
 * What was made of a column's last few distinct cells, found again by comparing a row's cell in
 * place (CsvRecord.equals): a row that repeats one makes no string and looks nothing up. The
 * oldest cell gives way to a new one.
 */
class RecentCells<T> {
  readonly #cells: string[] = []
  readonly #made: T[] = []
  #next = 0

  constructor(readonly size: number) {}

  /** What was made of field i's cell, or undefined when it is none of the recent ones. */
  find(r: CsvRecord, i: number): T | undefined {
    const cells = this.#cells
    for (let k = 0; k < cells.length; k++) if (r.equals(i, cells[k]!)) return this.#made[k]
    return undefined
  }

  /** `made` from `cell` (field text as written), found again by `find`. */
  keep(cell: string, made: T): void {
    this.#cells[this.#next] = cell
    this.#made[this.#next] = made
    this.#next = (this.#next + 1) % this.size
  }
}

const KNOWN_SEX = new Set(['M', 'F', 'O', 'U', ''])
const BAD = Symbol('bad')
type NumericColumn = 'followUp' | 'width' | 'height' | 'spacingX' | 'spacingY'

/** Ages as numbers, or DICOM age strings (058Y, 006M, 010D, 002W) as seen in early releases. */
function parseAge(raw: string): number | null | 'bad' {
  if (raw === '') return null
  if (isDigits(raw)) return Number(raw)
  const m = /^(\d+(?:\.\d+)?)\s*([YMWD]?)$/i.exec(raw)
  if (m === null) return 'bad'
  const n = Number(m[1])
  switch ((m[2] ?? '').toUpperCase()) {
    case 'M':
      return n / 12
    case 'W':
      return n / 52.1775
    case 'D':
      return n / 365.25
    default:
      return n
  }
}

/** Plain digits, the common case, read without a regular expression. */
function isDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 48 || c > 57) return false
  }
  return true
}
