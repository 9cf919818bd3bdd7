import type { Generated, Kysely, Transaction } from 'kysely'
import type { Schema } from './schema.ts'
import type { Db, Tx } from './store.ts'

/** An imported expert-label file, per reader (migration 003-labels). */
export interface LabelImportTable {
  id: Generated<number>
  dataset_id: number
  reader_id: number
  /** The file as given on the command line. */
  file: string
  sha256: string
  /** `wide` or `long`. */
  format: string
  /** JSON object: source column (or long-file finding value) -> finding. */
  mapped: string
  /** JSON array of the columns read for nothing. */
  ignored: string
  /** JSON array of the columns holding verdicts that matched no finding (e.g. Fracture). */
  unmatched: string
  images: number
  verdicts: number
  unknown_images: number
  imported_at: string
}

/** The schema with the table that migration 003-labels adds. */
export interface LabelSchema extends Schema {
  label_import: LabelImportTable
}

/** The same connection, typed with the labels tables. */
export const labelDb = (db: Db | Tx): Kysely<LabelSchema> | Transaction<LabelSchema> =>
  db as unknown as Kysely<LabelSchema>

/** Splits ids for `in (...)` lists (portable under SQLite's and PostgreSQL's parameter limits). */
export function chunkIds<T>(items: readonly T[], size = 900): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
