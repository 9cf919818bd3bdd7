import {
  CXR14_FINDINGS,
  Cxr14MetadataParser,
  NO_FINDING,
  ProblemList,
  type ImageRecord,
  type Problem,
  type RowError,
} from '@cxr-audit/core'
import type { ImageColumns } from '@cxr-audit/store'
import {
  asFileError,
  BadRowsError,
  listSkippedRows,
  readCxr14,
  readRest,
  readSplitLists,
  splitOfName,
  type Cxr14ImportOptions,
  type ReadAhead,
} from './cxr14-read.ts'
import { readSummary, type ReadSummary } from './cxr14-summary.ts'
import { InputFileError, scanImageFolders, streamText } from './files.ts'
import {
  CodeColumn,
  NumberColumn,
  packedBuffers,
  unpackColumn,
  type PackedColumn,
} from './packed-columns.ts'
import { NameIndex, NameIndexBuilder } from './name-index.ts'

// The read half of a CXR14 import into a new dataset, as a stream: rows go out in batches while
// the file is still being read, so that a worker thread can parse while the main thread writes
// (docs/decisions/047). It reads and checks exactly what readCxr14 does.

/** The findings a CXR14 label can name, in the order batches number them. */
export const CXR14_LABELLED: readonly string[] = [...CXR14_FINDINGS, NO_FINDING]

/**
 * Rows per batch: large enough that a message costs little; the first is small, so that the
 * writes start as soon as the first rows are read.
 */
const BATCH = 4096
const FIRST_BATCH = 1024

/** One run of new images (packed columns) and their labels (`labelRow` is the row within it). */
export interface Cxr14Batch {
  readonly columns: { readonly [K in keyof ImageColumns]: PackedColumn | null }
  readonly labelRow: Int32Array
  /** Index into CXR14_LABELLED. */
  readonly labelFinding: Uint8Array
  readonly labelValue: Int8Array
}

export interface Cxr14StreamEnd {
  readonly images: number
  readonly problems: Problem[]
  /** Boxes by image position in the stream, or null when no box list was given. */
  readonly boxes:
    { index: number; finding: string; x: number; y: number; w: number; h: number }[] | null
  readonly skipped: number
}

/** What a streamed read says, in order: start, batches, end, summary (or it throws). */
export type Cxr14Message =
  | { readonly kind: 'start'; readonly roots: string[] | null }
  | { readonly kind: 'batch'; readonly batch: Cxr14Batch }
  | {
      readonly kind: 'progress'
      readonly stage: string
      readonly done: number
      readonly total: number
    }
  | { readonly kind: 'end'; readonly end: Cxr14StreamEnd }
  | { readonly kind: 'summary'; readonly summary: ReadSummary }

/** The options a streamed read takes: plain data, so that they can go to a worker thread. */
export type Cxr14StreamOptions = Omit<
  Cxr14ImportOptions,
  'onProgress' | 'onTiming' | 'source' | 'stream'
>

/**
 * Reads a CXR14 import and sends it as messages. Throws what readCxr14 throws, in the same
 * order: the split lists and folders are read first (each row needs its split and file), and
 * if one of them fails the files are read again in readCxr14's order for the error it gives.
 */
export async function streamCxr14(
  o: Cxr14StreamOptions,
  send: (m: Cxr14Message, transfer?: ArrayBuffer[]) => void,
): Promise<void> {
  let ahead: ReadAhead
  try {
    const given = o.trainList !== undefined || o.testList !== undefined
    ahead = {
      lists: given ? await readSplitLists(o) : null,
      scan: o.images !== undefined && o.images.length > 0 ? await scanImageFolders(o.images) : null,
    }
  } catch (e) {
    await readCxr14(o)
    throw e
  }
  send({ kind: 'start', roots: ahead.scan === null ? null : ahead.scan.roots })
  const splitOf = ahead.lists === null ? null : splitOfName(ahead.lists)
  const files = ahead.scan === null ? null : ahead.scan.files
  const skip = o.skipBadRows === true

  const parser = new Cxr14MetadataParser(o.metadata)
  const built = new NameIndexBuilder()
  const kept: ImageRecord[] = []
  const duplicates: ImageRecord[] = []
  let pending: ImageRecord[] = []
  let cursor = 0
  let batchSize = FIRST_BATCH
  const flush = (): void => {
    // once a row is malformed (and not skipped) the import fails: nothing more to write
    if (pending.length > 0 && (skip || parser.errors.length === 0)) {
      const batch = toBatch(pending, splitOf, files)
      send({ kind: 'batch', batch }, [
        ...Object.values(batch.columns).flatMap((c) => (c === null ? [] : packedBuffers(c))),
        batch.labelRow.buffer as ArrayBuffer,
        batch.labelFinding.buffer as ArrayBuffer,
        batch.labelValue.buffer as ArrayBuffer,
      ])
    }
    pending = []
    batchSize = BATCH
  }
  // the first row of each name is kept, as readCxr14 keeps it
  const drain = (): void => {
    const all = parser.records
    for (; cursor < all.length; cursor++) {
      const r = all[cursor]!
      if (!built.add(r.name)) {
        duplicates.push(r)
        continue
      }
      kept.push(r)
      pending.push(r)
    }
    if (pending.length >= batchSize) flush()
  }
  try {
    await streamText(
      o.metadata,
      (t) => {
        parser.push(t)
        drain()
      },
      (done, total) => send({ kind: 'progress', stage: 'metadata', done, total }),
    )
  } catch (e) {
    throw asFileError(e)
  }
  let errors: RowError[]
  try {
    errors = parser.end().errors
  } catch (e) {
    throw asFileError(e)
  }
  drain()
  if (errors.length > 0 && !skip) throw new BadRowsError(errors)
  flush()
  const problems = new ProblemList()
  listSkippedRows(problems, errors)
  for (const r of duplicates)
    problems.add(
      'duplicate-image',
      'the same image name appears twice (the first row is kept)',
      `${r.name} (line ${r.line})`,
    )
  const seen = new NameIndex(
    kept.map((r) => r.name),
    built,
  )
  const input = await readRest(o, { records: kept, seen, errors, problems }, ahead)
  send({
    kind: 'end',
    end: {
      images: kept.length,
      problems: input.problems.list(),
      boxes:
        input.boxes === null
          ? null
          : input.boxes.map((b) => ({
              index: seen.get(b.image)!,
              finding: b.finding,
              x: b.x,
              y: b.y,
              w: b.w,
              h: b.h,
            })),
      skipped: input.skipped.length,
    },
  })
  // after the end: the main thread writes the boxes and commits meanwhile
  send({ kind: 'summary', summary: readSummary(input) })
}

/** A batch straight from the records: the columns imageColumns makes, packed as they are made. */
function toBatch(
  records: readonly ImageRecord[],
  splitOf: ((name: string) => string | null) | null,
  files: ReadonlyMap<string, string> | null,
): Cxr14Batch {
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
  const path = files === null ? null : new Array<string | null>(n)
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
    split?.set(i, splitOf!(r.name))
    if (path !== null) path[i] = files!.get(r.name) ?? null
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
      labelFinding[k] = LABELLED_INDEX.get(f)!
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

const LABELLED_INDEX = new Map(CXR14_LABELLED.map((f, i) => [f, i]))

/** The image columns of a batch, unpacked. */
export function batchColumns(b: Cxr14Batch): ImageColumns {
  const out = {} as Record<keyof ImageColumns, ArrayLike<unknown> | null>
  for (const [k, v] of Object.entries(b.columns) as [keyof ImageColumns, PackedColumn | null][])
    out[k] = v === null ? null : unpackColumn(v)
  return out as unknown as ImageColumns
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
export interface Cxr14Source {
  /** The next message; throws the read's error (a worker thread's as a SentError). */
  next(): Promise<Cxr14Message>
  /** Waits for the read to finish: its error, or null. */
  outcome(): Promise<unknown>
  /** Stops the read where it can (a worker thread ends; a read in this thread runs out). */
  stop(): void
}

/** The options of a streamed read, from an import's. */
export function streamOptions(o: Cxr14ImportOptions): Cxr14StreamOptions {
  return {
    metadata: o.metadata,
    bbox: o.bbox,
    images: o.images,
    trainList: o.trainList,
    testList: o.testList,
    name: o.name,
    skipBadRows: o.skipBadRows,
  }
}

/**
 * The streamed read in this thread: the whole read runs first (one thread cannot read while it
 * writes), then its messages are taken in order, exactly as from a worker thread.
 */
export function readInThisThread(o: Cxr14StreamOptions): Cxr14Source {
  const messages: Cxr14Message[] = []
  const done = streamCxr14(o, (m) => messages.push(m)).then(
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
      messages[next++] = undefined as unknown as Cxr14Message
      return m
    },
    outcome: () => done,
    stop: () => {},
  }
}
