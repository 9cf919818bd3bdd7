import { CsvSplitter } from '../csv.ts'
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
  readonly records: ImageRecord[] = []
  readonly errors: RowError[] = []
  readonly #splitter = new CsvSplitter()
  readonly #names = new FindingNames([...CXR14_FINDINGS, NO_FINDING])
  #index: Record<Column, number> | undefined
  #width = 0
  #sawData = false
  readonly #resolved = new Map<string, string | undefined>()

  constructor(readonly file: string) {}

  push(chunk: string): void {
    this.#splitter.push(chunk, this.#onRecord)
  }

  end(): MetadataParseResult {
    this.#splitter.end(this.#onRecord)
    if (this.#index === undefined) throw new InputFormatError(this.file, 'the file is empty')
    if (!this.#sawData) throw new InputFormatError(this.file, 'the file has a header but no rows')
    return { records: this.records, errors: this.errors }
  }

  readonly #onRecord = (fields: string[], line: number): void => {
    if (this.#index === undefined) {
      this.#readHeader(fields)
      return
    }
    if (fields.length === 1 && fields[0] === '') return
    this.#sawData = true
    this.#readRow(fields, line)
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

  #readRow(fields: string[], line: number): void {
    const index = this.#index!
    if (fields.length > this.#width && fields.slice(this.#width).every((f) => f === '')) {
      fields.length = this.#width
    }
    if (fields.length !== this.#width) {
      this.#error(line, null, `expected ${this.#width} fields, found ${fields.length}`)
      return
    }
    // a hot loop over 112,120 rows: plain indexing, no per-row closures
    const name = cell(fields, index.name)
    if (name === '') return this.#error(line, 'name', 'the image name is empty')
    const patient = cell(fields, index.patient)
    if (patient === '') return this.#error(line, 'patient', 'the patient ID is empty')
    const rawAge = cell(fields, index.age)
    const age = parseAge(rawAge)
    if (age === 'bad') return this.#error(line, 'age', `age "${rawAge}" is not a number`)
    const rawSex = cell(fields, index.sex)
    const sex = rawSex.toUpperCase()
    if (!KNOWN_SEX.has(sex)) {
      return this.#error(line, 'sex', `unknown gender "${rawSex}" (expected M, F or O)`)
    }
    const followUp = this.#number(fields, 'followUp', line)
    const width = this.#number(fields, 'width', line)
    const height = this.#number(fields, 'height', line)
    const spacingX = this.#number(fields, 'spacingX', line)
    const spacingY = this.#number(fields, 'spacingY', line)
    if (followUp === BAD || width === BAD || height === BAD || spacingX === BAD || spacingY === BAD)
      return
    const rawLabels: string[] = []
    const labels = new Map<string, number>()
    for (const part of cell(fields, index.labels).split('|')) {
      const raw = part.trim()
      if (raw === '') continue
      rawLabels.push(raw)
      const finding = this.#resolve(raw)
      if (finding !== undefined && finding !== NO_FINDING) labels.set(finding, 1)
    }
    this.records.push({
      name,
      patient,
      age,
      sex,
      view: cell(fields, index.view).toUpperCase(),
      followUp,
      width,
      height,
      spacingX,
      spacingY,
      labels,
      rawLabels,
      line,
    })
  }

  /** A numeric cell: null when empty, BAD (after recording the error) when not a number. */
  #number(fields: string[], column: NumericColumn, line: number): number | null | typeof BAD {
    const raw = cell(fields, this.#index![column])
    if (raw === '') return null
    const value = Number(raw)
    if (Number.isFinite(value)) return value
    this.#error(line, column, `"${raw}" is not a number`)
    return BAD
  }

  /** Label names resolve once each: there are a handful of distinct ones in 112,120 rows. */
  #resolve(raw: string): string | undefined {
    if (this.#resolved.has(raw)) return this.#resolved.get(raw)
    const finding = this.#names.resolve(raw)
    this.#resolved.set(raw, finding)
    return finding
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

const KNOWN_SEX = new Set(['M', 'F', 'O', 'U', ''])
const BAD = Symbol('bad')
type NumericColumn = 'followUp' | 'width' | 'height' | 'spacingX' | 'spacingY'

const cell = (fields: readonly string[], i: number): string => (i < 0 ? '' : fields[i]!.trim())

/** Ages as numbers, or DICOM age strings (058Y, 006M, 010D, 002W) as seen in early releases. */
function parseAge(raw: string): number | null | 'bad' {
  if (raw === '') return null
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
