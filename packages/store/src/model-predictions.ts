import { findDataset, type DatasetRow } from './datasets.ts'
import { StoreError, now, type Db, type Store, type Tx } from './store.ts'

/** Where a model's predictions came from, stored as JSON in `model.source` [M6]. */
export interface ModelSource {
  readonly file: string
  readonly idColumn: string
  readonly prefix: string
  /** Score column -> finding. */
  readonly columns: Readonly<Record<string, string>>
  readonly unknownFindings: readonly string[]
  readonly ignoredColumns: readonly string[]
  readonly rows: number
  readonly unknownImages: number
  readonly skippedRows: number
  /** SHA-256 of the file's bytes, for reproducibility. */
  readonly sha256?: string
}

export interface ModelRow {
  readonly id: number
  readonly datasetId: number
  readonly dataset: string
  readonly name: string
  readonly source: ModelSource | null
  readonly createdAt: string
}

function parseSource(text: string): ModelSource | null {
  try {
    const value = JSON.parse(text) as unknown
    return typeof value === 'object' && value !== null ? (value as ModelSource) : null
  } catch {
    return null
  }
}

/** Every model, optionally of one dataset, by name. */
export async function listModels(db: Db | Tx, datasetId?: number): Promise<ModelRow[]> {
  let q = db
    .selectFrom('model')
    .innerJoin('dataset', 'dataset.id', 'model.dataset_id')
    .select([
      'model.id',
      'model.dataset_id',
      'model.name',
      'model.source',
      'model.created_at',
      'dataset.name as dataset_name',
    ])
    .orderBy('model.name')
  if (datasetId !== undefined) q = q.where('model.dataset_id', '=', datasetId)
  const rows = await q.execute()
  return rows.map((r) => ({
    id: r.id,
    datasetId: r.dataset_id,
    dataset: r.dataset_name,
    name: r.name,
    source: parseSource(r.source),
    createdAt: r.created_at,
  }))
}

/**
 * A model by name, in the named dataset, or in whichever dataset has a model of that name when
 * there is only one such dataset [M6]. Throws StoreError (exit 2) naming what exists.
 */
export async function findModel(
  db: Db,
  name: string,
  datasetName?: string,
): Promise<{ model: ModelRow; dataset: DatasetRow }> {
  const datasetId = datasetName === undefined ? undefined : (await findDataset(db, datasetName)).id
  const all = await listModels(db, datasetId)
  const matches = all.filter((m) => m.name === name)
  if (matches.length === 0) {
    const known = all.map((m) => `"${m.name}"`).join(', ')
    throw new StoreError(
      all.length === 0
        ? `no model "${name}": import its predictions first (cxr-audit import predictions --file FILE --model ${name})`
        : `no model "${name}" (there is ${known})`,
    )
  }
  if (matches.length > 1) {
    throw new StoreError(
      `several datasets have a model "${name}": say which with --dataset (${matches.map((m) => `"${m.dataset}"`).join(', ')})`,
    )
  }
  const model = matches[0]!
  return { model, dataset: await findDataset(db, model.dataset) }
}

export interface WritePredictionsInput {
  readonly datasetId: number
  readonly model: string
  readonly source: ModelSource
  /** Finding ids, in the order of each row's scores. */
  readonly findingIds: readonly number[]
  readonly rows: readonly { readonly imageId: number; readonly scores: ArrayLike<number> }[]
  /** Replace the predictions of a model of the same name; refused otherwise [M7]. */
  readonly replace: boolean
}

/**
 * Stores a model and its predictions in one transaction [M7] (image ids must be the dataset's:
 * the caller resolved them by name): a model name already used in the
 * dataset is refused unless `replace`, which deletes its predictions and writes the new ones in
 * the same transaction (the model keeps its id, so galleries made from it still point at it).
 */
export async function writePredictions(
  store: Store,
  input: WritePredictionsInput,
): Promise<{ modelId: number; replaced: boolean; predictions: number }> {
  return store.db.transaction().execute((tx) => writePredictionsIn(store, tx, input))
}

/** {@link writePredictions} inside the caller's transaction (a probe saves its run with it). */
export async function writePredictionsIn(
  store: Store,
  tx: Tx,
  input: WritePredictionsInput,
): Promise<{ modelId: number; replaced: boolean; predictions: number }> {
  const name = input.model.trim()
  if (name === '') throw new StoreError('a model needs a name (--model NAME)')
  const own = await tx
    .selectFrom('finding')
    .select('id')
    .where('dataset_id', '=', input.datasetId)
    .execute()
  const ownIds = new Set(own.map((f) => f.id))
  const foreign = input.findingIds.filter((id) => !ownIds.has(id))
  if (foreign.length > 0) {
    throw new StoreError(`findings ${foreign.join(', ')} are not findings of this dataset`)
  }
  const existing = await tx
    .selectFrom('model')
    .select('id')
    .where('dataset_id', '=', input.datasetId)
    .where('name', '=', name)
    .executeTakeFirst()
  if (existing !== undefined && !input.replace) {
    throw new StoreError(
      `a model "${name}" already exists in this dataset: add --replace to replace its predictions, or choose another name`,
    )
  }
  let modelId: number
  const source = JSON.stringify(input.source)
  if (existing === undefined) {
    const row = await tx
      .insertInto('model')
      .values({ dataset_id: input.datasetId, name, source, created_at: now() })
      .returning('id')
      .executeTakeFirstOrThrow()
    modelId = row.id
  } else {
    modelId = existing.id
    await tx.deleteFrom('prediction').where('model_id', '=', modelId).execute()
    await tx
      .updateTable('model')
      .set({ source, created_at: now() })
      .where('id', '=', modelId)
      .execute()
  }
  const values: unknown[][] = []
  for (const r of input.rows) {
    input.findingIds.forEach((findingId, k) => {
      values.push([modelId, r.imageId, findingId, r.scores[k]])
    })
  }
  await store.bulkInsert(tx, 'prediction', ['model_id', 'image_id', 'finding_id', 'score'], values)
  return { modelId, replaced: existing !== undefined, predictions: values.length }
}
