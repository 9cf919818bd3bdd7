import { CsvSplitter } from '../csv.ts'
import { FindingNames } from '../findings.ts'
import { InputFormatError, type RowError } from '../records.ts'

/** The id columns looked for when none is given, in order (docs/SPEC-models.md [M2]). */
// Path and Study: CheXpert-style files, keyed by film path or study id [DS4]
export const DEFAULT_ID_COLUMNS: readonly string[] = ['Image Index', 'Image ID', 'Path', 'Study']
export const DEFAULT_SCORE_PREFIX = 'prob_'

/** A score column matched to a finding of the dataset. */
export interface PredictionColumn {
  readonly column: string
  readonly finding: string
}

/** One image's scores, in the order of `columns`. */
export interface PredictionRow {
  readonly image: string
  readonly line: number
  readonly scores: Float64Array
}

/** A second row for an image already seen. */
export interface DuplicateRow {
  readonly image: string
  readonly line: number
  readonly firstLine: number
}

export interface PredictionsParseResult {
  readonly idColumn: string
  readonly columns: readonly PredictionColumn[]
  /** Columns with the score prefix whose finding the dataset does not know [M3]. */
  readonly unknownFindings: readonly string[]
  /** Columns that are neither the id nor prefixed scores: not read. */
  readonly ignoredColumns: readonly string[]
  /** Good rows, first occurrence of each image only. */
  readonly rows: readonly PredictionRow[]
  /** Malformed rows: not a number, NaN, infinite, empty, wrong field count [M4]. */
  readonly errors: readonly RowError[]
  /** Rows repeating an image [M5]. */
  readonly duplicates: readonly DuplicateRow[]
}

export interface PredictionsParseOptions {
  /** Names of the dataset's findings (labelled and derived) that columns may map to. */
  readonly findings: readonly string[]
  readonly idColumn?: string | undefined
  readonly prefix?: string | undefined
}

/** A decimal number as written by pandas, numpy, R or a spreadsheet; no NaN, no Infinity. */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/

/**
 * Streams a wide prediction CSV (an image-id column, one score column per finding, e.g.
 * `Image Index, prob_Atelectasis, ...`) into rows of scores [M1]-[M5]. The header is checked
 * first: no id column or no score column that names a finding is an InputFormatError (the whole
 * file is wrong). Score columns are `<prefix><finding>`, the finding matched by name ignoring
 * case, spaces, underscores and `/` (as FindingNames does).
 */
export class PredictionsCsvParser {
  readonly #splitter = new CsvSplitter()
  readonly #names: FindingNames
  readonly #prefix: string
  readonly #prefixDefaulted: boolean
  readonly #idColumnWanted: string | undefined
  readonly #rows: PredictionRow[] = []
  readonly #errors: RowError[] = []
  readonly #duplicates: DuplicateRow[] = []
  readonly #firstLine = new Map<string, number>()
  #header: Header | undefined
  #sawData = false

  constructor(
    readonly file: string,
    options: PredictionsParseOptions,
  ) {
    this.#names = new FindingNames(options.findings)
    this.#prefix = options.prefix ?? DEFAULT_SCORE_PREFIX
    this.#prefixDefaulted = options.prefix === undefined
    this.#idColumnWanted = options.idColumn
  }

  push(chunk: string): void {
    this.#splitter.push(chunk, this.#onRecord)
  }

  end(): PredictionsParseResult {
    this.#splitter.end(this.#onRecord)
    const header = this.#header
    if (header === undefined) throw new InputFormatError(this.file, 'the file is empty')
    if (!this.#sawData) throw new InputFormatError(this.file, 'the file has a header but no rows')
    return {
      idColumn: header.idColumn,
      columns: header.columns.map(({ column, finding }) => ({ column, finding })),
      unknownFindings: header.unknownFindings,
      ignoredColumns: header.ignoredColumns,
      rows: this.#rows,
      errors: this.#errors,
      duplicates: this.#duplicates,
    }
  }

  readonly #onRecord = (fields: string[], line: number): void => {
    if (this.#header === undefined) {
      this.#header = this.#readHeader(fields)
      return
    }
    if (fields.length === 1 && fields[0]!.trim() === '') return
    this.#sawData = true
    this.#readRow(this.#header, fields, line)
  }

  #readHeader(fields: string[]): Header {
    const names = fields.map((f) => f.trim())
    if (names.length === 1 && names[0] === '')
      throw new InputFormatError(this.file, 'the file is empty')
    const idIndex = this.#findIdColumn(names)
    let found = this.#scoreColumns(names, idIndex, this.#prefix)
    // no `prob_` column and no --prefix: columns named after the findings themselves [DS4]
    if (found.columns.length === 0 && this.#prefixDefaulted)
      found = this.#scoreColumns(names, idIndex, '')
    const { columns, unknownFindings, ignoredColumns } = found
    if (columns.length === 0) {
      const unknown =
        unknownFindings.length > 0 ? `; unknown findings: ${unknownFindings.join(', ')}` : ''
      throw new InputFormatError(
        this.file,
        `no score column "${this.#prefix}<finding>" names a finding of the dataset (header: ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', ...' : ''})${unknown}; set the prefix with --prefix`,
      )
    }
    // a trailing comma on every line (an empty last header cell) is not a column
    const width = names[names.length - 1] === '' ? names.length - 1 : names.length
    return { idIndex, idColumn: names[idIndex]!, width, columns, unknownFindings, ignoredColumns }
  }

  #scoreColumns(names: readonly string[], idIndex: number, prefix: string) {
    const columns: (PredictionColumn & { index: number })[] = []
    const unknownFindings: string[] = []
    const ignoredColumns: string[] = []
    const byFinding = new Map<string, string>()
    names.forEach((name, index) => {
      if (index === idIndex) return
      if (prefix === '' && name === '') return
      if (!name.startsWith(prefix) || name.length === prefix.length) {
        if (name !== '' || index !== names.length - 1) ignoredColumns.push(name)
        return
      }
      const finding = this.#names.resolve(name.slice(prefix.length))
      if (finding === undefined) {
        // without a prefix, a column that names no finding is just another column
        if (prefix === '') ignoredColumns.push(name)
        else unknownFindings.push(name)
        return
      }
      const other = byFinding.get(finding)
      if (other !== undefined) {
        throw new InputFormatError(
          this.file,
          `the columns "${other}" and "${name}" both give scores for ${finding}`,
        )
      }
      byFinding.set(finding, name)
      columns.push({ column: name, finding, index })
    })
    return { columns, unknownFindings, ignoredColumns }
  }

  #findIdColumn(names: readonly string[]): number {
    if (this.#idColumnWanted !== undefined) {
      const index = names.indexOf(this.#idColumnWanted.trim())
      if (index < 0) {
        throw new InputFormatError(
          this.file,
          `no column "${this.#idColumnWanted}" (header: ${names.join(', ')})`,
        )
      }
      return index
    }
    for (const candidate of DEFAULT_ID_COLUMNS) {
      const index = names.indexOf(candidate)
      if (index >= 0) return index
    }
    throw new InputFormatError(
      this.file,
      `no image id column (looked for ${DEFAULT_ID_COLUMNS.map((c) => `"${c}"`).join(' or ')}); name it with --id-column`,
    )
  }

  #readRow(header: Header, fields: string[], line: number): void {
    if (fields.length > header.width && fields.slice(header.width).every((f) => f.trim() === '')) {
      fields.length = header.width
    }
    if (fields.length !== header.width) {
      this.#error(line, null, `expected ${header.width} fields, found ${fields.length}`)
      return
    }
    const image = fields[header.idIndex]!.trim()
    if (image === '') {
      this.#error(line, header.idColumn, 'the image id is empty')
      return
    }
    const scores = new Float64Array(header.columns.length)
    let bad = false
    header.columns.forEach((c, k) => {
      const raw = fields[c.index]!.trim()
      const value = NUMBER.test(raw) ? Number(raw) : NaN
      if (!Number.isFinite(value)) {
        const what = raw === '' ? 'the score is empty' : `"${raw}" is not a finite number`
        this.#error(line, c.column, what)
        bad = true
        return
      }
      scores[k] = value
    })
    if (bad) return
    const first = this.#firstLine.get(image)
    if (first !== undefined) {
      this.#duplicates.push({ image, line, firstLine: first })
      return
    }
    this.#firstLine.set(image, line)
    this.#rows.push({ image, line, scores })
  }

  #error(line: number, column: string | null, message: string): void {
    this.#errors.push({ file: this.file, line, column, message })
  }
}

interface Header {
  readonly idIndex: number
  readonly idColumn: string
  readonly width: number
  readonly columns: readonly (PredictionColumn & { readonly index: number })[]
  readonly unknownFindings: string[]
  readonly ignoredColumns: string[]
}

/** Parses a whole prediction CSV held in memory (small files and tests). */
export function parsePredictionsCsv(
  file: string,
  text: string,
  options: PredictionsParseOptions,
): PredictionsParseResult {
  const parser = new PredictionsCsvParser(file, options)
  parser.push(text)
  return parser.end()
}
