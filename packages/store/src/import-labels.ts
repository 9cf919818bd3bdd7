import type { Problem } from '@cxr-audit/core'
import { findReader } from './readers.ts'
import type { Store, Tx } from './store.ts'

// The original-label half of writing an import: labels, boxes and import problems, each
// written only where it differs from the stored state (docs/decisions/003).

/**
 * Original labels as three growing columns: a 200k-image file with 14 dense labels is millions
 * of entries, which as one small array each would cost more to build than to store.
 */
export class LabelRows {
  #image = new Int32Array(1024)
  #finding = new Int32Array(1024)
  #value = new Int8Array(1024)
  #length = 0

  get length(): number {
    return this.#length
  }

  /** One stored label: 1 positive, -1 uncertain (0 for formats that state negatives). */
  push(imageId: number, findingId: number, value: number): void {
    if (this.#length === this.#image.length) {
      const grow = <T extends Int32Array | Int8Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2)
        b.set(a)
        return b
      }
      this.#image = grow(this.#image, (n) => new Int32Array(n))
      this.#finding = grow(this.#finding, (n) => new Int32Array(n))
      this.#value = grow(this.#value, (n) => new Int8Array(n))
    }
    const i = this.#length++
    this.#image[i] = imageId
    this.#finding[i] = findingId
    this.#value[i] = value
  }

  /** The columns (image_id, finding_id, value), trimmed to the length. */
  columns(): [Int32Array, Int32Array, Int8Array] {
    const n = this.#length
    return [this.#image.subarray(0, n), this.#finding.subarray(0, n), this.#value.subarray(0, n)]
  }
}

const LABEL_COLUMNS = ['image_id', 'finding_id', 'value'] as const
/** Finding ids stay far below this; a numeric key beats a string key for millions of labels. */
const KEY = 2 ** 21

/**
 * Writes the labels of a dataset's images: all of them on a new dataset; otherwise only the
 * differences (changed values are deleted and inserted again: a label row has no id). Returns
 * how many label rows changed.
 */
export async function syncLabels(
  store: Store,
  tx: Tx,
  datasetId: number,
  labels: LabelRows,
  fresh: boolean,
): Promise<number> {
  const [image, finding, value] = labels.columns()
  if (fresh) {
    await store.bulk.insertColumns(tx, 'label', LABEL_COLUMNS, [image, finding, value])
    return labels.length
  }
  const stored = await store.bulk.selectArrays(
    tx,
    tx
      .selectFrom('label')
      .innerJoin('image', 'image.id', 'label.image_id')
      .select(['label.image_id', 'label.finding_id', 'label.value'])
      .where('image.dataset_id', '=', datasetId),
  )
  const old = new Map<number, number>()
  for (const [i, f, v] of stored as [number, number, number][]) {
    if (f >= KEY) throw new Error(`finding id ${f} is beyond the label key range`)
    old.set(i * KEY + f, v)
  }
  const insert = new LabelRows()
  const remove = new LabelRows()
  for (let k = 0; k < labels.length; k++) {
    const key = image[k]! * KEY + finding[k]!
    const was = old.get(key)
    if (was === value[k]) {
      old.delete(key)
      continue
    }
    if (was !== undefined) {
      old.delete(key)
      remove.push(image[k]!, finding[k]!, 0)
    }
    insert.push(image[k]!, finding[k]!, value[k]!)
  }
  // labels of images that are no longer labelled so (or no longer there)
  for (const key of old.keys()) remove.push(Math.floor(key / KEY), key % KEY, 0)
  const [ri, rf] = remove.columns()
  await store.bulk.deleteKeys(tx, 'label', ['image_id', 'finding_id'], [ri, rf])
  await store.bulk.insertColumns(tx, 'label', LABEL_COLUMNS, insert.columns())
  return insert.length + old.size
}

/** One bounding box: image and finding ids, then x, y, w, h in pixels of the original image. */
export type BoxRow = readonly [number, number, number, number, number, number]

/** Replaces the dataset's boxes only when they differ (box ids stay stable otherwise). */
export async function syncBoxes(
  store: Store,
  tx: Tx,
  datasetId: number,
  boxes: readonly BoxRow[],
): Promise<number> {
  const stored = await store.bulk.selectArrays(
    tx,
    tx
      .selectFrom('box')
      .innerJoin('image', 'image.id', 'box.image_id')
      .select(['box.image_id', 'box.finding_id', 'box.x', 'box.y', 'box.w', 'box.h'])
      .where('image.dataset_id', '=', datasetId)
      .orderBy('box.id'),
  )
  const same =
    stored.length === boxes.length && stored.every((b, i) => b.every((v, k) => v === boxes[i]![k]))
  if (same) return 0
  if (stored.length > 0)
    await tx
      .deleteFrom('box')
      .where(
        'id',
        'in',
        tx
          .selectFrom('box')
          .innerJoin('image', 'image.id', 'box.image_id')
          .select('box.id')
          .where('image.dataset_id', '=', datasetId),
      )
      .execute()
  await store.bulk.insert(tx, 'box', ['image_id', 'finding_id', 'x', 'y', 'w', 'h'], boxes)
  return stored.length + boxes.length
}

/** Replaces the stored problems of an import only when they differ. Returns rows changed. */
export async function syncImportProblems(
  store: Store,
  tx: Tx,
  datasetId: number,
  problems: readonly Problem[],
): Promise<number> {
  const rows = problems.map((p) => [
    datasetId,
    p.kind,
    p.description,
    p.count,
    JSON.stringify(p.examples),
  ])
  const stored = await store.bulk.selectArrays(
    tx,
    tx
      .selectFrom('import_problem')
      .select(['dataset_id', 'kind', 'description', 'count', 'examples'])
      .where('dataset_id', '=', datasetId)
      .orderBy('id'),
  )
  const same =
    stored.length === rows.length &&
    stored.every((p, i) => JSON.stringify(p) === JSON.stringify(rows[i]))
  if (same) return 0
  await tx.deleteFrom('import_problem').where('dataset_id', '=', datasetId).execute()
  await store.bulk.insert(
    tx,
    'import_problem',
    ['dataset_id', 'kind', 'description', 'count', 'examples'],
    rows,
  )
  return stored.length + rows.length
}

/** A box drawn by a named reader: reader, then image and finding ids, x, y, w, h. */
export type ReaderBoxRow = readonly [string, number, number, number, number, number, number]

/**
 * Replaces the boxes the dataset's files give its readers (VinDr-CXR's radiologists) only when
 * they differ; the readers exist already (their verdicts are written first). Returns rows changed.
 */
export async function syncReaderBoxes(
  store: Store,
  tx: Tx,
  datasetId: number,
  boxes: readonly ReaderBoxRow[],
): Promise<number> {
  const ids = new Map<string, number>()
  for (const name of new Set(boxes.map((b) => b[0]))) {
    const reader = await findReader(tx, name)
    if (reader === undefined) throw new Error(`no reader "${name}" for its boxes`)
    ids.set(name, reader.id)
  }
  const rows = boxes.map(([name, ...rest]) => [ids.get(name)!, ...rest])
  const ofDataset = tx
    .selectFrom('reader_box')
    .innerJoin('image', 'image.id', 'reader_box.image_id')
    .where('image.dataset_id', '=', datasetId)
  const stored = await store.bulk.selectArrays(
    tx,
    ofDataset
      .select([
        'reader_box.reader_id',
        'reader_box.image_id',
        'reader_box.finding_id',
        'reader_box.x',
        'reader_box.y',
        'reader_box.w',
        'reader_box.h',
      ])
      .orderBy('reader_box.id'),
  )
  const same =
    stored.length === rows.length && stored.every((b, i) => b.every((v, k) => v === rows[i]![k]))
  if (same) return 0
  if (stored.length > 0)
    await tx.deleteFrom('reader_box').where('id', 'in', ofDataset.select('reader_box.id')).execute()
  await store.bulk.insert(
    tx,
    'reader_box',
    ['reader_id', 'image_id', 'finding_id', 'x', 'y', 'w', 'h'],
    rows,
  )
  return stored.length + rows.length
}
