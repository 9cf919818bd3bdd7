import { FindingNames } from '@cxr-audit/core'
import { findDataset, listFindings, type DatasetRow, type FindingRow } from './datasets.ts'
import { embeddingModelsOf, type EmbeddingModelRow } from './embeddings.ts'
import { StoreError, type Db } from './store.ts'

/** Which films are the negatives of a probe [PR2]. */
export type ProbeNegatives = 'all' | 'no-finding'
export const PROBE_NEGATIVES: readonly ProbeNegatives[] = ['all', 'no-finding']

export interface ProbeDataOptions {
  readonly dataset?: string | undefined
  /** Any spelling FindingNames accepts; derived findings too. */
  readonly finding: string
  /** `none`: the positives only (clusters of a finding's films). */
  readonly negatives: ProbeNegatives | 'none'
  /** An embedding model's name; default the one used most recently on the dataset. */
  readonly embeddingModel?: string | undefined
  /**
   * Makes the buffer the vectors are copied into (default a plain ArrayBuffer); the probe passes
   * a SharedArrayBuffer so that its worker threads read the matrix without a copy.
   */
  readonly allocate?: ((bytes: number) => ArrayBufferLike) | undefined
}

/** A finding's labelled films with their embeddings, ready for a probe [PR1]-[PR2]. */
export interface ProbeData {
  readonly dataset: DatasetRow
  readonly finding: FindingRow
  readonly embeddingModel: EmbeddingModelRow
  /** The films in the probe, by image id. */
  readonly imageIds: Int32Array
  readonly names: readonly string[]
  readonly patients: readonly string[]
  /** 1 positive, 0 negative, per film. */
  readonly labels: Uint8Array
  /** `imageIds.length * embeddingModel.dimensions` floats, film after film. */
  readonly vectors: Float32Array
  /** Films with a vector whose original label of the finding is uncertain (-1): left out. */
  readonly excludedUncertain: number
  /** With `no-finding`: films negative for the finding that carry another finding: left out. */
  readonly excludedOtherFindings: number
  /** Films of the dataset without a vector of this model (not embedded, or not on disk). */
  readonly withoutEmbedding: number
}

/** Ids per query: far under SQLite's and PostgreSQL's parameter limits. */
const ID_CHUNK = 5000

/** The finding of that name (labelled or derived), or a StoreError listing the dataset's. */
export function resolveFinding(findings: readonly FindingRow[], raw: string): FindingRow {
  const name = new FindingNames(findings.map((f) => f.name)).resolve(raw)
  const f = findings.find((x) => x.name === name)
  if (f === undefined) {
    throw new StoreError(
      `unknown finding "${raw}" (the dataset has: ${findings.map((x) => x.name).join(', ')})`,
    )
  }
  return f
}

/**
 * The embedding model of that name with vectors for the dataset (the most recently used one
 * when several share the name), or the most recently used of all when no name is given.
 */
export async function chooseEmbeddingModel(
  db: Db,
  dataset: DatasetRow,
  name?: string,
): Promise<EmbeddingModelRow & { images: number }> {
  const models = await embeddingModelsOf(db, dataset.id)
  if (models.length === 0) {
    throw new StoreError(
      `the dataset "${dataset.name}" has no embeddings yet: run cxr-audit embed first`,
    )
  }
  if (name === undefined) return models[0]!
  const m = models.find((x) => x.name === name)
  if (m === undefined) {
    throw new StoreError(
      `no embeddings of a model "${name}" in "${dataset.name}" (there are: ${[...new Set(models.map((x) => x.name))].join(', ')})`,
    )
  }
  return m
}

/**
 * Loads a probe's films [PR1]-[PR2]: the images of the dataset with a vector of the embedding
 * model, labelled for the finding (a derived finding: the union of its parts, [M9]). Positives
 * have the label 1; uncertain labels (-1) are left out and counted. Negatives are every other
 * film (`all`), or only the films with no positive or uncertain label of any labelled finding
 * (`no-finding`: ChestX-ray14's "No Finding", as the opacity experiment used). Vectors are read
 * by lists of image ids straight into one Float32Array, in image id order.
 */
export async function loadProbeData(db: Db, o: ProbeDataOptions): Promise<ProbeData> {
  const dataset = await findDataset(db, o.dataset)
  const findings = await listFindings(db, dataset.id)
  const finding = resolveFinding(findings, o.finding)
  const model = await chooseEmbeddingModel(db, dataset, o.embeddingModel)
  const embedded = await db
    .selectFrom('embedding')
    .innerJoin('image', 'image.id', 'embedding.image_id')
    .select(['image.id', 'image.name', 'image.patient'])
    .where('embedding.model_id', '=', model.id)
    .where('image.dataset_id', '=', dataset.id)
    .orderBy('image.id')
    .execute()
  const total = await db
    .selectFrom('image')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('dataset_id', '=', dataset.id)
    .executeTakeFirstOrThrow()
  const parts = new Set(
    (finding.derivedFrom ?? [finding.name])
      .map((n) => findings.find((f) => f.name === n)?.id)
      .filter((id): id is number => id !== undefined),
  )
  const labelled = new Set(findings.filter((f) => f.derivedFrom === null).map((f) => f.id))
  const noFinding = findings.find((f) => f.name.toLowerCase() === 'no finding')?.id
  const labelRows = await db
    .selectFrom('label')
    .innerJoin('image', 'image.id', 'label.image_id')
    .select(['label.image_id', 'label.finding_id', 'label.value'])
    .where('image.dataset_id', '=', dataset.id)
    .where('label.value', '!=', 0)
    .execute()
  const own = new Map<number, number>() // image -> derived label of the finding (1 or -1)
  const other = new Set<number>() // images with a positive or uncertain label of any finding
  for (const r of labelRows) {
    if (parts.has(r.finding_id)) {
      if (r.value === 1 || !own.has(r.image_id)) own.set(r.image_id, r.value === 1 ? 1 : -1)
    }
    if (labelled.has(r.finding_id) && r.finding_id !== noFinding) other.add(r.image_id)
  }
  let excludedUncertain = 0
  let excludedOtherFindings = 0
  const keep: typeof embedded = []
  const labels: number[] = []
  for (const im of embedded) {
    const v = own.get(im.id) ?? 0
    if (v === -1) excludedUncertain++
    else if (v === 0 && o.negatives === 'none') continue
    else if (v === 0 && o.negatives === 'no-finding' && other.has(im.id)) excludedOtherFindings++
    else {
      keep.push(im)
      labels.push(v)
    }
  }
  const d = model.dimensions
  const bytes = keep.length * d * 4
  const vectors = new Float32Array(o.allocate?.(bytes) ?? new ArrayBuffer(bytes))
  await readVectors(
    db,
    model,
    Int32Array.from(keep, (k) => k.id),
    vectors,
  )
  return {
    dataset,
    finding,
    embeddingModel: model,
    imageIds: Int32Array.from(keep, (k) => k.id),
    names: keep.map((k) => k.name),
    patients: keep.map((k) => k.patient),
    labels: Uint8Array.from(labels),
    vectors,
    excludedUncertain,
    excludedOtherFindings,
    withoutEmbedding: Number(total.n) - embedded.length,
  }
}

/**
 * Copies the vectors of `ids` (ascending) into `out`, row i the vector of ids[i]: read by
 * lists of ids, each blob copied straight into place.
 */
export async function readVectors(
  db: Db,
  model: EmbeddingModelRow,
  ids: Int32Array,
  out: Float32Array,
): Promise<void> {
  const d = model.dimensions
  const bytes = new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
  const rowOf = new Map<number, number>()
  ids.forEach((id, i) => rowOf.set(id, i))
  let found = 0
  for (let k = 0; k < ids.length; k += ID_CHUNK) {
    const chunk = await db
      .selectFrom('embedding')
      .select(['image_id', 'vector'])
      .where('model_id', '=', model.id)
      .where('image_id', 'in', Array.from(ids.subarray(k, k + ID_CHUNK)))
      .execute()
    for (const r of chunk) {
      if (r.vector.byteLength !== d * 4) {
        throw new StoreError(
          `the embedding of image ${r.image_id} has ${r.vector.byteLength} bytes, expected ${d * 4}`,
        )
      }
      bytes.set(r.vector, rowOf.get(r.image_id)! * d * 4)
      found++
    }
  }
  if (found !== ids.length) throw new StoreError(`${ids.length - found} vectors went missing`)
}
