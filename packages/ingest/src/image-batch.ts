import type { ImageRecord, RowError } from '@cxr-audit/core'
import {
  appendImages,
  LabelRows,
  syncLabels,
  type ImageColumns,
  type Store,
  type Tx,
} from '@cxr-audit/store'
import { BadRowsError } from './cxr14-read.ts'
import { InputFileError } from './files.ts'
import {
  CodeColumn,
  NumberColumn,
  packedBuffers,
  unpackColumn,
  type PackedColumn,
} from './packed-columns.ts'

// What the streamed imports of a new dataset share (docs/decisions/047, 048): a batch of new
// images and their labels packed to cross threads, its write, the errors as plain data, and the
// stream read in this thread.

/** One run of new images (packed columns) and their labels (`labelRow` is the row within it). */
export interface ImageBatch {
  readonly columns: { readonly [K in keyof ImageColumns]: PackedColumn | null }
  readonly labelRow: Int32Array
  /** Index into the stream's list of findings. */
  readonly labelFinding: Uint8Array
  readonly labelValue: Int8Array
}

/**
 * A batch straight from the records: the columns syncImages makes, packed as they are made.
 * `splitOf` and `pathOf` are null when that source was not given.
 */
export function packImageBatch(
  records: readonly ImageRecord[],
  splitOf: ((r: ImageRecord) => string | null) | null,
  pathOf: ((r: ImageRecord) => string | null) | null,
  findingIndex: ReadonlyMap<string, number>,
): ImageBatch {
  const n = records.length
  const name = new Array<string>(n)
  const patient = new Array<string>(n)
  const [age, followUp, width, height, spacingX, spacingY] = [0, 0, 0, 0, 0, 0].map(
    () => new NumberColumn(n),
  ) as [NumberColumn, NumberColumn, NumberColumn, NumberColumn, NumberColumn, NumberColumn]
  const [sex, view, raw, study] = [0, 0, 0, 0].map(() => new CodeColumn(n)) as [
    CodeColumn,
    CodeColumn,
    CodeColumn,
    CodeColumn,
  ]
  const split = splitOf === null ? null : new CodeColumn(n)
  const path = pathOf === null ? null : new Array<string | null>(n)
  // parsers share one label list between rows with the same labels: join each list once
  const joined = new Map<readonly string[], string>()
  let labelCount = 0
  for (let i = 0; i < n; i++) {
    const r = records[i]!
    name[i] = r.name
    patient[i] = r.patient
    age.set(i, r.age)
    sex.set(i, r.sex)
    view.set(i, r.view)
    followUp.set(i, r.followUp)
    width.set(i, r.width)
    height.set(i, r.height)
    spacingX.set(i, r.spacingX)
    spacingY.set(i, r.spacingY)
    split?.set(i, splitOf!(r))
    if (path !== null) path[i] = pathOf!(r)
    let j = joined.get(r.rawLabels)
    if (j === undefined) {
      j = r.rawLabels.join('|')
      joined.set(r.rawLabels, j)
    }
    raw.set(i, j)
    study.set(i, r.study ?? null)
    labelCount += r.labels.size
  }
  const labelRow = new Int32Array(labelCount)
  const labelFinding = new Uint8Array(labelCount)
  const labelValue = new Int8Array(labelCount)
  let k = 0
  for (let i = 0; i < n; i++) {
    for (const [f, v] of records[i]!.labels) {
      labelRow[k] = i
      labelFinding[k] = findingIndex.get(f)!
      labelValue[k++] = v
    }
  }
  const plain = (values: unknown[]): PackedColumn => ({ kind: 'plain', values })
  return {
    columns: {
      name: plain(name),
      patient: plain(patient),
      age: age.packed(),
      sex: sex.packed(),
      view: view.packed(),
      followUp: followUp.packed(),
      width: width.packed(),
      height: height.packed(),
      spacingX: spacingX.packed(),
      spacingY: spacingY.packed(),
      split: split === null ? null : split.packed(),
      path: path === null ? null : plain(path),
      rawLabels: raw.packed(),
      study: study.packed(),
    },
    labelRow,
    labelFinding,
    labelValue,
  }
}

/** The buffers a batch hands over to the other thread instead of copying them. */
export function batchTransfer(b: ImageBatch): ArrayBuffer[] {
  return [
    ...Object.values(b.columns).flatMap((c) => (c === null ? [] : packedBuffers(c))),
    b.labelRow.buffer as ArrayBuffer,
    b.labelFinding.buffer as ArrayBuffer,
    b.labelValue.buffer as ArrayBuffer,
  ]
}

/** The image columns of a batch, unpacked. */
export function batchColumns(b: ImageBatch): ImageColumns {
  const out = {} as Record<keyof ImageColumns, ArrayLike<unknown> | null>
  for (const [k, v] of Object.entries(b.columns) as [keyof ImageColumns, PackedColumn | null][])
    out[k] = v === null ? null : unpackColumn(v)
  return out as unknown as ImageColumns
}

/**
 * Inserts a batch's images (ids after what the transaction has written) and their labels
 * (`findingIds[k]` is the id of the stream's finding k); returns the images' ids, in order.
 */
export async function appendImageBatch(
  store: Store,
  tx: Tx,
  datasetId: number,
  b: ImageBatch,
  findingIds: readonly number[],
): Promise<Int32Array> {
  const ids = await appendImages(store, tx, datasetId, batchColumns(b))
  const labels = new LabelRows()
  for (let k = 0; k < b.labelRow.length; k++)
    labels.push(ids[b.labelRow[k]!]!, findingIds[b.labelFinding[k]!]!, b.labelValue[k]!)
  await syncLabels(store, tx, datasetId, labels, true)
  return ids
}

/** An error thrown in a worker thread, as plain data for postMessage. */
export interface SentError {
  readonly sentError: true
  readonly name: string
  readonly message: string
  readonly file?: string
  readonly errors?: readonly RowError[]
  readonly stack?: string
}

export function sendableError(e: unknown): SentError {
  if (e instanceof BadRowsError)
    return { sentError: true, name: e.name, message: e.message, errors: e.errors }
  if (e instanceof InputFileError)
    return {
      sentError: true,
      name: e.name,
      message: e.message.slice(e.file.length + 2),
      file: e.file,
    }
  const err = e instanceof Error ? e : new Error(String(e))
  return {
    sentError: true,
    name: err.name,
    message: err.message,
    ...(err.stack === undefined ? {} : { stack: err.stack }),
  }
}

/** An error as the same-thread read throws it: a worker thread's sent error becomes its class. */
export function receivedError(e: unknown): unknown {
  if (typeof e !== 'object' || e === null || !('sentError' in e)) return e
  const s = e as SentError
  if (s.name === 'BadRowsError' && s.errors !== undefined) return new BadRowsError(s.errors)
  if (s.name === 'InputFileError' && s.file !== undefined)
    return new InputFileError(s.file, s.message)
  const err = new Error(s.message)
  err.name = s.name
  if (s.stack !== undefined) err.stack = s.stack
  return err
}

/** A streamed read under way, in this thread or another. */
export interface StreamSource<M> {
  /** The next message; throws the read's error (a worker thread's as a SentError). */
  next(): Promise<M>
  /** Waits for the read to finish: its error, or null. */
  outcome(): Promise<unknown>
  /** Stops the read where it can (a worker thread ends; a read in this thread runs out). */
  stop(): void
}

/**
 * A streamed read in this thread: the whole read runs first (one thread cannot read while it
 * writes), then its messages are taken in order, exactly as from a worker thread.
 */
export function streamInThisThread<M>(
  stream: (send: (m: M) => void) => Promise<void>,
): StreamSource<M> {
  const messages: M[] = []
  const done = stream((m) => messages.push(m)).then(
    () => null,
    (e: unknown) => e,
  )
  let next = 0
  return {
    async next() {
      const e = await done
      if (e !== null) throw e
      const m = messages[next]
      if (m === undefined) throw new Error('the read ended without its summary')
      messages[next++] = undefined as unknown as M
      return m
    },
    outcome: () => done,
    stop: () => {},
  }
}
