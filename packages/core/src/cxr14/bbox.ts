import { parseCsv } from '../csv.ts'
import { InputFormatError, type BoxRecord, type RowError } from '../records.ts'

/**
 * Reads BBox_List_2017.csv: `Image Index, Finding Label, Bbox [x,y,w,h]` (the bracket splits the
 * header into four columns) and three empty trailing columns. Finding names are returned as
 * written (`Infiltrate`); the caller resolves them.
 */
export function parseBboxList(
  file: string,
  text: string,
): { records: BoxRecord[]; errors: RowError[] } {
  const rows = parseCsv(text)
  const header = rows[0]?.fields.map((f) => f.trim())
  if (header === undefined || (header.length === 1 && header[0] === '')) {
    throw new InputFormatError(file, 'the file is empty')
  }
  if (
    header[0] !== 'Image Index' ||
    header[1] !== 'Finding Label' ||
    !header[2]?.startsWith('Bbox')
  ) {
    const hint = header.includes('Finding Labels')
      ? ': this looks like the metadata (give it with --metadata)'
      : ''
    throw new InputFormatError(
      file,
      `not a ChestX-ray14 bounding-box list: expected "Image Index,Finding Label,Bbox [x,y,w,h]"${hint}`,
    )
  }
  const records: BoxRecord[] = []
  const errors: RowError[] = []
  const columns = ['Bbox x', 'Bbox y', 'Bbox w', 'Bbox h']
  for (const { fields, line } of rows.slice(1)) {
    if (fields.every((f) => f.trim() === '')) continue
    if (fields.length < 6) {
      errors.push({
        file,
        line,
        column: null,
        message: `expected at least 6 fields, found ${fields.length}`,
      })
      continue
    }
    const nums = fields.slice(2, 6).map((f) => Number(f.trim()))
    const bad = nums.findIndex((v) => !Number.isFinite(v))
    if (bad >= 0) {
      errors.push({
        file,
        line,
        column: columns[bad]!,
        message: `"${fields[2 + bad]}" is not a number`,
      })
      continue
    }
    const [x, y, w, h] = nums as [number, number, number, number]
    records.push({ image: fields[0]!.trim(), finding: fields[1]!.trim(), x, y, w, h, line })
  }
  return { records, errors }
}

/** Reads an official split list (train_val_list.txt, test_list.txt): one image name per line. */
export function parseSplitList(file: string, text: string): string[] {
  // one pass, no regular expression: the official train list has 86,524 lines
  const lines = text.split('\n')
  const names: string[] = []
  for (let i = 0; i < lines.length; i++) {
    const name = (i === 0 ? lines[0]!.replace(/^\uFEFF/, '') : lines[i]!).trim()
    if (name === '') continue
    if (name.includes(',')) {
      throw new InputFormatError(
        file,
        `line ${i + 1}: a split list has one image name per line, found "${name.slice(0, 60)}"`,
      )
    }
    names.push(name)
  }
  if (names.length === 0) throw new InputFormatError(file, 'the split list is empty')
  return names
}
