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
  const names = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '')
  if (names.length === 0) throw new InputFormatError(file, 'the split list is empty')
  const bad = names.findIndex((s) => s.includes(','))
  if (bad >= 0) {
    throw new InputFormatError(
      file,
      `line ${bad + 1}: a split list has one image name per line, found "${names[bad]!.slice(0, 60)}"`,
    )
  }
  return names
}
