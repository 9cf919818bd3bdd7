import { labelDb } from './label-schema.ts'
import { ensureReader, findReader, type ReaderRow } from './readers.ts'
import { StoreError, type Db, type Store, type Tx } from './store.ts'
import {
  appendTagEvents,
  appendVerdictEvents,
  type TagEventInput,
  type VerdictEventInput,
} from './verdicts.ts'

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

/** An expert-label file to store, its readers named (created as imported readers when new). */
export interface LabelImportWrite {
  readonly readers: readonly string[]
  /** Allows adding the verdicts to a reader who is a person [L1]. */
  readonly append: boolean
  readonly verdicts: readonly (Omit<VerdictEventInput, 'readerId'> & { readonly reader: string })[]
  readonly tags: readonly (Omit<TagEventInput, 'readerId'> & { readonly reader: string })[]
  /** The file's record, per reader. */
  readonly records: readonly (Omit<LabelImportRecord, 'readerId'> & { readonly reader: string })[]
}

/** Verdict events are checked against the stored ones in batches of this many. */
const BATCH = 1000

/**
 * Stores an imported label file in one transaction [L1]: its readers, verdict and tag events
 * (retries of stored events are skipped: importing the same file again adds nothing) and its
 * record per reader. Returns how many verdicts were new.
 */
export async function writeLabelImport(store: Store, w: LabelImportWrite): Promise<number> {
  return store.db.transaction().execute((tx) => writeLabelImportIn(store, tx, w))
}

/**
 * The same within a transaction the caller holds: a dataset import whose label sources are
 * also readers (PadChest's methods, VinDr-CXR's radiologists) writes both or neither.
 */
export async function writeLabelImportIn(
  store: Store,
  tx: Tx,
  w: LabelImportWrite,
): Promise<number> {
  const readers = new Map<string, ReaderRow>()
  for (const name of w.readers) readers.set(name, await importReader(tx, name, w.append))
  const id = (name: string): number => readers.get(name)!.id
  let fresh = 0
  for (let i = 0; i < w.verdicts.length; i += BATCH) {
    const batch = w.verdicts.slice(i, i + BATCH)
    fresh += await appendVerdictEvents(
      store,
      tx,
      batch.map(({ reader, ...e }) => ({ ...e, readerId: id(reader) })),
    )
  }
  for (let i = 0; i < w.tags.length; i += BATCH) {
    const batch = w.tags.slice(i, i + BATCH)
    await appendTagEvents(
      store,
      tx,
      batch.map(({ reader, ...e }) => ({ ...e, readerId: id(reader) })),
    )
  }
  for (const { reader, ...r } of w.records)
    await recordLabelImport(tx, { ...r, readerId: id(reader) })
  return fresh
}

/**
 * The imported reader of that name, created when new [L1]. A name already used by a person is
 * refused unless `append` (the verdicts are then added to that person's).
 */
async function importReader(tx: Tx, name: string, append: boolean): Promise<ReaderRow> {
  const existing = await findReader(tx, name)
  if (existing?.kind === 'person') {
    if (append) return existing
    throw new StoreError(
      `the reader name "${name}" is already used by a person: choose another --reader, or add --append to add these verdicts to that person's`,
    )
  }
  return ensureReader(tx, name, 'imported')
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
