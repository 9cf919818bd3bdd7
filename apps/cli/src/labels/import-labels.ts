import { parseColumnMap, type ColumnMap } from '@cxr-audit/core'
import { importLabels, type LabelImportSummary } from '@cxr-audit/ingest'
import type { Context } from '../context.ts'
import { UsageError } from '../errors.ts'

export interface ImportLabelsOptions {
  file: string
  reader: string
  readerColumn?: string
  idColumn?: string
  map?: string[]
  append?: boolean
  dataset?: string
  skipBadRows?: boolean
}

/** `cxr-audit import labels` [L1]. */
export async function importLabelsCommand(
  ctx: Context,
  o: ImportLabelsOptions,
): Promise<LabelImportSummary> {
  const map: ColumnMap[] = (o.map ?? []).map((m) => {
    const parsed = parseColumnMap(m)
    if (parsed === undefined)
      throw new UsageError(
        `--map '${m}': expected 'Source column=Finding', e.g. --map 'Nodule or mass=Nodule/Mass'`,
      )
    return parsed
  })
  const store = await ctx.store()
  const s = await importLabels(store, {
    file: o.file,
    reader: o.reader,
    readerColumn: o.readerColumn,
    idColumn: o.idColumn,
    map,
    append: o.append,
    dataset: o.dataset,
    skipBadRows: o.skipBadRows,
  })
  const shown = (xs: readonly string[], n = 8): string =>
    xs.length <= n ? xs.join(', ') : `${xs.slice(0, n).join(', ')}, ... (${xs.length} in all)`
  const lines = [
    `Imported ${s.verdicts} verdicts on ${s.images} images of "${s.dataset}" as ${s.readers.length === 1 ? `reader ${s.readers[0]}` : `${s.readers.length} readers (${shown(s.readers, 4)})`} (${s.newVerdicts} new).`,
    `Columns: ${Object.entries(s.mapped)
      .map(([c, f]) => (c === f ? c : `${c} -> ${f}`))
      .join(', ')}.`,
  ]
  if (s.unmatchedColumns.length > 0)
    lines.push(`No finding of the dataset matches ${shown(s.unmatchedColumns)}: not imported.`)
  const other = s.ignoredColumns.filter((c) => !s.unmatchedColumns.includes(c))
  if (other.length > 0) lines.push(`Ignored columns: ${shown(other)}.`)
  if (s.unknownImages > 0)
    lines.push(
      `${s.unknownImages} images are not in the dataset (not imported): ${shown(s.unknownImageNames, 5)}.`,
    )
  if (s.skippedRows > 0) lines.push(`${s.skippedRows} malformed rows skipped.`)
  lines.push(
    `Next: cxr-audit stats labels --reader ${s.readers.length === 1 ? s.readers[0] : `consensus:${o.reader.trim()}:*`}`,
  )
  ctx.say(lines.join('\n'))
  return s
}
