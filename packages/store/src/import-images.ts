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

/** The stored columns of records, column by column (the bulk paths take columns). */
function columnsOf(datasetId: number, input: ImageImport, records: readonly ImageRecord[]) {
  const n = records.length
  const cols = COLUMNS.map(() => new Array<unknown>(n))
  const [
    dataset,
    name,
    patient,
    age,
    sex,
    view,
    followUp,
    width,
    height,
    sx,
    sy,
    split,
    path,
    onDisk,
    raw,
    study,
  ] = cols as [
    unknown[],
    unknown[],
    unknown[],
    unknown[],
    unknown[],
    unknown[],
    unknown[],
    unknown[],
    unknown[],
    unknown[],
    unknown[],
    unknown[],
    unknown[],
    unknown[],
    unknown[],
    unknown[],
  ]
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
    const file = input.files?.get(r.name) ?? null
    dataset[i] = datasetId
    name[i] = r.name
    patient[i] = r.patient
    age[i] = r.age
    sex[i] = r.sex
    view[i] = r.view
    followUp[i] = r.followUp
    width[i] = r.width
    height[i] = r.height
    sx[i] = r.spacingX
    sy[i] = r.spacingY
    split[i] = splitOf(r, i)
    path[i] = file
    onDisk[i] = file === null ? 0 : 1
    raw[i] = joined.get(r.rawLabels) ?? join(r.rawLabels)
    study[i] = r.study ?? null
  }
  return cols
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
  const cols = columnsOf(datasetId, input, records)
  // a source not given this time keeps what is stored (or the default on a new row): its
  // columns are neither sent nor compared
  const kept = new Set<number>()
  if (input.splits === null) kept.add(SPLIT)
  if (input.files === null) [PATH, ON_DISK].forEach((c) => kept.add(c))
  const written = COLUMNS.flatMap((_, c) => (kept.has(c) ? [] : [c]))
  const insert = async (rows: number[] | null, ids: readonly number[]): Promise<void> => {
    const pick = (col: unknown[]) => (rows === null ? col : rows.map((i) => col[i]))
    await store.bulk.insertColumns(
      tx,
      'image',
      ['id', ...written.map((c) => COLUMNS[c]!)],
      [ids, ...written.map((c) => pick(cols[c]!))],
    )
  }
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
