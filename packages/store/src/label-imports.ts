import { labelDb } from './label-schema.ts'
import type { Db, Tx } from './store.ts'

export interface LabelImportRecord {
  readonly datasetId: number
  readonly readerId: number
  readonly file: string
  readonly sha256: string
  readonly format: 'wide' | 'long'
  readonly mapped: Record<string, string>
  readonly ignored: readonly string[]
  readonly unmatched: readonly string[]
  readonly images: number
  readonly verdicts: number
  readonly unknownImages: number
  readonly importedAt: string
}

/** Records an imported file for a reader; the same file again for the same reader is a no-op. */
export async function recordLabelImport(tx: Tx, r: LabelImportRecord): Promise<void> {
  await labelDb(tx)
    .insertInto('label_import')
    .values({
      dataset_id: r.datasetId,
      reader_id: r.readerId,
      file: r.file,
      sha256: r.sha256,
      format: r.format,
      mapped: JSON.stringify(r.mapped),
      ignored: JSON.stringify(r.ignored),
      unmatched: JSON.stringify(r.unmatched),
      images: r.images,
      verdicts: r.verdicts,
      unknown_images: r.unknownImages,
      imported_at: r.importedAt,
    })
    .onConflict((oc) => oc.columns(['reader_id', 'sha256']).doNothing())
    .execute()
}

export interface LabelImportRow extends LabelImportRecord {
  readonly reader: string
}

/** The files imported for the given readers (all readers when not given), oldest first. */
export async function listLabelImports(
  db: Db,
  readerIds?: readonly number[],
): Promise<LabelImportRow[]> {
  let q = labelDb(db)
    .selectFrom('label_import as li')
    .innerJoin('reader as r', 'r.id', 'li.reader_id')
    .selectAll('li')
    .select('r.name as reader')
    .orderBy('li.id')
  if (readerIds !== undefined) q = q.where('li.reader_id', 'in', [...readerIds, -1])
  const rows = await q.execute()
  return rows.map((r) => ({
    datasetId: r.dataset_id,
    readerId: r.reader_id,
    reader: r.reader,
    file: r.file,
    sha256: r.sha256,
    format: r.format === 'long' ? 'long' : 'wide',
    mapped: JSON.parse(r.mapped) as Record<string, string>,
    ignored: JSON.parse(r.ignored) as string[],
    unmatched: JSON.parse(r.unmatched) as string[],
    images: r.images,
    verdicts: r.verdicts,
    unknownImages: r.unknown_images,
    importedAt: r.imported_at,
  }))
}
