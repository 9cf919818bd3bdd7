/**
 * Helpers for tests of the packages above the store (`@cxr-audit/store/testing`): what a test
 * needs to set up or inspect that no command does, so that no test writes SQL of its own.
 */
import {
  parseModelOptions,
  parseReaderSpec,
  type ModelOptions,
  type ModelOptionsText,
  type ReaderSpec,
} from '@cxr-audit/core'
import { sql } from 'kysely'
import type { Schema } from './schema.ts'
import { now, type Db, type Store } from './store.ts'
import {
  appendTagEvents,
  appendVerdictEvents,
  type TagEventInput,
  type VerdictEventInput,
} from './verdicts.ts'

/** A `--reader` as written (`NAME`, `consensus:A,B,C`), parsed as the CLI parses it. */
export function reader(text: string): ReaderSpec {
  const spec = parseReaderSpec(text)
  if (spec === undefined) throw new Error(`not a reader: "${text}"`)
  return spec
}

/**
 * Model-audit options written as on the command line (`against: 'consensus:A,B'`,
 * `threshold: 'sens:0.9'`, `by: ['sex']`), parsed as the CLI parses them, for evaluateModel and
 * createGalleries.
 */
export function asWritten<T extends ModelOptionsText>(
  o: T,
): Omit<T, keyof ModelOptionsText> & ModelOptions {
  const { against: _against, threshold: _threshold, by: _by, ...rest } = o
  return { ...rest, ...parseModelOptions(o) }
}

export { giveTags, giveVerdicts, makeModelFixture, type ModelFixture } from './model-fixture.ts'

/** How many rows a table holds (a test's "nothing was stored"). */
export async function countRows(db: Db, table: keyof Schema & string): Promise<number> {
  const r = await db
    .selectFrom(table)
    .select((e) => e.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

/** The tables an import or a failed command must leave as they were. */
export const STATE_TABLES = [
  'dataset',
  'finding',
  'image',
  'label',
  'box',
  'reader_box',
  'import_problem',
  'reader',
  'verdict_event',
  'study_film',
] as const

/** Every row of the tables as JSON, sorted (row order is not state), to compare before and after. */
export async function snapshot(
  store: Store,
  tables: readonly (keyof Schema & string)[] = STATE_TABLES,
): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {}
  for (const t of tables) {
    const rows = await store.db.selectFrom(t).selectAll().execute()
    out[t] = rows.map((r) => JSON.stringify(r)).sort()
  }
  return out
}

const IMPORT_TABLES = [
  'dataset',
  'finding',
  'image',
  'label',
  'box',
  'import_problem',
  'source_file',
] as const
// the moments of writing differ between two imports of the same files, nothing else may
const MOMENTS = new Set(['imported_at', 'recorded_at'])

/** The rows whose reference points nowhere (SQLite's `foreign_key_check`; PostgreSQL never has any). */
export async function danglingReferences(store: Store): Promise<unknown[]> {
  if (store.kind !== 'sqlite') return []
  return (await sql`pragma foreign_key_check`.execute(store.db)).rows
}

/** Every row an import writes, without the moments of writing, in a stable order. */
export async function importedRows(store: Store): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {}
  for (const t of IMPORT_TABLES) {
    const rows = await store.db.selectFrom(t).selectAll().execute()
    out[t] = rows
      .map((r) => JSON.stringify(Object.entries(r).filter(([k]) => !MOMENTS.has(k))))
      .sort()
  }
  return out
}

/** Changes what is stored of an image, as hostile or broken data would (a path, an age). */
export async function setImageFields(
  db: Db,
  imageId: number,
  fields: {
    readonly path?: string | null
    readonly age?: number | null
    readonly contentHash?: string | null
  },
): Promise<void> {
  const { contentHash, ...rest } = fields
  await db
    .updateTable('image')
    .set({ ...rest, ...(contentHash === undefined ? {} : { content_hash: contentHash }) })
    .where('id', '=', imageId)
    .execute()
}

/** Images labelled positive for a finding, first `limit` by id or by name. */
export async function positiveImages(
  db: Db,
  findingId: number,
  o: { readonly limit: number; readonly orderBy?: 'id' | 'name'; readonly onDisk?: boolean },
): Promise<number[]> {
  let q = db
    .selectFrom('label')
    .innerJoin('image', 'image.id', 'label.image_id')
    .select('image.id')
    .where('label.finding_id', '=', findingId)
    .where('label.value', '=', 1)
  if (o.onDisk === true) q = q.where('image.on_disk', '=', 1)
  const rows = await q
    .orderBy(o.orderBy === 'name' ? 'image.name' : 'image.id')
    .limit(o.limit)
    .execute()
  return rows.map((r) => r.id)
}

/**
 * An audit of exactly these items (the workbench draws its own sample; a test picks its
 * items). Returns its id.
 */
export async function insertAudit(
  db: Db,
  a: {
    readonly datasetId: number
    readonly name: string
    readonly seed: string
    readonly plan: unknown
    readonly items: readonly { imageId: number; findingId: number; labelled: number }[]
  },
): Promise<number> {
  const audit = await db
    .insertInto('audit')
    .values({
      dataset_id: a.datasetId,
      name: a.name,
      seed: a.seed,
      plan: JSON.stringify(a.plan),
      blinded: 0,
      tag_set: '[]',
      created_at: now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('audit_item')
    .values(
      a.items.map((it, position) => ({
        audit_id: audit.id,
        position,
        image_id: it.imageId,
        finding_id: it.findingId,
        labelled: it.labelled,
      })),
    )
    .execute()
  return audit.id
}

/** Appends verdict events in a transaction of their own (retries skipped); how many were new. */
export function addVerdicts(store: Store, events: readonly VerdictEventInput[]): Promise<number> {
  return store.db.transaction().execute((tx) => appendVerdictEvents(store, tx, events))
}

/** Appends tag events in a transaction of their own (retries skipped); how many were new. */
export function addTags(store: Store, events: readonly TagEventInput[]): Promise<number> {
  return store.db.transaction().execute((tx) => appendTagEvents(store, tx, events))
}

/** A dataset row of a test's own (an import makes them otherwise). Returns its id. */
export async function insertDataset(
  db: Db,
  d: { readonly name: string; readonly roots?: readonly string[]; readonly importedAt?: string },
): Promise<number> {
  const row = await db
    .insertInto('dataset')
    .values({
      name: d.name,
      source_format: 'cxr14',
      imported_at: d.importedAt ?? now(),
      image_roots: JSON.stringify(d.roots ?? []),
      sources: '{}',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Image rows of a test's own: a name, a patient and a file (null: not on disk). */
export async function insertImages(
  db: Db,
  datasetId: number,
  images: readonly {
    readonly name: string
    readonly patient: string
    readonly path: string | null
    readonly split?: string | null
  }[],
): Promise<void> {
  await db
    .insertInto('image')
    .values(
      images.map((im) => ({
        dataset_id: datasetId,
        name: im.name,
        patient: im.patient,
        sex: 'M',
        view: 'PA',
        raw_labels: '',
        split: im.split ?? null,
        path: im.path,
        on_disk: im.path === null ? 0 : 1,
      })),
    )
    .execute()
}

/** What is stored of an image of that name (the first, whatever the dataset). */
export async function imageRow(
  db: Db,
  name: string,
): Promise<{
  id: number
  path: string | null
  contentHash: string | null
  unreadable: string | null
}> {
  const r = await db
    .selectFrom('image')
    .select(['id', 'path', 'content_hash', 'unreadable_reason'])
    .where('name', '=', name)
    .orderBy('id')
    .executeTakeFirstOrThrow()
  return { id: r.id, path: r.path, contentHash: r.content_hash, unreadable: r.unreadable_reason }
}

/** Deletes an image row, as a re-import does for an image gone from the metadata. */
export async function deleteImage(db: Db, imageId: number): Promise<void> {
  await db.deleteFrom('image').where('id', '=', imageId).execute()
}

/** Forgets every stored embedding (a benchmark's fresh round). */
export async function deleteEmbeddings(db: Db): Promise<void> {
  await db.deleteFrom('embedding').execute()
}

/** Forgets every image's pixel facts and content hash, as a database that never ran `thumbnails`. */
export async function forgetFacts(db: Db): Promise<void> {
  await db.updateTable('image').set({ facts_at: null, content_hash: null }).execute()
}

/** Every row of a table as stored (column names as in the schema), for tests that inspect it. */
export async function tableRows<T extends keyof Schema & string>(
  db: Db,
  table: T,
): Promise<Record<string, unknown>[]> {
  return (await db.selectFrom(table).selectAll().execute()) as Record<string, unknown>[]
}

/** Tries to edit or erase the activity log as an intruder with SQL access would [A9]. */
export async function tamperActivity(db: Db, how: 'update' | 'delete'): Promise<void> {
  if (how === 'update') await db.updateTable('activity').set({ actor: 'nobody' }).execute()
  else await db.deleteFrom('activity').execute()
}

/** Moves a session's end into the past, as if its hours had run out. */
export async function expireSessions(db: Db): Promise<void> {
  await db.updateTable('session').set({ expires_at: '2000-01-01T00:00:00.000Z' }).execute()
}
