import { parseCsv } from '../csv.ts'
import { FindingNames } from '../findings.ts'
import { InputFormatError, type RowError } from '../records.ts'
import { readLong } from './label-table-long.ts'
import { ReadCollector, isBlank, rowKey, type Ctx } from './label-table-rows.ts'
import type { Verdict } from '../verdict.ts'
import { VERDICT_SPELLINGS, parseVerdict } from './verdict-values.ts'

/** `--map 'Source column=Finding'`, or `Column=not:Finding` (the column says the opposite). */
export interface ColumnMap {
  readonly column: string
  readonly finding: string
  /** `not:`: YES in the column means the finding is absent, NO present [L22]. */
  readonly negated?: boolean
}

/**
 * Parses `Source column=Finding` (split at the last `=`), `not:` before the finding negating the
 * column (Google's `Abnormal=not:No Finding`); undefined when either side is empty.
 */
export function parseColumnMap(text: string): ColumnMap | undefined {
  const at = text.lastIndexOf('=')
  if (at < 0) return undefined
  const column = text.slice(0, at).trim()
  let finding = text.slice(at + 1).trim()
  const negated = /^not\s*:/i.test(finding)
  if (negated) finding = finding.replace(/^not\s*:/i, '').trim()
  if (column === '' || finding === '') return undefined
  return negated ? { column, finding, negated } : { column, finding }
}

/** A verdict read through a `not:` column: present and absent swap, uncertain stays [L22]. */
export const negateVerdict = (v: Verdict): Verdict =>
  v === 'present' ? 'absent' : v === 'absent' ? 'present' : v

export interface LabelTableOptions {
  /** The file name, for messages. */
  readonly file: string
  /** The dataset's findings, labelled and derived (canonical names). */
  readonly findings: readonly string[]
  readonly idColumn?: string | undefined
  readonly readerColumn?: string | undefined
  readonly map?: readonly ColumnMap[] | undefined
}

/** One verdict read from the file. */
export interface LabelRead {
  readonly image: string
  /** The reader column's value; null without a reader column. */
  readonly reader: string | null
  readonly finding: string
  readonly verdict: Verdict
  readonly line: number
  /** The time written in a long file (ISO 8601), else null. */
  readonly time: string | null
}

/** Tags of one image by one reader, from a long file's `Tags` column. */
export interface LabelTags {
  readonly image: string
  readonly reader: string | null
  readonly tags: readonly string[]
}

export interface LabelTable {
  /** `wide`: one column per finding; `long`: one row per image, finding (and reader). */
  readonly format: 'wide' | 'long'
  readonly idColumn: string
  readonly readerColumn: string | null
  /** Source column (wide) or finding value (long) -> the dataset's finding. */
  readonly mapped: Record<string, string>
  /** Every column read for nothing: neither the id, the reader nor a mapped finding. */
  readonly ignoredColumns: string[]
  /** Columns (wide) or finding values (long) that hold verdicts but match no finding. */
  readonly unmatchedColumns: string[]
  readonly reads: LabelRead[]
  readonly tags: LabelTags[]
  /** Data rows in the file. */
  readonly rows: number
  readonly errors: RowError[]
}

/** Header names compared ignoring case, spaces, underscores and hyphens. */
const headerKey = (s: string): string => s.toLowerCase().replace(/[\s_-]+/g, '')
// SOPInstanceUID: the item names of a DICOM dataset [D7]; Path and Study: CheXpert's [DS3]
const ID_COLUMNS = ['imageindex', 'imageid', 'image', 'sopinstanceuid', 'path', 'study']

/**
 * Reads an expert-label CSV [L1]. Wide files have an image-id column (`Image Index` or
 * `Image ID` unless given) and one column per finding, matched to the dataset's findings by name
 * (case, space, underscore, hyphen and `/` ignored, plus the known aliases) or by `--map`; long
 * files (a `Finding` and a `Verdict` column, as `export labels --format long` writes) have one
 * row per image and finding. Header problems throw InputFormatError; bad cells become row errors
 * with line and column; nothing here decides whether to import.
 */
export function parseLabelTable(text: string, o: LabelTableOptions): LabelTable {
  const records = parseCsv(text)
  const head = records[0]
  if (head === undefined || (head.fields.length === 1 && head.fields[0]!.trim() === '')) {
    throw new InputFormatError(o.file, 'the file is empty')
  }
  const header = head.fields.map((f) => f.trim())
  if (header.length > 1 && header[header.length - 1] === '') header.pop()
  const find = (name: string): number => {
    const exact = header.indexOf(name)
    return exact >= 0 ? exact : header.findIndex((h) => headerKey(h) === headerKey(name))
  }
  const shown = header.map((h) => `"${h}"`).join(', ')
  let id: number
  if (o.idColumn !== undefined) {
    id = find(o.idColumn)
    if (id < 0) throw new InputFormatError(o.file, `no column "${o.idColumn}" (found: ${shown})`)
  } else {
    id = header.findIndex((h) => ID_COLUMNS.includes(headerKey(h)))
    if (id < 0) {
      throw new InputFormatError(
        o.file,
        `cannot find the image-id column ("Image Index", "Image ID", "SOPInstanceUID", "Path" or "Study"); name it with --id-column (found: ${shown})`,
      )
    }
  }
  let reader = -1
  if (o.readerColumn !== undefined) {
    reader = find(o.readerColumn)
    if (reader < 0) {
      throw new InputFormatError(o.file, `no reader column "${o.readerColumn}" (found: ${shown})`)
    }
  }
  const names = new FindingNames(o.findings)
  const resolveMapped = (m: ColumnMap): string => {
    const finding = names.resolve(m.finding)
    if (finding === undefined) {
      throw new InputFormatError(
        o.file,
        `--map '${m.column}=${m.finding}': the dataset has no finding "${m.finding}" (it has: ${o.findings.join(', ')})`,
      )
    }
    return finding
  }
  const ctx: Ctx = { o, header, records, id, reader, names, find, resolveMapped }
  const finding = find('Finding')
  const verdict = find('Verdict')
  return finding >= 0 && verdict >= 0 && finding !== id && verdict !== id
    ? readLong(ctx, finding, verdict)
    : readWide(ctx)
}

function readWide(c: Ctx): LabelTable {
  const { o, header } = c
  const mapped = new Map<number, string>()
  const negated = new Set<number>()
  const byFinding = new Map<string, number>()
  for (const m of o.map ?? []) {
    const col = c.find(m.column)
    if (col < 0) {
      throw new InputFormatError(
        o.file,
        `--map '${m.column}=${m.finding}': no column "${m.column}" (found: ${header.map((h) => `"${h}"`).join(', ')})`,
      )
    }
    const finding = c.resolveMapped(m)
    const other = byFinding.get(finding)
    if (other !== undefined && other !== col) {
      throw new InputFormatError(
        o.file,
        `--map gives ${finding} two columns ("${header[other]}" and "${header[col]}")`,
      )
    }
    mapped.set(col, finding)
    if (m.negated === true) negated.add(col)
    else negated.delete(col)
    byFinding.set(finding, col)
  }
  const explicit = new Set(byFinding.keys())
  header.forEach((h, col) => {
    if (col === c.id || col === c.reader || mapped.has(col)) return
    const finding = c.names.resolve(h)
    if (finding === undefined || explicit.has(finding)) return
    const other = byFinding.get(finding)
    if (other !== undefined) {
      throw new InputFormatError(
        o.file,
        `columns "${header[other]}" and "${h}" both match the finding ${finding}: say which with --map '${h}=${finding}'`,
      )
    }
    mapped.set(col, finding)
    byFinding.set(finding, col)
  })
  const other = header.map((_, col) => col).filter((col) => col !== c.id && col !== c.reader)
  const ignored = other.filter((col) => !mapped.has(col))
  // an ignored column is "unmatched" when every filled cell is a verdict
  const verdictLike = new Map(ignored.map((col) => [col, { filled: 0, ok: true }]))
  const mappedCols = [...mapped.entries()]
  const out = new ReadCollector(o.file)
  let rows = 0
  for (const { fields, line } of c.records.slice(1)) {
    if (isBlank(fields)) continue
    rows++
    const key = rowKey(c, out, fields, line)
    if (key === null) continue
    for (const [col, finding] of mappedCols) {
      const raw = fields[col]!
      const verdict = parseVerdict(raw)
      if (verdict === undefined) {
        out.error(
          line,
          header[col]!,
          `"${raw.trim()}" is not a verdict (expected ${VERDICT_SPELLINGS})`,
        )
      } else if (verdict !== null) {
        const v = negated.has(col) ? negateVerdict(verdict) : verdict
        out.add({ ...key, finding, verdict: v, line, time: null }, header[col]!)
      }
    }
    for (const [col, v] of verdictLike) {
      const raw = fields[col]!
      if (raw.trim() === '') continue
      v.filled++
      if (v.ok && parseVerdict(raw) === undefined) v.ok = false
    }
  }
  return {
    format: 'wide',
    idColumn: header[c.id]!,
    readerColumn: c.reader >= 0 ? header[c.reader]! : null,
    mapped: Object.fromEntries(
      mappedCols.map(([col, f]) => [header[col]!, negated.has(col) ? `not:${f}` : f]),
    ),
    ignoredColumns: ignored.map((col) => header[col]!),
    unmatchedColumns: [...verdictLike]
      .filter(([, v]) => v.ok && v.filled > 0)
      .map(([col]) => header[col]!),
    reads: out.reads,
    tags: [],
    rows,
    errors: out.errors,
  }
}
