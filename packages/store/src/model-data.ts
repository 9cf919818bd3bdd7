import { resolveFindingNames } from '@cxr-audit/core'
import { listFindings, type DatasetRow, type FindingRow } from './datasets.ts'
import { chunkIds } from './label-schema.ts'
import type { ModelRow } from './model-predictions.ts'
import { StoreError, type Db } from './store.ts'

/** How a finding's score was obtained [M9]. */
export type ScoreSource = 'model' | 'max-of-parts'

/** The images a model scored, index-aligned with every array below. */
export interface ModelImages {
  readonly ids: Int32Array
  readonly names: readonly string[]
  readonly age: readonly (number | null)[]
  readonly sex: readonly string[]
  readonly view: readonly string[]
  readonly split: readonly (string | null)[]
  /** The patient of each film (clusters for `eval --cluster patient` [M44]). */
  readonly patient: readonly string[]
  readonly onDisk: Uint8Array
  /** image id -> index. */
  readonly indexOf: ReadonlyMap<number, number>
}

/** A model's scores and the original labels of its images, loaded once for one evaluation. */
export interface ModelData {
  readonly model: ModelRow
  readonly dataset: DatasetRow
  readonly findings: readonly FindingRow[]
  readonly images: ModelImages
  /** Findings the model can score, labelled and derived, in the dataset's order. */
  readonly scorable: readonly FindingRow[]
  /** Scores per finding, NaN where the model gave none (stored or max of parts [M9]). */
  scores(finding: FindingRow): Float64Array
  scoreSource(finding: FindingRow): ScoreSource
  /** Original labels per finding: 1, 0, -1 (a derived one: the union of its parts). */
  labels(finding: FindingRow): Int8Array
}

/** Loads everything an evaluation or a gallery needs about a model, in a few queries. */
export async function loadModelData(
  db: Db,
  model: ModelRow,
  dataset: DatasetRow,
): Promise<ModelData> {
  const findings = await listFindings(db, dataset.id)
  const predictions = await db
    .selectFrom('prediction')
    .select(['image_id', 'finding_id', 'score'])
    .where('model_id', '=', model.id)
    .execute()
  // one pass for the image index, one for the columns; rows come grouped by finding
  const indexOf = new Map<number, number>()
  const rowImage = new Int32Array(predictions.length)
  for (let r = 0; r < predictions.length; r++) {
    const id = predictions[r]!.image_id
    let i = indexOf.get(id)
    if (i === undefined) indexOf.set(id, (i = indexOf.size))
    rowImage[r] = i
  }
  const n = indexOf.size
  const stored = new Map<number, Float64Array>()
  let column: Float64Array = new Float64Array(0)
  let columnOf = -1
  for (let r = 0; r < predictions.length; r++) {
    const p = predictions[r]!
    if (p.finding_id !== columnOf) {
      columnOf = p.finding_id
      let c = stored.get(columnOf)
      if (c === undefined) stored.set(columnOf, (c = new Float64Array(n).fill(NaN)))
      column = c
    }
    column[rowImage[r]!] = p.score
  }
  const images = await loadImages(db, dataset.id, indexOf)
  const labelRows = await labelsOf(db, [...indexOf.keys()])
  const storedLabels = new Map<number, Int8Array>()
  for (const l of labelRows) {
    const i = indexOf.get(l.image_id)
    if (i === undefined) continue
    let column = storedLabels.get(l.finding_id)
    if (column === undefined) {
      column = new Int8Array(n)
      storedLabels.set(l.finding_id, column)
    }
    column[i] = l.value
  }
  const byName = new Map(findings.map((f) => [f.name, f]))
  const partsOf = (f: FindingRow): FindingRow[] =>
    (f.derivedFrom ?? []).map((p) => byName.get(p)).filter((p): p is FindingRow => p !== undefined)
  const scoreCache = new Map<number, Float64Array>()
  const scores = (f: FindingRow): Float64Array => {
    const direct = stored.get(f.id)
    if (direct !== undefined) return direct
    let cached = scoreCache.get(f.id)
    if (cached !== undefined) return cached
    cached = new Float64Array(n).fill(NaN)
    const parts = partsOf(f).map((p) => stored.get(p.id))
    if (f.derivedFrom !== null && parts.length > 0 && parts.every((p) => p !== undefined)) {
      for (let i = 0; i < n; i++) {
        let best = -Infinity
        for (const p of parts) best = Math.max(best, p![i]!)
        cached[i] = best
      }
    }
    scoreCache.set(f.id, cached)
    return cached
  }
  const labels = (f: FindingRow): Int8Array => {
    if (f.derivedFrom === null) return storedLabels.get(f.id) ?? new Int8Array(n)
    const parts = partsOf(f).map((p) => storedLabels.get(p.id) ?? new Int8Array(n))
    const out = new Int8Array(n)
    for (let i = 0; i < n; i++) {
      let v = 0
      for (const p of parts) {
        if (p[i] === 1) {
          v = 1
          break
        }
        if (p[i] === -1) v = -1
      }
      out[i] = v
    }
    return out
  }
  const scorable = findings.filter(
    (f) =>
      stored.has(f.id) ||
      (f.derivedFrom !== null &&
        f.derivedFrom.length > 0 &&
        partsOf(f).length === f.derivedFrom.length &&
        partsOf(f).every((p) => stored.has(p.id))),
  )
  return {
    model,
    dataset,
    findings,
    images,
    scorable,
    scores,
    scoreSource: (f) => (stored.has(f.id) ? 'model' : 'max-of-parts'),
    labels,
  }
}

/** Ids per query: far under SQLite's and PostgreSQL's parameter limits. */
const ID_CHUNK = 5000

/**
 * The original labels of the given images, by lists of ids: cheaper than a subquery over the
 * predictions, which has a row per image and finding.
 */
async function labelsOf(
  db: Db,
  ids: readonly number[],
): Promise<{ image_id: number; finding_id: number; value: number }[]> {
  const rows: { image_id: number; finding_id: number; value: number }[] = []
  for (let k = 0; k < ids.length; k += ID_CHUNK) {
    const chunk = await db
      .selectFrom('label')
      .select(['image_id', 'finding_id', 'value'])
      .where('image_id', 'in', ids.slice(k, k + ID_CHUNK))
      .execute()
    for (const row of chunk) rows.push(row)
  }
  return rows
}

async function loadImages(
  db: Db,
  datasetId: number,
  indexOf: ReadonlyMap<number, number>,
): Promise<ModelImages> {
  const n = indexOf.size
  const ids = new Int32Array(n)
  const names: string[] = new Array<string>(n)
  const age: (number | null)[] = new Array<number | null>(n)
  const sex: string[] = new Array<string>(n)
  const view: string[] = new Array<string>(n)
  const split: (string | null)[] = new Array<string | null>(n)
  const patient: string[] = new Array<string>(n)
  const onDisk = new Uint8Array(n)
  // by lists of ids: `id in (select image_id from prediction ...)` can be planned as a nested
  // loop over the prediction key per image, minutes on PostgreSQL before it has statistics
  const q = db
    .selectFrom('image')
    .select(['id', 'name', 'age', 'sex', 'view', 'split', 'patient', 'on_disk'])
    .where('dataset_id', '=', datasetId)
  const rows: Awaited<ReturnType<typeof q.execute>> = []
  for (const chunk of chunkIds([...indexOf.keys()], ID_CHUNK))
    for (const r of await q.where('id', 'in', chunk).execute()) rows.push(r)
  let found = 0
  for (const r of rows) {
    const i = indexOf.get(r.id)
    if (i === undefined) continue
    found++
    ids[i] = r.id
    names[i] = r.name
    age[i] = r.age
    sex[i] = r.sex
    view[i] = r.view
    split[i] = r.split
    patient[i] = r.patient
    onDisk[i] = r.on_disk === 1 ? 1 : 0
  }
  if (found !== n) throw new StoreError(`${n - found} predicted images are not in the dataset`)
  return { ids, names, age, sex, view, split, patient, onDisk, indexOf }
}

/**
 * Resolves `--finding` names (any spelling FindingNames accepts) among the findings a model can
 * score; unknown or unscorable names are a StoreError listing the scorable ones.
 */
export function resolveModelFindings(data: ModelData, names: readonly string[]): FindingRow[] {
  const known = data.scorable.map((x) => x.name).join(', ')
  return resolveFindingNames(data.findings, names, {
    among: data.scorable,
    unknown: (raw, name) =>
      new StoreError(
        name === undefined
          ? `unknown finding "${raw}" (the model scores: ${known})`
          : `the model "${data.model.name}" has no scores for ${name} (it scores: ${known})`,
      ),
  }).found
}
