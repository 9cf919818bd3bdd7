import { ChexpertParser, ProblemList, type Problem, type RowError } from '@cxr-audit/core'
import { ChexpertBatchBuilder } from './chexpert-batch.ts'
import type { ChexpertImportSummary } from './chexpert-import.ts'
import {
  listDuplicate,
  listIgnoredColumns,
  readChexpert,
  scanChexpertImages,
} from './chexpert-read.ts'
import { asFileError, BadRowsError, listSkippedRows } from './cxr14-read.ts'
import { streamText } from './files.ts'
import {
  batchTransfer,
  streamInThisThread,
  type ImageBatch,
  type StreamSource,
} from './image-batch.ts'
import { LabelledCounts } from './labelled-counts.ts'

// The read half of a CheXpert import of one film-keyed file into a new dataset, as a stream:
// rows go out in batches while the file is still being read, so that a worker thread parses
// while the main thread writes (docs/decisions/048). It reads and checks exactly what
// readChexpert does for one file.

/** Rows per batch, as for CXR14 (docs/decisions/047): the first small so writes start early. */
const BATCH = 4096
const FIRST_BATCH = 1024

/** What a streamed read says, in order: start, batches, end, summary (or it throws). */
export type ChexpertMessage =
  | {
      readonly kind: 'start'
      /** A study-keyed file is not streamed: the import reads it first. */
      readonly itemKind: 'film' | 'study'
      /** The file's observations; batches number findings in this order. */
      readonly findings: string[]
      /** The image folders' roots, or null when none was given. */
      readonly roots: string[] | null
    }
  | { readonly kind: 'batch'; readonly batch: ImageBatch }
  | {
      readonly kind: 'progress'
      readonly stage: string
      readonly done: number
      readonly total: number
    }
  | { readonly kind: 'end'; readonly problems: Problem[] }
  /** The summary without its dataset name and id (the main thread knows them). */
  | { readonly kind: 'summary'; readonly summary: ChexpertImportSummary }

/** The options a streamed read takes: plain data, so that they can go to a worker thread. */
export interface ChexpertStreamOptions {
  readonly file: string
  readonly images?: readonly string[] | undefined
  readonly skipBadRows?: boolean | undefined
}

export type ChexpertSource = StreamSource<ChexpertMessage>

/**
 * Reads one CheXpert label file and sends it as messages. Throws what readChexpert and
 * importChexpert throw, in the same order: the image folders are scanned first (each row needs
 * its file), and if that fails the file is read first as readChexpert does, for its error.
 */
export async function streamChexpert(
  o: ChexpertStreamOptions,
  send: (m: ChexpertMessage, transfer?: ArrayBuffer[]) => void,
): Promise<void> {
  let scan: { files: Map<string, string>; roots: string[] } | null = null
  if (o.images !== undefined && o.images.length > 0) {
    try {
      scan = await scanChexpertImages(o.images)
    } catch (e) {
      await readChexpert([o.file], o.images)
      throw e
    }
  }
  const files = scan === null ? null : scan.files
  let film = false
  let started = false
  let counts: LabelledCounts | null = null
  let builder: ChexpertBatchBuilder | null = null
  const perSet: number[] = []
  const sets: ReadonlyMap<string, number>[] = []
  const start = (): void => {
    if (started) return
    const c = parser.columns
    if (c === null) return
    started = true
    film = c.kind === 'film'
    counts = new LabelledCounts(c.findings)
    builder = new ChexpertBatchBuilder(
      FIRST_BATCH,
      files !== null,
      new Map(c.findings.map((f, i) => [f, i])),
    )
    send({
      kind: 'start',
      itemKind: c.kind,
      findings: c.findings,
      roots: scan === null ? null : scan.roots,
    })
  }
  // a bad row without --skip-bad-rows fails the import: nothing more is worth sending
  const failed = (): boolean => o.skipBadRows !== true && parser.errorCount > 0
  const flush = (): void => {
    if (builder!.length > 0 && !failed()) {
      const batch = builder!.batch()
      send({ kind: 'batch', batch }, batchTransfer(batch))
    }
    builder = builder!.another(BATCH)
  }
  // each item goes straight into the batch and the counts: no record is kept (decision 050)
  const parser = new ChexpertParser(o.file, (item) => {
    start()
    // a study-keyed file: the import stops at the start message and reads it first
    if (!film || failed()) return
    const path = files === null ? null : (files.get(item.name) ?? null)
    builder!.add(item, path)
    counts!.add(
      item.patient,
      item.study,
      item.view,
      item.split,
      null,
      path !== null,
      item.newPatient,
      item.newStudy,
    )
    // labels counted by set (ids from 0), given to the counts at the end
    const set = item.labels
    if (set.id < perSet.length) perSet[set.id]!++
    else {
      while (perSet.length < set.id) perSet.push(0)
      perSet.push(1)
      sets[set.id] = set.labels
    }
    if (builder!.full) flush()
  })
  let table
  try {
    await streamText(
      o.file,
      (t) => {
        parser.push(t)
        start()
      },
      (done, total) => send({ kind: 'progress', stage: 'labels', done, total }),
    )
    table = parser.end()
  } catch (e) {
    throw asFileError(e)
  }
  start()
  if (!film) return
  const errors: RowError[] = table.errors
  if (errors.length > 0 && o.skipBadRows !== true) throw new BadRowsError(errors)
  flush()
  const problems = new ProblemList()
  for (const d of table.duplicates) listDuplicate(problems, d)
  const ignoredColumns = [...new Set(table.ignoredColumns)]
  listIgnoredColumns(problems, ignoredColumns)
  listSkippedRows(problems, errors)
  if (parser.items === 0)
    throw new BadRowsError([{ file: o.file, line: 2, column: null, message: 'no item to import' }])
  send({ kind: 'end', problems: problems.list() })
  // counted while reading: the summary is ready as the main thread commits
  perSet.forEach((n, id) => {
    if (n > 0) counts!.addLabels(sets[id]!, n)
  })
  const summary = counts!.summary({
    name: '',
    datasetId: 0,
    kind: 'film',
    ignoredColumns,
    skippedRows: errors.length,
    problems: problems.list(),
  })
  send({ kind: 'summary', summary })
}

/** The streamed read in this thread (tests, the server's demo), as from a worker thread. */
export function readChexpertInThisThread(o: ChexpertStreamOptions): ChexpertSource {
  return streamInThisThread((send) => streamChexpert(o, send))
}
