import {
  CXR14_FINDINGS,
  Cxr14MetadataParser,
  NO_FINDING,
  ProblemList,
  type Problem,
  type RowError,
} from '@cxr-audit/core'
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
import { SummaryCounts, type ReadSummary } from './cxr14-summary.ts'
import { scanImageFolders, streamText } from './files.ts'
import {
  batchTransfer,
  streamInThisThread,
  type ImageBatch,
  type StreamSource,
} from './image-batch.ts'
import { ImageBatchBuilder } from './image-batch-builder.ts'
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

/** One run of new images and their labels (finding numbers index CXR14_LABELLED). */
export type Cxr14Batch = ImageBatch

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

  const summary = new SummaryCounts(files !== null)
  const built = new NameIndexBuilder()
  const names: string[] = []
  const duplicates: { name: string; line: number }[] = []
  const batch = new ImageBatchBuilder(FIRST_BATCH, {
    split: splitOf !== null,
    path: files !== null,
    findingIndex: LABELLED_INDEX,
  })
  const sendBatch = (b: Cxr14Batch): void => send({ kind: 'batch', batch: b }, batchTransfer(b))
  // each row is packed as it is read, and a batch goes out as soon as it is full; no record is
  // kept (docs/decisions/052). The first row of each name is kept, as readCxr14 keeps it.
  const parser: Cxr14MetadataParser = new Cxr14MetadataParser(o.metadata, (r) => {
    if (!built.add(r.name)) {
      duplicates.push({ name: r.name, line: r.line })
      return
    }
    names.push(r.name)
    const split = splitOf === null ? null : splitOf(r.name)
    const path = files === null ? null : (files.get(r.name) ?? null)
    summary.add(r, split ?? undefined, path !== null)
    // once a row is malformed (and not skipped) the import fails: nothing more to write
    if (!skip && parser.errors.length > 0) return
    batch.add(r, split, path)
    if (batch.full) sendBatch(batch.take(BATCH))
  })
  try {
    await streamText(
      o.metadata,
      (t) => parser.push(t),
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
  if (errors.length > 0 && !skip) throw new BadRowsError(errors)
  if (batch.length > 0) sendBatch(batch.take(0))
  const problems = new ProblemList()
  listSkippedRows(problems, errors)
  for (const r of duplicates)
    problems.add(
      'duplicate-image',
      'the same image name appears twice (the first row is kept)',
      `${r.name} (line ${r.line})`,
    )
  const seen = new NameIndex(names, built)
  // the records were counted as they were read: readRest only reads the other files
  const input = await readRest(o, { records: [], seen, errors, problems }, ahead)
  send({
    kind: 'end',
    end: {
      images: names.length,
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
  send({ kind: 'summary', summary: summary.summary() })
}

const LABELLED_INDEX = new Map(CXR14_LABELLED.map((f, i) => [f, i]))

/** A streamed CXR14 read under way, in this thread or another. */
export type Cxr14Source = StreamSource<Cxr14Message>

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
  return streamInThisThread((send) => streamCxr14(o, send))
}
