import { CsvSplitter, type CsvRecord } from '../csv.ts'
import { findingKey } from '../findings.ts'
import { InputFormatError, type BoxRecord, type ImageRecord, type RowError } from '../records.ts'

/** RSNA Pneumonia Detection's finding: `Target` 1 is a box of lung opacity. */
export const RSNA_FINDING = 'Lung Opacity'

export interface RsnaTable {
  /** One film per patientId (the challenge has one film per patient), first-row order. */
  readonly records: ImageRecord[]
  readonly boxes: BoxRecord[]
  readonly errors: RowError[]
  /** Repeated identical rows (a box listed twice), kept once, as `patientId (line N)`. */
  readonly duplicates: string[]
  /** patientId -> class from `--class-info`, when given. */
  readonly classes: Map<string, string> | null
}

const COLUMNS = ['patientid', 'x', 'y', 'width', 'height', 'target']

/**
 * Reads RSNA's `stage_2_train_labels.csv` [DS7]: one row per box (`Target` 1, x/y/width/height
 * given) or one row without a box (`Target` 0, blank coordinates) per film. A film is positive
 * for Lung Opacity when it has a box, and a stated negative (0) otherwise. A row whose Target
 * and box disagree, a bad number, or a film with both kinds of row is an error with line and
 * column.
 */
export function parseRsnaLabels(file: string, text: string): RsnaTable {
  const splitter = new CsvSplitter()
  let at: number[] | null = null
  const errors: RowError[] = []
  const duplicates: string[] = []
  const films = new Map<string, { target: number; line: number; boxes: string[] }>()
  const boxes: BoxRecord[] = []
  const onRecord = (r: CsvRecord): void => {
    if (at === null) {
      const keys = Array.from({ length: r.length }, (_, i) => findingKey(r.trimmed(i)))
      at = COLUMNS.map((c) => keys.indexOf(c))
      const missing = COLUMNS.filter((_, i) => at![i]! < 0)
      if (missing.length > 0)
        throw new InputFormatError(
          file,
          `not RSNA's train labels: no column ${missing.join(', ')} (expected patientId,x,y,width,height,Target)`,
        )
      return
    }
    if (r.length === 1 && r.isBlank(0)) return
    const line = r.line
    const error = (column: string | null, message: string): void => {
      errors.push({ file, line, column, message })
    }
    const [id, x, y, w, h, t] = at as [number, number, number, number, number, number]
    const patient = r.trimmed(id)
    if (patient === '') return error('patientId', 'the patientId is empty')
    const target = r.trimmed(t)
    if (target !== '0' && target !== '1')
      return error('Target', `"${target}" is not a Target (0 or 1)`)
    const coords = [x, y, w, h]
    const blank = coords.map((c) => r.isBlank(c))
    if (target === '0' && blank.some((b) => !b))
      return error('x', 'a Target 0 row has a box (x, y, width, height must be blank)')
    if (target === '1' && blank.some((b) => b))
      return error(
        ['x', 'y', 'width', 'height'][blank.indexOf(true)]!,
        'a Target 1 row needs x, y, width and height',
      )
    const values = coords.map((c) => r.number(c))
    if (target === '1') {
      const bad = values.findIndex((v, k) => !Number.isFinite(v) || (k >= 2 && v <= 0))
      if (bad >= 0)
        return error(
          ['x', 'y', 'width', 'height'][bad]!,
          `"${r.trimmed(coords[bad]!)}" is not a ${bad >= 2 ? 'positive ' : ''}number`,
        )
    }
    const film = films.get(patient)
    if (film !== undefined && film.target !== Number(target))
      return error(
        'Target',
        `${patient} has Target ${film.target} on line ${film.line} and ${target} here`,
      )
    const boxKey = values.join(',')
    if (film !== undefined && (target === '0' || film.boxes.includes(boxKey))) {
      duplicates.push(`${patient} (line ${line})`)
      return
    }
    if (film === undefined) films.set(patient, { target: Number(target), line, boxes: [] })
    if (target === '1') {
      films.get(patient)!.boxes.push(boxKey)
      boxes.push({
        image: patient,
        finding: RSNA_FINDING,
        x: values[0]!,
        y: values[1]!,
        w: values[2]!,
        h: values[3]!,
        line,
      })
    }
  }
  splitter.pushRecords(text, onRecord)
  splitter.endRecords(onRecord)
  if (at === null) throw new InputFormatError(file, 'the file is empty')
  const positive = new Map([[RSNA_FINDING, 1]])
  const negative = new Map([[RSNA_FINDING, 0]])
  const records: ImageRecord[] = [...films].map(([name, f]) => ({
    name,
    patient: name,
    age: null,
    sex: '',
    view: '',
    followUp: null,
    width: null,
    height: null,
    spacingX: null,
    spacingY: null,
    labels: f.target === 1 ? positive : negative,
    rawLabels: f.target === 1 ? [RSNA_FINDING] : [],
    line: f.line,
  }))
  return { records, boxes, errors, duplicates, classes: null }
}

/**
 * Reads `stage_2_detailed_class_info.csv` (`patientId,class`): `Lung Opacity`,
 * `No Lung Opacity / Not Normal` or `Normal` per film (repeated per box) [DS7].
 */
export function parseRsnaClassInfo(
  file: string,
  text: string,
): { classes: Map<string, string>; errors: RowError[] } {
  const splitter = new CsvSplitter()
  let at: [number, number] | null = null
  const classes = new Map<string, string>()
  const errors: RowError[] = []
  const onRecord = (r: CsvRecord): void => {
    if (at === null) {
      const keys = Array.from({ length: r.length }, (_, i) => findingKey(r.trimmed(i)))
      at = [keys.indexOf('patientid'), keys.indexOf('class')]
      if (at[0] < 0 || at[1] < 0)
        throw new InputFormatError(file, 'not RSNA class info: expected patientId,class')
      return
    }
    if (r.length === 1 && r.isBlank(0)) return
    const patient = r.trimmed(at[0])
    const cls = r.trimmed(at[1])
    const before = classes.get(patient)
    if (cls === '') errors.push({ file, line: r.line, column: 'class', message: 'empty class' })
    else if (before !== undefined && before !== cls)
      errors.push({
        file,
        line: r.line,
        column: 'class',
        message: `${patient} is "${before}" above and "${cls}" here`,
      })
    else classes.set(patient, cls)
  }
  splitter.pushRecords(text, onRecord)
  splitter.endRecords(onRecord)
  if (at === null) throw new InputFormatError(file, 'the file is empty')
  return { classes, errors }
}
