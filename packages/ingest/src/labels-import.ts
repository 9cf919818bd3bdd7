import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { itemKeyOf, parseLabelTable, type ColumnMap, type LabelRead } from '@cxr-audit/core'
import {
  StoreError,
  findDataset,
  imageIdMap,
  imageIdsByStudy,
  listFindings,
  now,
  writeLabelImport,
  type DatasetRow,
  type Store,
} from '@cxr-audit/store'
import { BadRowsError } from './cxr14-read.ts'
import { InputFileError, readText } from './files.ts'

export interface LabelImportOptions {
  readonly file: string
  /** The reader's name; with `readerColumn`, the prefix of `NAME:<value>`. */
  readonly reader: string
  readonly readerColumn?: string | undefined
  readonly idColumn?: string | undefined
  readonly map?: readonly ColumnMap[] | undefined
  /** Allows writing verdicts as a reader who is a person. */
  readonly append?: boolean | undefined
  readonly dataset?: string | undefined
  readonly skipBadRows?: boolean | undefined
}

/** What `cxr-audit import labels --json` prints [L1]. */
export interface LabelImportSummary {
  readonly readers: string[]
  /** Images of the dataset with at least one imported verdict. */
  readonly images: number
  /** Verdicts in the file for images of the dataset (new or already stored). */
  readonly verdicts: number
  /** Of those, the ones not stored before (0 when the same file is imported again). */
  readonly newVerdicts: number
  /** Images in the file that the dataset does not have: counted, listed, not imported. */
  readonly unknownImages: number
  readonly unknownImageNames: string[]
  readonly mapped: Record<string, string>
  readonly ignoredColumns: string[]
  /** Columns that hold verdicts but match no finding of the dataset (e.g. Fracture). */
  readonly unmatchedColumns: string[]
  readonly tags: number
  readonly format: 'wide' | 'long'
  readonly dataset: string
  readonly file: string
  readonly sha256: string
  readonly rows: number
  readonly skippedRows: number
}

/**
 * Imports an expert-label file as one reader (or one reader per value of the reader column)
 * [L1]: read and check everything first, then write in one transaction. Every event's
 * client_event_id names the reader, the image, the finding and the file's SHA-256, so importing
 * the same file again adds nothing.
 */
export async function importLabels(
  store: Store,
  o: LabelImportOptions,
): Promise<LabelImportSummary> {
  const readerName = o.reader.trim()
  if (readerName === '') throw new StoreError('the reader needs a name (--reader NAME)')
  let bytes: Buffer
  try {
    bytes = await readFile(o.file)
  } catch {
    await readText(o.file) // throws the explained InputFileError
    throw new InputFileError(o.file, 'cannot read')
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  const text = await readText(o.file)
  const dataset = await findDataset(store.db, o.dataset)
  const findings = await listFindings(store.db, dataset.id)
  const table = parseLabelTable(text, {
    file: o.file,
    findings: findings.map((f) => f.name),
    idColumn: o.idColumn,
    readerColumn: o.readerColumn,
    map: o.map,
  })
  if (table.errors.length > 0 && o.skipBadRows !== true) throw new BadRowsError(table.errors)
  const nameOf = (r: string | null): string => (r === null ? readerName : `${readerName}:${r}`)
  const imageIds = await itemIds(
    store,
    dataset,
    new Set([...table.reads.map((r) => r.image), ...table.tags.map((t) => t.image)]),
  )
  const findingIds = new Map(findings.map((f) => [f.name, f.id]))
  const unknown = new Set<string>()
  const known: (LabelRead & { imageId: number; item: string })[] = []
  for (const r of table.reads) {
    const items = imageIds.get(r.image)
    if (items === undefined) unknown.add(r.image)
    // a study's labels apply to each of its films [DS3]
    else for (const [item, imageId] of items) known.push({ ...r, imageId, item })
  }
  for (const t of table.tags) if (!imageIds.has(t.image)) unknown.add(t.image)
  const readerNames = [
    ...new Set([...known.map((r) => nameOf(r.reader)), ...table.tags.map((t) => nameOf(t.reader))]),
  ].sort()
  const importedAt = now()
  const tagEvents = table.tags.flatMap((t) =>
    [...(imageIds.get(t.image) ?? [])].flatMap(([item, imageId]) =>
      t.tags.map((tag) => ({
        reader: nameOf(t.reader),
        clientEventId: `import:${nameOf(t.reader)}:${item}:tag:${tag}:${sha256}`,
        auditId: null,
        imageId,
        tag,
        on: true,
        createdAt: importedAt,
      })),
    ),
  )
  const fresh = await writeLabelImport(store, {
    readers: readerNames,
    append: o.append === true,
    verdicts: known.map((r) => ({
      reader: nameOf(r.reader),
      clientEventId: `import:${nameOf(r.reader)}:${r.item}:${r.finding}:${sha256}`,
      auditId: null,
      imageId: r.imageId,
      findingId: findingIds.get(r.finding)!,
      verdict: r.verdict,
      createdAt: r.time ?? importedAt,
    })),
    tags: tagEvents,
    records: readerNames.map((name) => {
      const mine = known.filter((r) => nameOf(r.reader) === name)
      return {
        reader: name,
        datasetId: dataset.id,
        file: basename(o.file),
        sha256,
        format: table.format,
        mapped: table.mapped,
        ignored: table.ignoredColumns,
        unmatched: table.unmatchedColumns,
        images: new Set(mine.map((r) => r.imageId)).size,
        verdicts: mine.length,
        unknownImages: unknown.size,
        importedAt,
      }
    }),
  })
  return {
    readers: readerNames,
    images: new Set(known.map((r) => r.imageId)).size,
    verdicts: known.length,
    newVerdicts: fresh,
    unknownImages: unknown.size,
    unknownImageNames: [...unknown].sort(),
    mapped: table.mapped,
    ignoredColumns: table.ignoredColumns,
    unmatchedColumns: table.unmatchedColumns,
    tags: tagEvents.length,
    format: table.format,
    dataset: dataset.name,
    file: o.file,
    sha256,
    rows: table.rows,
    skippedRows: table.errors.length,
  }
}

/**
 * The dataset's items each id of the file names, as (item name, image id) pairs. On a CheXpert
 * or MIMIC-CXR-JPG dataset ids are paths or study ids with any prefix (`CheXpert-v1.0/test/patient64741/study1`)
 * and a study id names each film of the study [DS3]; elsewhere an id is an image name.
 */
export async function itemIds(
  store: Store,
  dataset: DatasetRow,
  ids: ReadonlySet<string>,
): Promise<Map<string, Map<string, number>>> {
  const out = new Map<string, Map<string, number>>()
  const keyOf = itemKeyOf(dataset.sourceFormat)
  if (keyOf === null) {
    const byName = await imageIdMap(store.db, dataset.id, [...ids])
    for (const id of ids) {
      const imageId = byName.get(id)
      if (imageId !== undefined) out.set(id, new Map([[id, imageId]]))
    }
    return out
  }
  const byName = await imageIdMap(store.db, dataset.id)
  const namesById = new Map([...byName].map(([name, id]) => [id, name]))
  let byStudy: Map<string, number[]> | undefined
  for (const id of ids) {
    const key = keyOf(id)
    if (key === undefined) continue
    const direct = byName.get(key.name)
    if (direct !== undefined) out.set(id, new Map([[key.name, direct]]))
    else if (key.kind === 'study') {
      byStudy ??= await imageIdsByStudy(store.db, dataset.id)
      const films = byStudy.get(key.study)
      if (films !== undefined) out.set(id, new Map(films.map((f) => [namesById.get(f)!, f])))
    }
  }
  return out
}
