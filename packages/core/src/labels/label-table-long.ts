import { InputFormatError } from '../records.ts'
import type { LabelTable, LabelTags } from './label-table.ts'
import { ReadCollector, isBlank, rowKey, type Ctx } from './label-table-rows.ts'
import { VERDICT_SPELLINGS, parseVerdict } from './verdict-values.ts'

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/

/** A long file [L16]: one row per image and finding, with `Verdict` (and Tags, Time, Reader). */
export function readLong(c: Ctx, findingCol: number, verdictCol: number): LabelTable {
  const { o, header } = c
  const valueMap = new Map<string, string>()
  for (const m of o.map ?? []) {
    if (m.negated === true)
      throw new InputFormatError(
        o.file,
        `--map '${m.column}=not:${m.finding}': negation maps a column of a wide file; a long file names each finding`,
      )
    valueMap.set(m.column.toLowerCase(), c.resolveMapped(m))
  }
  const tagsCol = c.find('Tags')
  const timeCol = c.find('Time')
  const readerCol = c.find('Reader')
  if (c.reader < 0 && readerCol >= 0 && readerCol !== c.id) {
    const distinct = new Set(
      c.records
        .slice(1)
        .map((r) => r.fields[readerCol]?.trim() ?? '')
        .filter((s) => s !== ''),
    )
    if (distinct.size > 1) {
      throw new InputFormatError(
        o.file,
        `the file holds ${distinct.size} readers (${[...distinct].slice(0, 3).join(', ')}, ...): give --reader-column ${header[readerCol]}`,
      )
    }
  }
  const used = new Set([c.id, c.reader, findingCol, verdictCol, tagsCol, timeCol, readerCol])
  const mapped: Record<string, string> = {}
  const unmatched = new Set<string>()
  const tags = new Map<string, LabelTags>()
  const out = new ReadCollector(o.file)
  let rows = 0
  for (const { fields, line } of c.records.slice(1)) {
    if (isBlank(fields)) continue
    rows++
    const key = rowKey(c, out, fields, line)
    if (key === null) continue
    const value = fields[findingCol]!.trim()
    const finding = valueMap.get(value.toLowerCase()) ?? c.names.resolve(value)
    if (finding === undefined) {
      unmatched.add(value)
      continue
    }
    mapped[value] = finding
    const raw = fields[verdictCol]!
    const verdict = parseVerdict(raw)
    if (verdict === undefined) {
      out.error(
        line,
        header[verdictCol]!,
        `"${raw.trim()}" is not a verdict (expected ${VERDICT_SPELLINGS})`,
      )
      continue
    }
    if (tagsCol >= 0) {
      const k = `${key.image}\u0000${key.reader ?? ''}`
      const have = tags.get(k)?.tags ?? []
      const more = fields[tagsCol]!.split('|')
        .map((t) => t.trim())
        .filter((t) => t !== '' && !have.includes(t))
      tags.set(k, { ...key, tags: [...have, ...more] })
    }
    if (verdict === null) continue
    const time =
      timeCol >= 0 && ISO_TIME.test(fields[timeCol]!.trim()) ? fields[timeCol]!.trim() : null
    out.add({ ...key, finding, verdict, line, time }, header[verdictCol]!)
  }
  return {
    format: 'long',
    idColumn: header[c.id]!,
    readerColumn: c.reader >= 0 ? header[c.reader]! : null,
    mapped,
    ignoredColumns: header.filter((_, col) => !used.has(col)),
    unmatchedColumns: [...unmatched],
    reads: out.reads,
    tags: [...tags.values()].filter((t) => t.tags.length > 0),
    rows,
    errors: out.errors,
  }
}
