import { StoreError, now, type Db, type Tx } from './store.ts'

export type ReaderKind = 'person' | 'imported'

export interface ReaderRow {
  readonly id: number
  readonly name: string
  readonly kind: ReaderKind
  readonly createdAt: string
}

const toRow = (r: { id: number; name: string; kind: string; created_at: string }): ReaderRow => ({
  id: r.id,
  name: r.name,
  kind: r.kind as ReaderKind,
  createdAt: r.created_at,
})

export async function listReaders(db: Db | Tx): Promise<ReaderRow[]> {
  const rows = await db
    .selectFrom('reader')
    .select(['id', 'name', 'kind', 'created_at'])
    .orderBy('name')
    .execute()
  return rows.map(toRow)
}

export async function findReader(db: Db | Tx, name: string): Promise<ReaderRow | undefined> {
  const r = await db
    .selectFrom('reader')
    .select(['id', 'name', 'kind', 'created_at'])
    .where('name', '=', name)
    .executeTakeFirst()
  return r === undefined ? undefined : toRow(r)
}

export async function findReaderById(db: Db | Tx, id: number): Promise<ReaderRow | undefined> {
  const r = await db
    .selectFrom('reader')
    .select(['id', 'name', 'kind', 'created_at'])
    .where('id', '=', id)
    .executeTakeFirst()
  return r === undefined ? undefined : toRow(r)
}

/**
 * The reader of that name, created when new. A name already used by a reader of the other kind
 * is refused: an imported label file must never write verdicts as a person (or the reverse).
 */
export async function ensureReader(
  db: Db | Tx,
  name: string,
  kind: ReaderKind,
): Promise<ReaderRow> {
  const clean = name.trim()
  if (clean === '') throw new StoreError('a reader needs a name')
  const existing = await findReader(db, clean)
  if (existing !== undefined) {
    if (existing.kind !== kind) {
      throw new StoreError(
        `the reader name "${clean}" is already used by ${existing.kind === 'person' ? 'a person' : 'an imported label source'}`,
      )
    }
    return existing
  }
  await db
    .insertInto('reader')
    .values({ name: clean, kind, created_at: now(), password_hash: null, role: null })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute()
  const row = await findReader(db, clean)
  if (row === undefined) throw new StoreError(`cannot create the reader "${clean}"`)
  return row
}
