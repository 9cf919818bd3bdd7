import { basename, extname, resolve } from 'node:path'
import { ProblemList, parseWideTable, type ColumnMap, type ValueMap } from '@cxr-audit/core'
import { datasetItemKind, StoreError, type Store } from '@cxr-audit/store'
import type { ChexpertImportSummary } from './chexpert-import.ts'
import { BadRowsError, asFileError, listSkippedRows } from './cxr14-read.ts'
import { readText, scanImageFolders } from './files.ts'
import { summariseLabelledItems, writeLabelledItems } from './labelled-items.ts'

export interface TableImportOptions {
  readonly file: string
  readonly idColumn: string
  readonly patientColumn?: string | undefined
  readonly viewColumn?: string | undefined
  readonly studyColumn?: string | undefined
  readonly splitColumn?: string | undefined
  readonly sexColumn?: string | undefined
  readonly ageColumn?: string | undefined
  readonly map?: readonly ColumnMap[] | undefined
  readonly values?: readonly ValueMap[] | undefined
  readonly images?: readonly string[] | undefined
  /** Default: the file's name without its extensions. */
  readonly name?: string | undefined
  readonly skipBadRows?: boolean | undefined
}

/** What `cxr-audit import table --json` prints [DS11]: [DS1]'s fields, and the columns read. */
export interface TableImportSummary extends ChexpertImportSummary {
  /** Column -> finding, for each label column read. */
  readonly mapped: Record<string, string>
}

/** The dataset name a file gives by default: `labels.csv.gz` -> `labels`. */
export const tableDatasetName = (file: string): string => {
  let name = basename(file)
  while (extname(name) !== '') name = name.slice(0, -extname(name).length)
  return name
}

/**
 * Reads, checks and writes any wide CSV of labels as a dataset [DS11]; images are matched by
 * file name, with or without its extension. Nothing is written when a row is bad.
 */
export async function importTable(
  store: Store,
  o: TableImportOptions,
): Promise<TableImportSummary> {
  let table
  try {
    table = parseWideTable(await readText(o.file), o)
  } catch (e) {
    throw asFileError(e)
  }
  if (table.errors.length > 0 && o.skipBadRows !== true) throw new BadRowsError(table.errors)
  const problems = new ProblemList()
  listSkippedRows(problems, table.errors)
  for (const d of table.duplicates)
    problems.add('duplicate-image', 'the same id in two rows (the first row is kept)', d)
  if (table.ignoredColumns.length > 0)
    problems.addMany(
      'ignored-column',
      'a column that is not a label column (not imported)',
      table.ignoredColumns.length,
      table.ignoredColumns,
    )
  if (table.records.length === 0)
    throw new BadRowsError([{ file: o.file, line: 2, column: null, message: 'no item to import' }])
  let files: Map<string, string> | null = null
  let roots: string[] = []
  if (o.images !== undefined && o.images.length > 0) {
    const scan = await scanImageFolders(o.images)
    roots = scan.roots
    files = new Map(scan.files)
    for (const [file, path] of scan.files) {
      const stem = file.slice(0, file.length - extname(file).length)
      if (!files.has(stem)) files.set(stem, path)
    }
  }
  const name = o.name ?? tableDatasetName(o.file)
  const kind = await datasetItemKind(store.db, name)
  if (kind !== null && kind !== 'film')
    throw new StoreError(`the dataset "${name}" holds ${kind}s; a table's items are images`)
  const input = {
    kind: 'film' as const,
    findings: table.findings,
    records: table.records,
    errors: table.errors,
    ignoredColumns: table.ignoredColumns,
    files,
    roots,
    problems,
  }
  const datasetId = await writeLabelledItems(store, input, {
    name,
    sourceFormat: 'table',
    sources: { file: resolve(o.file), ...(files === null ? {} : { images: roots }) },
  })
  return { ...summariseLabelledItems(input, name, datasetId), mapped: table.mapped }
}
