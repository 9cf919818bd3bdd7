import { parseColumnMap, parseValueMap, type ColumnMap, type ValueMap } from '@cxr-audit/core'
import { importTable, type TableImportSummary } from '@cxr-audit/ingest'
import type { Context } from '../context.ts'
import { UsageError } from '../errors.ts'
import { itemsSummary } from './items-summary.ts'

export interface ImportTableOptions {
  file: string
  idColumn: string
  patientColumn?: string
  viewColumn?: string
  studyColumn?: string
  splitColumn?: string
  sexColumn?: string
  ageColumn?: string
  map?: string[]
  value?: string[]
  images?: string[]
  name?: string
  skipBadRows?: boolean
}

/** `cxr-audit import table` [DS11]. */
export async function importTableCommand(
  ctx: Context,
  o: ImportTableOptions,
): Promise<TableImportSummary> {
  const map = (o.map ?? []).map((text): ColumnMap => {
    const m = parseColumnMap(text)
    if (m === undefined) throw new UsageError(`--map '${text}': expected 'Column=Finding'`)
    return m
  })
  const values = (o.value ?? []).map((text): ValueMap => {
    const v = parseValueMap(text)
    if (v === undefined)
      throw new UsageError(
        `--value '${text}': expected 'Text=present', '=absent', '=uncertain' or '=blank'`,
      )
    return v
  })
  const store = await ctx.store()
  const s = await importTable(store, {
    file: o.file,
    idColumn: o.idColumn,
    patientColumn: o.patientColumn,
    viewColumn: o.viewColumn,
    studyColumn: o.studyColumn,
    splitColumn: o.splitColumn,
    sexColumn: o.sexColumn,
    ageColumn: o.ageColumn,
    map,
    values,
    images: o.images,
    name: o.name,
    skipBadRows: o.skipBadRows,
  })
  ctx.say(itemsSummary(s))
  return s
}
