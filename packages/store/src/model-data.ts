import { resolveFindingNames } from '@cxr-audit/core'
import { listFindings, type DatasetRow, type FindingRow } from './datasets.ts'
import { chunkIds } from './label-schema.ts'
import { selectNumberColumns, selectRows } from './fast-reads.ts'
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
  const [imageOf, findingOf, scoreOf] = await selectNumberColumns(
    db,
    db
      .selectFrom('prediction')
      .select(['image_id', 'finding_id', 'score'])
      .where('model_id', '=', model.id),
    3,
  )
  // one pass for the image index (in the order images first appear, as the rows come), one for
  // the columns; rows come grouped by finding
  const rowCount = scoreOf!.length
  const index = new IdIndex(imageOf!)
  const rowImage = new Int32Array(rowCount)
  for (let r = 0; r < rowCount; r++) rowImage[r] = index.add(imageOf![r]!)
  const indexOf = index.map
  const n = indexOf.size
  const stored = new Map<number, Float64Array>()
  let column: Float64Array = new Float64Array(0)
  let columnOf = -1
  for (let r = 0; r < rowCount; r++) {
    const f = findingOf![r]!
    if (f !== columnOf) {
      columnOf = f
      let c = stored.get(columnOf)
      if (c === undefined) stored.set(columnOf, (c = new Float64Array(n).fill(NaN)))
      column = c
    }
    column[rowImage[r]!] = scoreOf![r]!
  }
  const images = await loadImages(db, dataset.id, indexOf)
  const labelRows = await labelsOf(db, [...indexOf.keys()])
  const storedLabels = new Map<number, Int8Array>()
  for (let r = 0; r < labelRows.image.length; r++) {
    const i = index.get(labelRows.image[r]!)
    if (i === undefined) continue
    const f = labelRows.finding[r]!
    let column = storedLabels.get(f)
    if (column === undefined) {
      column = new Int8Array(n)
      storedLabels.set(f, column)
    }
    column[i] = labelRows.value[r]!
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
): Promise<{ image: Float64Array; finding: Float64Array; value: Float64Array }> {
  const parts: Float64Array[][] = []
  for (let k = 0; k < ids.length; k += ID_CHUNK) {
    const query = db
      .selectFrom('label')
      .select(['image_id', 'finding_id', 'value'])
      .where('image_id', 'in', ids.slice(k, k + ID_CHUNK))
    parts.push(await selectNumberColumns(db, query, 3))
  }
  const [image, finding, value] = [0, 1, 2].map((c) => concat(parts.map((p) => p[c]!)))
  return { image: image!, finding: finding!, value: value! }
}

function concat(arrays: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(arrays.reduce((a, x) => a + x.length, 0))
  let at = 0
  for (const a of arrays) {
    out.set(a, at)
    at += a.length
  }
  return out
}

/**
 * Image id -> index in order of first appearance: a Map, and for the per-row lookups over a
 * model's predictions a typed array by id when the ids are small (they are serial).
 */
class IdIndex {
  readonly map = new Map<number, number>()
  private readonly dense: Int32Array | null
  constructor(ids: Float64Array) {
    let top = 0
    for (let r = 0; r < ids.length; r++) if (ids[r]! > top) top = ids[r]!
    this.dense =
      Number.isInteger(top) && top < 4 * ids.length + 1_000_000
        ? new Int32Array(top + 1).fill(-1)
        : null
  }
  add(id: number): number {
    const d = this.dense
    if (d !== null && id >= 0 && id < d.length && Number.isInteger(id)) {
      let i = d[id]!
      if (i < 0) {
        i = d[id] = this.map.size
        this.map.set(id, i)
      }
      return i
    }
    let i = this.map.get(id)
    if (i === undefined) this.map.set(id, (i = this.map.size))
    return i
  }
  get(id: number): number | undefined {
    const d = this.dense
    if (d !== null && id >= 0 && id < d.length && Number.isInteger(id)) {
      const i = d[id]!
      return i < 0 ? undefined : i
    }
    return this.map.get(id)
  }
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
  // loop over the prediction key per image, minutes on PostgreSQL before it has statistics; the
  // dataset is checked here, not in the query: with `dataset_id = ?` SQLite walks the dataset's
  // whole (dataset_id, name) index instead of looking the ids up, 6x slower (decisions/045)
  const q = db
    .selectFrom('image')
    .select(['id', 'dataset_id', 'name', 'age', 'sex', 'view', 'split', 'patient', 'on_disk'])
  let found = 0
  for (const chunk of chunkIds([...indexOf.keys()], ID_CHUNK)) {
    for (const r of await selectRows(db, q.where('id', 'in', chunk))) {
      const i = indexOf.get(r[0] as number)
      if (i === undefined || r[1] !== datasetId) continue
      found++
      ids[i] = r[0] as number
      names[i] = r[2] as string
      age[i] = r[3] as number | null
      sex[i] = r[4] as string
      view[i] = r[5] as string
      split[i] = r[6] as string | null
      patient[i] = r[7] as string
      onDisk[i] = r[8] === 1 ? 1 : 0
    }
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
