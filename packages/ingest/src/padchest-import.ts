import { resolve } from 'node:path'
import {
  ProblemList,
  parsePadchest,
  type ChexpertRecord,
  type PadchestRow,
  type RowError,
} from '@cxr-audit/core'
import { datasetItemKind, StoreError, type Store } from '@cxr-audit/store'
import type { ChexpertImportSummary } from './chexpert-import.ts'
import { BadRowsError, asFileError, listSkippedRows } from './cxr14-read.ts'
import { filesSha256, writeSourceReaders, type SourceRead } from './dataset-readers.ts'
import { readText, scanImageFolders } from './files.ts'
import { summariseLabelledItems, writeLabelledItems } from './labelled-items.ts'

export const DEFAULT_PADCHEST_DATASET = 'PadChest'
/** The method whose labels are the original labels of a film labelled by both. */
const PHYSICIAN = 'Physician'

export interface PadchestImportOptions {
  /** PADCHEST_chest_x_ray_images_labels_160K_01.02.19.csv (plain or .gz); repeatable. */
  readonly files: readonly string[]
  readonly images?: readonly string[] | undefined
  readonly name?: string | undefined
  /** Readers are `<prefix>:<MethodLabel>`; default the dataset name. */
  readonly readerPrefix?: string | undefined
  readonly skipBadRows?: boolean | undefined
}

/**
 * What `cxr-audit import padchest --json` prints [DS9]: the fields of `import chexpert`, plus
 * films per labelling method (`methods`), the readers made of the methods, the films both
 * labelled and the verdicts the readers gave there.
 */
export interface PadchestImportSummary extends ChexpertImportSummary {
  readonly methods: Record<string, number>
  readonly readers: string[]
  readonly bothLabelled: number
  readonly reads: number
}

/**
 * Reads, checks and writes a PadChest import [DS9]: one film per ImageID, its labels from its
 * physician's row where it has one, else from the RNN's. On films labelled by both methods each
 * method is also a reader (`PadChest:Physician`, `PadChest:RNN_model`) with a verdict on every
 * finding (present if listed, absent if not), so the RNN can be audited against the physicians.
 */
export async function importPadchest(
  store: Store,
  o: PadchestImportOptions,
): Promise<PadchestImportSummary> {
  const problems = new ProblemList()
  const errors: RowError[] = []
  const rows: PadchestRow[] = []
  for (const file of o.files) {
    let table
    try {
      table = parsePadchest(file, await readText(file))
    } catch (e) {
      throw asFileError(e)
    }
    errors.push(...table.errors)
    rows.push(...table.rows)
    for (const d of table.duplicates)
      problems.add('duplicate-image', 'a film labelled twice by one method (first kept)', d)
    for (const d of table.unlabelled)
      problems.add('unlabelled-row', 'a row without labels (skipped)', d)
  }
  if (errors.length > 0 && o.skipBadRows !== true) throw new BadRowsError(errors)
  listSkippedRows(problems, errors)
  // the rows of each film, in file order; films in order of their first row
  const byFilm = new Map<string, PadchestRow[]>()
  for (const r of rows) {
    const before = byFilm.get(r.image)
    if (before === undefined) byFilm.set(r.image, [r])
    else if (before.some((b) => b.method === r.method))
      problems.add('duplicate-image', 'a film labelled twice by one method (first kept)', r.image)
    else before.push(r)
  }
  if (byFilm.size === 0)
    throw new BadRowsError([
      { file: o.files[0]!, line: 2, column: null, message: 'no film to import' },
    ])
  const findings = [...new Set(rows.flatMap((r) => r.labels))].sort()
  const methods: Record<string, number> = {}
  const records: ChexpertRecord[] = []
  const reads: SourceRead[] = []
  const prefix = o.readerPrefix ?? o.name ?? DEFAULT_PADCHEST_DATASET
  let both = 0
  for (const [image, films] of byFilm) {
    for (const f of films) methods[f.method] = (methods[f.method] ?? 0) + 1
    const main = films.find((f) => f.method === PHYSICIAN) ?? films[0]!
    const labels = new Map(main.labels.map((l) => [l, 1]))
    records.push({
      name: image,
      patient: main.patient,
      study: main.study,
      split: null,
      age: main.age,
      sex: main.sex,
      view: main.view,
      followUp: null,
      width: main.width,
      height: main.height,
      spacingX: null,
      spacingY: null,
      labels,
      rawLabels: main.labels,
      line: main.line,
    })
    if (films.length < 2) continue
    both++
    for (const f of films) {
      const listed = new Set(f.labels)
      for (const finding of findings)
        reads.push({
          reader: `${prefix}:${f.method}`,
          record: records.length - 1,
          finding,
          verdict: listed.has(finding) ? 'present' : 'absent',
        })
    }
  }
  let files: Map<string, string> | null = null
  let roots: string[] = []
  if (o.images !== undefined && o.images.length > 0) {
    const scan = await scanImageFolders(o.images)
    files = scan.files
    roots = scan.roots
  }
  const name = o.name ?? DEFAULT_PADCHEST_DATASET
  const kind = await datasetItemKind(store.db, name)
  if (kind !== null && kind !== 'film')
    throw new StoreError(`the dataset "${name}" holds ${kind}s; PadChest's items are films`)
  const input = {
    kind: 'film' as const,
    findings,
    records,
    errors,
    ignoredColumns: [],
    files,
    roots,
    problems,
  }
  const sha256 = await filesSha256(o.files)
  const names = records.map((r) => r.name)
  const datasetId = await writeLabelledItems(store, input, {
    name,
    sourceFormat: 'padchest',
    sources: {
      files: o.files.map((f) => resolve(f)),
      ...(files === null ? {} : { images: roots }),
    },
    also: (tx, written) =>
      writeSourceReaders(store, tx, written, { reads, names, files: o.files, sha256 }),
  })
  return {
    ...summariseLabelledItems(input, name, datasetId),
    methods,
    readers: [...new Set(reads.map((r) => r.reader))].sort(),
    bothLabelled: both,
    reads: reads.length,
  }
}
