import type { ImageRecord } from '@cxr-audit/core'
import { sql } from 'kysely'
import type { Store, Tx } from './store.ts'

// The image half of writing an import: images are matched by (dataset, name) and keep their
// ids, so verdicts stay attached; only what differs is written (docs/decisions/003).

/** The images of an import, with the sources that may be absent this time. */
export interface ImageImport {
  readonly records: readonly ImageRecord[]
  /**
   * image name -> split, or each record's split in the order of `records` (formats whose rows
   * carry it: no 223,414-name map to build and look up), or null when no split list was given
   * (keep what is stored).
   */
  readonly splits: ReadonlyMap<string, string> | readonly (string | null)[] | null
  /** file name -> absolute path, or null when no image folder was given (keep what is stored). */
  readonly files: ReadonlyMap<string, string> | null
}

export interface ImageSync {
  /** The image id of each record, in the order of `records`. */
  readonly ids: Int32Array
  /** Rows inserted, updated or removed (0 for a re-import of the same files). */
  readonly changes: number
}

const COLUMNS = [
  'dataset_id',
  'name',
  'patient',
  'age',
  'sex',
  'view',
  'follow_up',
  'width',
  'height',
  'spacing_x',
  'spacing_y',
  'split',
  'path',
  'on_disk',
  'raw_labels',
  'study',
] as const
const DATASET = COLUMNS.indexOf('dataset_id')
const NAME = COLUMNS.indexOf('name')
const SPLIT = COLUMNS.indexOf('split')
const PATH = COLUMNS.indexOf('path')
const ON_DISK = COLUMNS.indexOf('on_disk')

/**
 * The stored columns of a run of new images, column by column (`name[i]` is image i's name):
 * what a reader streaming a new dataset hands over, batch by batch, instead of records.
 * `split` and `path` are null when that source was not given (keep the stored value).
 */
export interface ImageColumns {
  readonly name: readonly string[]
  readonly patient: readonly string[]
  readonly age: ArrayLike<number | null>
  readonly sex: readonly string[]
  readonly view: readonly string[]
  readonly followUp: ArrayLike<number | null>
  readonly width: ArrayLike<number | null>
  readonly height: ArrayLike<number | null>
  readonly spacingX: ArrayLike<number | null>
  readonly spacingY: ArrayLike<number | null>
  readonly split: readonly (string | null)[] | null
  readonly path: readonly (string | null)[] | null
  /** The source's label names joined by `|`. */
  readonly rawLabels: readonly string[]
  readonly study: readonly (string | null)[]
}

/** The stored columns (in COLUMNS order) of image columns. */
function storedColumns(datasetId: number, c: ImageColumns): unknown[][] {
  const n = c.name.length
  const path = c.path
  return [
    new Array<number>(n).fill(datasetId),
    c.name as unknown[],
    c.patient as unknown[],
    c.age as unknown[],
    c.sex as unknown[],
    c.view as unknown[],
    c.followUp as unknown[],
    c.width as unknown[],
    c.height as unknown[],
    c.spacingX as unknown[],
    c.spacingY as unknown[],
    (c.split ?? new Array<null>(n).fill(null)) as unknown[],
    (path ?? new Array<null>(n).fill(null)) as unknown[],
    path === null ? new Array<number>(n).fill(0) : path.map((p) => (p === null ? 0 : 1)),
    c.rawLabels as unknown[],
    c.study as unknown[],
  ]
}

/** The image columns of records. */
function imageColumns(input: ImageImport, records: readonly ImageRecord[]): ImageColumns {
  const n = records.length
  const name = new Array<string>(n)
  const patient = new Array<string>(n)
  const age = new Array<number | null>(n)
  const sex = new Array<string>(n)
  const view = new Array<string>(n)
  const followUp = new Array<number | null>(n)
  const width = new Array<number | null>(n)
  const height = new Array<number | null>(n)
  const spacingX = new Array<number | null>(n)
  const spacingY = new Array<number | null>(n)
  const raw = new Array<string>(n)
  const study = new Array<string | null>(n)
  const split = input.splits === null ? null : new Array<string | null>(n)
  const path = input.files === null ? null : new Array<string | null>(n)
  // parsers share one label list between rows with the same labels: join each list once
  const splits = input.splits
  const splitOf: (r: ImageRecord, i: number) => string | null =
    splits === null
      ? () => null
      : Array.isArray(splits)
        ? (_, i) => (splits as readonly (string | null)[])[i] ?? null
        : (r) => (splits as ReadonlyMap<string, string>).get(r.name) ?? null
  const joined = new Map<readonly string[], string>()
  const join = (labels: readonly string[]): string => {
    const s = labels.join('|')
    joined.set(labels, s)
    return s
  }
  for (let i = 0; i < n; i++) {
    const r = records[i]!
    name[i] = r.name
    patient[i] = r.patient
    age[i] = r.age
    sex[i] = r.sex
    view[i] = r.view
    followUp[i] = r.followUp
    width[i] = r.width
    height[i] = r.height
    spacingX[i] = r.spacingX
    spacingY[i] = r.spacingY
    if (split !== null) split[i] = splitOf(r, i)
    if (path !== null) path[i] = input.files!.get(r.name) ?? null
    raw[i] = joined.get(r.rawLabels) ?? join(r.rawLabels)
    study[i] = r.study ?? null
  }
  return {
    name,
    patient,
    age,
    sex,
    view,
    followUp,
    width,
    height,
    spacingX,
    spacingY,
    split,
    path,
    rawLabels: raw,
    study,
  }
}

/** The stored columns written for image columns: a source not given is neither sent nor compared. */
function writtenColumns(c: ImageColumns): number[] {
  const kept = new Set<number>()
  if (c.split === null) kept.add(SPLIT)
  if (c.path === null) [PATH, ON_DISK].forEach((k) => kept.add(k))
  return COLUMNS.flatMap((_, k) => (kept.has(k) ? [] : [k]))
}

async function insertImages(
  store: Store,
  tx: Tx,
  written: readonly number[],
  cols: readonly unknown[][],
  rows: readonly number[] | null,
  ids: readonly number[],
): Promise<void> {
  const pick = (col: unknown[]) => (rows === null ? col : rows.map((i) => col[i]))
  await store.bulk.insertColumns(
    tx,
    'image',
    ['id', ...written.map((c) => COLUMNS[c]!)],
    [ids, ...written.map((c) => pick(cols[c]! as unknown[]))],
  )
}

/**
 * Inserts a run of images of a new dataset (one batch of a streamed import) with ids reserved
 * after what the transaction has written so far; returns their ids, in order. Every batch of
 * one import must give the same sources (split, path) as the first.
 */
export async function appendImages(
  store: Store,
  tx: Tx,
  datasetId: number,
  batch: ImageColumns,
): Promise<Int32Array> {
  const ids = await store.bulk.reserveIds(tx, 'image', batch.name.length)
  await insertImages(store, tx, writtenColumns(batch), storedColumns(datasetId, batch), null, ids)
  return Int32Array.from(ids)
}

/**
 * Writes the images of an import inside `tx`: on a new dataset one bulk insert with reserved
 * ids; otherwise inserts the new names, updates the changed rows (one UPDATE from a staging
 * table) and removes images gone from the source unless something refers to them.
 */
export async function syncImages(
  store: Store,
  tx: Tx,
  datasetId: number,
  input: ImageImport,
  fresh: boolean,
): Promise<ImageSync> {
  const { records } = input
  const columns = imageColumns(input, records)
  const cols = storedColumns(datasetId, columns)
  const written = writtenColumns(columns)
  const insert = (rows: number[] | null, ids: readonly number[]): Promise<void> =>
    insertImages(store, tx, written, cols, rows, ids)
  if (fresh) {
    const ids = await store.bulk.reserveIds(tx, 'image', records.length)
    await insert(null, ids)
    return { ids: Int32Array.from(ids), changes: records.length }
  }
  // the dataset is the filter, the name the key: compare the rest
  const compared = written.filter((c) => c !== DATASET && c !== NAME)
  const stored = await store.bulk.selectArrays(
    tx,
    tx
      .selectFrom('image')
      .select(['id', 'name', ...compared.map((c) => COLUMNS[c]!)])
      .where('dataset_id', '=', datasetId)
      .orderBy('id'),
  )
  // stored rows come in id order, which is the order of the last import: walk both lists
  // together and look a name up only where they part
  const matched = new Uint8Array(stored.length)
  let byName: Map<string, number> | undefined
  const ids = new Int32Array(records.length)
  const added: number[] = []
  const changed: number[] = []
  let next = 0
  for (let i = 0; i < records.length; i++) {
    const name = records[i]!.name
    let at = next < stored.length && stored[next]![1] === name ? next : -1
    if (at < 0) {
      byName ??= new Map(stored.map((r, k) => [r[1] as string, k]))
      at = byName.get(name) ?? -1
    }
    if (at < 0) {
      added.push(i)
      continue
    }
    matched[at] = 1
    next = at + 1
    const prev = stored[at]!
    ids[i] = prev[0] as number
    for (let k = 0; k < compared.length; k++) {
      if (cols[compared[k]!]![i] !== prev[2 + k]) {
        changed.push(i)
        break
      }
    }
  }
  if (changed.length > 0) {
    await updateImages(
      store,
      tx,
      compared.map((c) => COLUMNS[c]!),
      [changed.map((i) => ids[i]!), ...compared.map((c) => changed.map((i) => cols[c]![i]))],
    )
  }
  const newIds = await store.bulk.reserveIds(tx, 'image', added.length)
  added.forEach((i, k) => (ids[i] = newIds[k]!))
  await insert(added, newIds)
  const removed = await removeStaleImages(
    tx,
    stored.flatMap((r, k) => (matched[k] === 1 ? [] : [r[0] as number])),
  )
  return { ids, changes: changed.length + added.length + removed }
}

/** Applies changed image rows with one UPDATE from a staging table (112k single updates take seconds). */
async function updateImages(
  store: Store,
  tx: Tx,
  columns: readonly string[],
  data: readonly unknown[][],
): Promise<void> {
  const refs = columns.map((c) => sql.ref(c))
  await sql`create temp table image_update as select id, ${sql.join(refs)} from image where 0 = 1`.execute(
    tx,
  )
  try {
    await store.bulk.insertColumns(tx, 'image_update', ['id', ...columns], data)
    const set = sql.join(columns.map((c) => sql`${sql.ref(c)} = u.${sql.ref(c)}`))
    await sql`update image set ${set} from image_update as u where image.id = u.id`.execute(tx)
  } finally {
    await sql`drop table image_update`.execute(tx)
  }
}

/** Images no longer in the source go, unless a reader or a model refers to them. */
export async function removeStaleImages(tx: Tx, ids: readonly number[]): Promise<number> {
  let removed = 0
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500)
    const used = new Set<number>()
    for (const t of ['verdict_event', 'tag_event', 'audit_item', 'prediction'] as const) {
      for (const r of await tx
        .selectFrom(t)
        .select('image_id')
        .distinct()
        .where('image_id', 'in', chunk)
        .execute())
        used.add(r.image_id)
    }
    const free = chunk.filter((id) => !used.has(id))
    if (free.length === 0) continue
    await tx.deleteFrom('label').where('image_id', 'in', free).execute()
    await tx.deleteFrom('box').where('image_id', 'in', free).execute()
    await tx.deleteFrom('reader_box').where('image_id', 'in', free).execute()
    await tx.deleteFrom('image').where('id', 'in', free).execute()
    removed += free.length
  }
  return removed
}
