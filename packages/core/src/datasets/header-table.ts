import { CsvSplitter, type CsvRecord } from '../csv.ts'
import { findingKey } from '../findings.ts'
import { InputFormatError, type RowError } from '../records.ts'

/** A CSV file's header, its columns found by key (findingKey: case, spaces, `_`, `-` ignored). */
export interface Header {
  readonly names: readonly string[]
  /** The column of a key, or -1. */
  at(key: string): number
}

/**
 * Reads a CSV with a header row, calling `onRow` for every non-blank row; the header must hold
 * each of `required` (names as published, matched by key), else the file is not `what`. Rows are
 * read as they come: the caller collects records, row errors and duplicates; `onHeader` sees the
 * header first (and may refuse it by throwing).
 */
export function eachRow(
  file: string,
  text: string,
  what: string,
  required: readonly string[],
  onRow: (r: CsvRecord, h: Header, error: (column: string | null, message: string) => void) => void,
  errors: RowError[],
  onHeader?: (h: Header) => void,
): Header {
  const splitter = new CsvSplitter()
  let header: Header | null = null
  const onRecord = (r: CsvRecord): void => {
    if (header === null) {
      const names = Array.from({ length: r.length }, (_, i) => r.trimmed(i))
      const keys = names.map((n) => findingKey(n))
      const missing = required.filter((c) => !keys.includes(findingKey(c)))
      if (missing.length > 0)
        throw new InputFormatError(
          file,
          `not ${what}: no column ${missing.map((m) => `"${m}"`).join(', ')} (found: ${names.map((n) => `"${n}"`).join(', ')})`,
        )
      header = { names, at: (key) => keys.indexOf(findingKey(key)) }
      onHeader?.(header)
      return
    }
    if (r.length === 1 && r.isBlank(0)) return
    const line = r.line
    onRow(r, header, (column, message) => errors.push({ file, line, column, message }))
  }
  splitter.pushRecords(text, onRecord)
  splitter.endRecords(onRecord)
  if (header === null) throw new InputFormatError(file, 'the file is empty')
  return header
}

/** Whether a cell is a whole number id as the public sets write them (`10000032`). */
export const isDigits = (text: string): boolean => /^\d+$/.test(text)
