import type { RowError } from '../records.ts'
import { eachRow } from './header-table.ts'

/** VinDr-CXR's box classes, by `class_id` (0-14), as its annotation files write them. */
export const VINDR_BOX_CLASSES = [
  'Aortic enlargement',
  'Atelectasis',
  'Calcification',
  'Cardiomegaly',
  'Consolidation',
  'ILD',
  'Infiltration',
  'Lung Opacity',
  'Nodule/Mass',
  'Other lesion',
  'Pleural effusion',
  'Pleural thickening',
  'Pneumothorax',
  'Pulmonary fibrosis',
  'No finding',
] as const

/** The film-level labels of VinDr-CXR 1.0.0 beyond the box classes (its label tables). */
const VINDR_IMAGE_LABELS = [
  'Clavicle fracture',
  'Edema',
  'Emphysema',
  'Enlarged PA',
  'Lung cavity',
  'Lung cyst',
  'Mediastinal shift',
  'Rib fracture',
  'COPD',
  'Lung tumor',
  'Pneumonia',
  'Tuberculosis',
  'Other disease',
  'Other diseases',
]
export const VINDR_NO_FINDING = 'No finding'
const KNOWN: ReadonlySet<string> = new Set([...VINDR_BOX_CLASSES, ...VINDR_IMAGE_LABELS])

/** One radiologist's box on a film, in pixels of the original image. */
export interface VindrBox {
  readonly image: string
  readonly reader: string
  readonly finding: string
  readonly x: number
  readonly y: number
  readonly w: number
  readonly h: number
  readonly line: number
}

/** A film and what each radiologist who read it found there (the classes they gave). */
export interface VindrFilm {
  readonly image: string
  readonly line: number
  /** rad_id -> the classes they marked (a reader with `No finding` marked that). */
  readonly reads: Map<string, Set<string>>
}

export interface VindrTable {
  /** `boxes` (one row per box per radiologist) or `labels` (one 0/1 row per film and reader). */
  readonly layout: 'boxes' | 'labels'
  /** The classes of the file: VinDr's box classes in class_id order, then any others. */
  readonly findings: string[]
  readonly films: VindrFilm[]
  readonly boxes: VindrBox[]
  readonly errors: RowError[]
  /** Repeated identical rows, kept once, as `image_id (line N)`. */
  readonly duplicates: string[]
  /** Classes that are not VinDr-CXR's (imported, listed). */
  readonly unknownClasses: string[]
  /** A reader with `No finding` and a finding on the same film, as `image_id (rad_id)`. */
  readonly contradictions: string[]
}

const BOX = ['x_min', 'y_min', 'x_max', 'y_max']

/**
 * Reads VinDr-CXR's annotations [DS10]: `image_id,class_name,class_id,rad_id,x_min,y_min,x_max,
 * y_max`, one row per box per radiologist (a `No finding` row has no box), or the film-level
 * table `image_id,rad_id,` then one 0/1 column per finding. A class row without a complete box,
 * a `No finding` row with one, a bad number, or a class_id that changes for a class is an error
 * with line and column.
 */
export function parseVindr(file: string, text: string): VindrTable {
  const errors: RowError[] = []
  const duplicates: string[] = []
  const films = new Map<string, VindrFilm>()
  const boxes: VindrBox[] = []
  const classIds = new Map<string, string>()
  const rows = new Set<string>()
  let layout = 'boxes' as 'boxes' | 'labels'
  let decided = false
  let columns: { column: number; finding: string }[] = []
  const filmOf = (image: string, line: number): VindrFilm => {
    let f = films.get(image)
    if (f === undefined) films.set(image, (f = { image, line, reads: new Map() }))
    return f
  }
  eachRow(
    file,
    text,
    "VinDr-CXR's annotations",
    ['image_id', 'rad_id'],
    (r, h, error) => {
      if (!decided && h.at('class_name') < 0) {
        layout = 'labels'
        columns = h.names
          .map((finding, column) => ({ finding, column }))
          .filter(
            (c) => c.column !== h.at('image_id') && c.column !== h.at('rad_id') && c.finding !== '',
          )
      }
      decided = true
      const image = r.trimmed(h.at('image_id'))
      const reader = r.trimmed(h.at('rad_id'))
      if (image === '') return error('image_id', 'the image_id is empty')
      if (reader === '') return error('rad_id', 'the rad_id is empty')
      const key = r
        .fields()
        .map((c) => c.trim())
        .join(',')
      if (rows.has(key)) {
        duplicates.push(`${image} (line ${r.line})`)
        return
      }
      rows.add(key)
      if (layout === 'labels') {
        const found = new Set<string>()
        for (const c of columns) {
          const v = r.trimmed(c.column)
          if (v === '1' || v === '1.0') found.add(c.finding)
          else if (v !== '0' && v !== '0.0')
            return error(c.finding, `"${v}" is not a label (0 or 1)`)
        }
        const film = filmOf(image, r.line)
        if (film.reads.has(reader))
          return error('rad_id', `${reader} has another row for ${image} above`)
        film.reads.set(reader, found)
        return
      }
      const cls = r.trimmed(h.at('class_name'))
      if (cls === '') return error('class_name', 'the class_name is empty')
      const id = h.at('class_id') < 0 ? '' : r.trimmed(h.at('class_id'))
      const before = classIds.get(cls)
      if (before !== undefined && before !== id)
        return error('class_id', `"${cls}" is class_id ${before} above and ${id} here`)
      const at = BOX.map((c) => h.at(c))
      const blank = at.map((c) => c < 0 || r.isBlank(c))
      let box: number[] | null = null
      if (cls === VINDR_NO_FINDING) {
        if (blank.some((b) => !b)) return error('x_min', 'a No finding row has a box')
      } else {
        const missing = blank.indexOf(true)
        if (missing >= 0)
          return error(BOX[missing]!, `a ${cls} row needs x_min, y_min, x_max and y_max`)
        box = at.map((c) => r.number(c))
        const bad = box.findIndex((v) => !Number.isFinite(v))
        if (bad >= 0) return error(BOX[bad]!, `"${r.trimmed(at[bad]!)}" is not a number`)
        if (box[2]! <= box[0]!) return error('x_max', 'x_max is not right of x_min')
        if (box[3]! <= box[1]!) return error('y_max', 'y_max is not below y_min')
      }
      classIds.set(cls, id)
      const film = filmOf(image, r.line)
      let read = film.reads.get(reader)
      if (read === undefined) film.reads.set(reader, (read = new Set()))
      read.add(cls)
      if (box !== null)
        boxes.push({
          image,
          reader,
          finding: cls,
          x: box[0]!,
          y: box[1]!,
          w: box[2]! - box[0]!,
          h: box[3]! - box[1]!,
          line: r.line,
        })
    },
    errors,
  )
  const seen = layout === 'labels' ? columns.map((c) => c.finding) : [...classIds.keys()]
  const order = new Map<string, number>(VINDR_BOX_CLASSES.map((c, i) => [c, i]))
  const findings =
    layout === 'labels'
      ? seen
      : [...seen].sort(
          (a, b) => (order.get(a) ?? 99) - (order.get(b) ?? 99) || (a < b ? -1 : a > b ? 1 : 0),
        )
  const contradictions: string[] = []
  for (const f of films.values())
    for (const [reader, classes] of f.reads)
      if (classes.has(VINDR_NO_FINDING) && classes.size > 1)
        contradictions.push(`${f.image} (${reader})`)
  return {
    layout,
    findings,
    films: [...films.values()],
    boxes,
    errors,
    duplicates,
    unknownClasses: findings.filter((c) => !KNOWN.has(c)),
    contradictions,
  }
}
