import type { RowError } from '../records.ts'
import { eachRow } from './header-table.ts'

/** One row of PadChest's CSV: a film and the labels one method gave it. */
export interface PadchestRow {
  readonly image: string
  /** `ImageDir`: the numbered folder of the image in the published archive. */
  readonly folder: string
  readonly patient: string
  readonly study: string
  readonly sex: string
  readonly age: number | null
  /** `Projection` as written (PA, AP, AP_horizontal, COSTAL, ...), `L` as LATERAL. */
  readonly view: string
  readonly width: number | null
  readonly height: number | null
  /** `Physician` or the RNN's method name, as written. */
  readonly method: string
  /** The labels, trimmed, without repeats (e.g. `pleural effusion`, `normal`). */
  readonly labels: readonly string[]
  readonly line: number
}

export interface PadchestTable {
  readonly rows: PadchestRow[]
  readonly errors: RowError[]
  /** Rows of an image already labelled by the same method (the first is kept). */
  readonly duplicates: string[]
  /** Rows without labels (the report was not labelled), skipped, as `ImageID (line N)`. */
  readonly unlabelled: string[]
}

const REQUIRED = ['ImageID', 'PatientID', 'StudyID', 'MethodLabel', 'Labels']

/**
 * A Python list of strings as PadChest writes it (`['pleural effusion', 'normal']`, `[]`):
 * the items, or undefined when the text is not such a list.
 */
export function parsePythonList(text: string): string[] | undefined {
  const t = text.trim()
  if (!t.startsWith('[') || !t.endsWith(']')) return undefined
  const items: string[] = []
  const body = t.slice(1, -1)
  const item = /\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*(,|$)/y
  let at = 0
  while (at < body.length) {
    item.lastIndex = at
    const m = item.exec(body)
    if (m === null) return body.slice(at).trim() === '' ? items : undefined
    items.push((m[1] ?? m[2]!).replace(/\\(.)/g, '$1'))
    at = item.lastIndex
    if (m[3] === '' && at < body.length) return undefined
  }
  return items
}

/**
 * Reads PadChest's CSV [DS9]: an unnamed first index column, then `ImageID`, `ImageDir`,
 * `StudyDate_DICOM`, `StudyID`, `PatientID`, `PatientBirth`, `PatientSex_DICOM`, `Projection`,
 * ... `MethodLabel`, `Labels` (a Python-list string). The age is the study year less the birth
 * year. A film may have one row per method (physician and RNN); the same film and method again
 * is a duplicate.
 */
export function parsePadchest(file: string, text: string): PadchestTable {
  const errors: RowError[] = []
  const rows: PadchestRow[] = []
  const duplicates: string[] = []
  const unlabelled: string[] = []
  const seen = new Set<string>()
  eachRow(
    file,
    text,
    "PadChest's label file",
    REQUIRED,
    (r, h, error) => {
      const cell = (c: string): string => r.trimmed(h.at(c))
      const image = cell('ImageID')
      if (image === '') return error('ImageID', 'the ImageID is empty')
      const method = cell('MethodLabel')
      if (method === '') return error('MethodLabel', 'the MethodLabel is empty')
      const raw = cell('Labels')
      if (raw === '' || raw.toLowerCase() === 'nan') {
        unlabelled.push(`${image} (line ${r.line})`)
        return
      }
      const list = parsePythonList(raw)
      if (list === undefined)
        return error('Labels', `"${raw.slice(0, 60)}" is not a list of labels (['a', 'b'])`)
      const numbers: (number | null)[] = []
      for (const c of ['PatientBirth', 'StudyDate_DICOM', 'Columns_DICOM', 'Rows_DICOM']) {
        const at = h.at(c)
        const t = at < 0 ? '' : r.trimmed(at)
        const v = t === '' || t === 'None' || t.toLowerCase() === 'nan' ? null : Number(t)
        if (v !== null && !Number.isFinite(v)) return error(c, `"${t}" is not a number`)
        numbers.push(v)
      }
      const [birth, date, width, height] = numbers as [
        number | null,
        number | null,
        number | null,
        number | null,
      ]
      const key = `${image}\n${method}`
      if (seen.has(key)) {
        duplicates.push(`${image} (${method}, line ${r.line})`)
        return
      }
      seen.add(key)
      const projection = h.at('Projection') < 0 ? '' : cell('Projection')
      rows.push({
        image,
        folder: h.at('ImageDir') < 0 ? '' : cell('ImageDir'),
        patient: cell('PatientID'),
        study: cell('StudyID'),
        sex: h.at('PatientSex_DICOM') < 0 ? '' : cell('PatientSex_DICOM'),
        age: birth !== null && date !== null ? Math.floor(date / 10000) - Math.floor(birth) : null,
        view: projection === 'L' ? 'LATERAL' : projection,
        width,
        height,
        method,
        labels: [...new Set(list.map((l) => l.trim()).filter((l) => l !== ''))],
        line: r.line,
      })
    },
    errors,
  )
  return { rows, errors, duplicates, unlabelled }
}
