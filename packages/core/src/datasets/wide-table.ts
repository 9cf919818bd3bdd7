import { parseCsv } from '../csv.ts'
import { findingKey } from '../findings.ts'
import { negateVerdict, type ColumnMap } from '../labels/label-table.ts'
import { VERDICT_SPELLINGS, parseVerdict } from '../labels/verdict-values.ts'
import { InputFormatError, type ImageRecord, type RowError } from '../records.ts'
import type { Verdict } from '../verdict.ts'

/** `--value 'X=present'`: what a cell spelled X means (`blank`: not mentioned). */
export interface ValueMap {
  readonly text: string
  readonly verdict: Verdict | 'blank'
}

const VALUE_WORDS: Readonly<Record<string, Verdict | 'blank'>> = {
  present: 'present',
  positive: 'present',
  absent: 'absent',
  negative: 'absent',
  uncertain: 'uncertain',
  blank: 'blank',
  'not mentioned': 'blank',
}

/** Parses `--value 'X=present'` (split at the last `=`); undefined when it is not one. */
export function parseValueMap(text: string): ValueMap | undefined {
  const at = text.lastIndexOf('=')
  if (at < 0) return undefined
  const verdict =
    VALUE_WORDS[
      text
        .slice(at + 1)
        .trim()
        .toLowerCase()
    ]
  return verdict === undefined ? undefined : { text: text.slice(0, at).trim(), verdict }
}

export interface WideTableOptions {
  readonly file: string
  readonly idColumn: string
  readonly patientColumn?: string | undefined
  readonly viewColumn?: string | undefined
  readonly studyColumn?: string | undefined
  readonly splitColumn?: string | undefined
  readonly sexColumn?: string | undefined
  readonly ageColumn?: string | undefined
  /** `--map 'Column=Finding'`: only these columns; without any, every other label column. */
  readonly map?: readonly ColumnMap[] | undefined
  readonly values?: readonly ValueMap[] | undefined
}

export interface WideTable {
  readonly findings: string[]
  readonly mapped: Record<string, string>
  /** Columns not read (without --map: columns holding something other than labels). */
  readonly ignoredColumns: string[]
  readonly records: (ImageRecord & { readonly split: string | null })[]
  readonly errors: RowError[]
  readonly duplicates: string[]
}

const VALUE: Record<Verdict, number> = { present: 1, absent: 0, uncertain: -1 }

/**
 * Reads any wide CSV of labels [DS11]: one row per image named by `--id-column`, optional
 * patient, view, study, split, sex and age columns, and label columns: those of `--map`, or
 * without it every other column whose cells are all labels. A cell is a label as `import
 * labels` reads one (YES/NO/HEDGE, 1/0/-1, true/false, present/absent/uncertain; blank is not
 * mentioned) or as `--value` spells it; stored 1, 0, -1 or nothing.
 */
export function parseWideTable(text: string, o: WideTableOptions): WideTable {
  const rows = parseCsv(text)
  const head = rows[0]
  if (head === undefined || (head.fields.length === 1 && head.fields[0]!.trim() === ''))
    throw new InputFormatError(o.file, 'the file is empty')
  const header = head.fields.map((f) => f.trim())
  const shown = header.map((h) => `"${h}"`).join(', ')
  const find = (name: string | undefined, option: string): number => {
    if (name === undefined) return -1
    const exact = header.indexOf(name)
    const at = exact >= 0 ? exact : header.findIndex((h) => findingKey(h) === findingKey(name))
    if (at < 0)
      throw new InputFormatError(o.file, `no column "${name}" for ${option} (found: ${shown})`)
    return at
  }
  const id = find(o.idColumn, '--id-column')
  const meta = {
    patient: find(o.patientColumn, '--patient-column'),
    view: find(o.viewColumn, '--view-column'),
    study: find(o.studyColumn, '--study-column'),
    split: find(o.splitColumn, '--split-column'),
    sex: find(o.sexColumn, '--sex-column'),
    age: find(o.ageColumn, '--age-column'),
  }
  const taken = new Set([id, ...Object.values(meta)])
  const spelled = new Map((o.values ?? []).map((v) => [v.text.toLowerCase(), v.verdict]))
  const cell = (raw: string): Verdict | 'blank' | undefined => {
    const own = spelled.get(raw.trim().toLowerCase())
    if (own !== undefined) return own
    const v = parseVerdict(raw)
    return v === null ? 'blank' : v
  }
  const body = rows.slice(1).filter((r) => !(r.fields.length === 1 && r.fields[0]!.trim() === ''))
  let columns: { column: number; finding: string; negated: boolean }[]
  const ignored: string[] = []
  if (o.map !== undefined && o.map.length > 0) {
    columns = o.map.map((m) => ({
      column: find(m.column, `--map '${m.column}=${m.finding}'`),
      finding: m.finding,
      negated: m.negated === true,
    }))
    header.forEach((h, i) => {
      if (!taken.has(i) && !columns.some((c) => c.column === i) && h !== '') ignored.push(h)
    })
  } else {
    columns = []
    header.forEach((h, i) => {
      if (taken.has(i) || h === '') return
      if (body.every((r) => cell(r.fields[i] ?? '') !== undefined))
        columns.push({ column: i, finding: h, negated: false })
      else ignored.push(h)
    })
  }
  if (columns.length === 0)
    throw new InputFormatError(
      o.file,
      `no label column (cells ${VERDICT_SPELLINGS}, or as --value spells them); name them with --map 'Column=Finding' (found: ${shown})`,
    )
  const errors: RowError[] = []
  const duplicates: string[] = []
  const records: (ImageRecord & { split: string | null })[] = []
  const seen = new Set<string>()
  const text_ = (fields: string[], at: number): string => (at < 0 ? '' : (fields[at] ?? '').trim())
  for (const r of body) {
    const error = (column: string | null, message: string): void => {
      errors.push({ file: o.file, line: r.line, column, message })
    }
    const name = text_(r.fields, id)
    if (name === '') {
      error(header[id]!, 'the id is empty')
      continue
    }
    const labels = new Map<string, number>()
    let bad = false
    for (const c of columns) {
      const raw = r.fields[c.column] ?? ''
      const v = cell(raw)
      if (v === undefined) {
        error(
          header[c.column]!,
          `"${raw.trim()}" is not a label (${VERDICT_SPELLINGS}, or --value)`,
        )
        bad = true
        break
      }
      if (v !== 'blank') labels.set(c.finding, VALUE[c.negated ? negateVerdict(v) : v])
    }
    if (bad) continue
    const ageText = text_(r.fields, meta.age)
    const age = ageText === '' ? null : Number(ageText)
    if (age !== null && !Number.isFinite(age)) {
      error(header[meta.age]!, `"${ageText}" is not an age`)
      continue
    }
    if (seen.has(name)) {
      duplicates.push(`${name} (line ${r.line})`)
      continue
    }
    seen.add(name)
    const study = text_(r.fields, meta.study)
    records.push({
      name,
      patient: text_(r.fields, meta.patient) || name,
      study: study === '' ? null : study,
      split: text_(r.fields, meta.split) || null,
      age,
      sex: text_(r.fields, meta.sex),
      view: text_(r.fields, meta.view),
      followUp: null,
      width: null,
      height: null,
      spacingX: null,
      spacingY: null,
      labels,
      rawLabels: [...labels].filter(([, v]) => v === 1).map(([f]) => f),
      line: r.line,
    })
  }
  const findings = [...new Set(columns.map((c) => c.finding))]
  return {
    findings,
    mapped: Object.fromEntries(columns.map((c) => [header[c.column]!, c.finding])),
    ignoredColumns: ignored,
    records,
    errors,
    duplicates,
  }
}
