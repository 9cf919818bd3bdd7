import type { Problem } from '@cxr-audit/core'
import {
  datasetItemKind,
  loadTransaction,
  openDatasetImport,
  recordSourceFiles,
  storedImportCounts,
  syncBoxes,
  syncImportProblems,
  type BoxRow,
  type Store,
  type StoredImportCounts,
} from '@cxr-audit/store'
import { readCxr14, type Cxr14ImportOptions } from './cxr14-read.ts'
import {
  CXR14_LABELLED,
  readInThisThread,
  streamOptions,
  type Cxr14Message,
  type Cxr14Source,
} from './cxr14-stream.ts'
import { appendImageBatch, receivedError } from './image-batch.ts'
import { readSummary, type ReadSummary } from './cxr14-summary.ts'
import { cxr14Findings, sourcesOf, writeCxr14 } from './cxr14-write.ts'
import { laps } from './laps.ts'
import { hashSourceFiles } from './source-hashes.ts'

export const DEFAULT_DATASET = 'ChestX-ray14'

/** What `cxr-audit import cxr14 --json` prints. */
export interface Cxr14ImportSummary {
  readonly dataset: string
  readonly datasetId: number
  readonly images: number
  readonly patients: number
  readonly findings: Record<string, number>
  readonly noFinding: number
  readonly imagesOnDisk: number
  readonly bboxes: number
  readonly splits: Record<string, number>
  readonly skippedRows: number
  readonly problems: {
    kind: string
    count: number
    examples: readonly string[]
    description: string
  }[]
}

/**
 * Reads, checks and writes a ChestX-ray14 import; a failed import leaves the database as it was.
 * A new dataset is written while its files are read (o.source); a re-import reads everything
 * first and writes the differences.
 */
export async function importCxr14(
  store: Store,
  o: Cxr14ImportOptions,
): Promise<Cxr14ImportSummary> {
  const name = o.name ?? DEFAULT_DATASET
  if (o.stream !== false && (await datasetItemKind(store.db, name)) === null) {
    const source = o.source ?? readInThisThread(streamOptions(o))
    const streamed = await importStreamed(store, o, name, source)
    if (streamed !== null) return streamed
  } else o.source?.stop()
  const input = await readCxr14(o)
  o.onProgress?.('writing', 0, 1)
  const { datasetId, fresh } = await writeCxr14(store, input, o, name)
  o.onProgress?.('writing', 1, 1)
  const lap = laps(o.onTiming)
  const read = readSummary(input)
  // the stored state is what counts (a source not given now keeps earlier values); a new
  // dataset holds exactly what was read
  const stored: StoredImportCounts = fresh
    ? { onDisk: read.onDisk, splits: read.splits, boxes: input.boxes?.length ?? 0 }
    : await storedImportCounts(store.db, datasetId)
  lap('summary')
  return summaryOf(name, datasetId, input.records.length, input.skipped.length, read, stored, [
    ...input.problems.list(),
    ...read.problems,
  ])
}

function summaryOf(
  dataset: string,
  datasetId: number,
  images: number,
  skippedRows: number,
  read: ReadSummary,
  stored: StoredImportCounts,
  problems: Problem[],
): Cxr14ImportSummary {
  return {
    dataset,
    datasetId,
    images,
    patients: read.patients,
    findings: read.findings,
    noFinding: read.noFinding,
    imagesOnDisk: stored.onDisk,
    bboxes: stored.boxes,
    splits: stored.splits,
    skippedRows,
    problems,
  }
}

/** Thrown inside the transaction when the dataset turned out not to be new: read it all first. */
class NotNew extends Error {}

/**
 * A new dataset, written batch by batch as the reader sends it, in one transaction: a read that
 * fails (a malformed row, a missing file) rolls everything back. Null when the dataset existed
 * after all (another import made it meanwhile).
 */
async function importStreamed(
  store: Store,
  o: Cxr14ImportOptions,
  name: string,
  source: Cxr14Source,
): Promise<Cxr14ImportSummary | null> {
  const lap = laps(o.onTiming)
  const next = async (): Promise<Exclude<Cxr14Message, { kind: 'progress' }>> => {
    for (;;) {
      const m = await source.next()
      if (m.kind !== 'progress') return m
      o.onProgress?.(m.stage, m.done, m.total)
    }
  }
  try {
    const files = await hashSourceFiles({
      metadata: o.metadata,
      bbox: o.bbox,
      trainList: o.trainList,
      testList: o.testList,
    })
    const start = await next()
    if (start.kind !== 'start') throw new Error(`the reader sent ${start.kind} first`)
    lap('read: start')
    const written = await loadTransaction(store, async (tx) => {
      const dataset = await openDatasetImport(tx, {
        name,
        sourceFormat: 'cxr14',
        sources: sourcesOf(o),
        roots: start.roots,
      })
      if (!dataset.fresh) throw new NotNew()
      await recordSourceFiles(tx, dataset.id, files)
      const findingIds = await cxr14Findings(tx, dataset.id)
      const labelled = CXR14_LABELLED.map((f) => findingIds.get(f)!)
      const ids: Int32Array[] = []
      let m = await next()
      for (; m.kind === 'batch'; m = await next()) {
        ids.push(await appendImageBatch(store, tx, dataset.id, m.batch, labelled))
      }
      if (m.kind !== 'end') throw new Error(`the reader sent ${m.kind} after its batches`)
      lap('write: images and labels')
      const end = m.end
      if (end.boxes !== null) {
        const idOf = imageIdsOf(ids)
        const boxes = end.boxes.map((b): BoxRow => [
          idOf(b.index),
          findingIds.get(b.finding)!,
          b.x,
          b.y,
          b.w,
          b.h,
        ])
        await syncBoxes(store, tx, dataset.id, boxes)
      }
      await syncImportProblems(store, tx, dataset.id, end.problems)
      return { datasetId: dataset.id, end }
    })
    lap('write: commit')
    const { datasetId, end } = written
    const last = await next()
    if (last.kind !== 'summary') throw new Error(`the reader sent ${last.kind} after its end`)
    const summary = last.summary
    const boxes = end.boxes?.length ?? 0
    return summaryOf(
      name,
      datasetId,
      end.images,
      end.skipped,
      summary,
      { onDisk: summary.onDisk, splits: summary.splits, boxes },
      [...end.problems, ...summary.problems],
    )
  } catch (e) {
    if (e instanceof NotNew) {
      source.stop()
      return null
    }
    // the read's own error comes first, as when everything is read before writing
    const read = await source.outcome()
    throw receivedError(read ?? e)
  }
}

/** The ids of streamed images by their position in the stream. */
function imageIdsOf(batches: readonly Int32Array[]): (index: number) => number {
  const starts: number[] = []
  let n = 0
  for (const b of batches) {
    starts.push(n)
    n += b.length
  }
  return (index) => {
    let k = starts.length - 1
    while (starts[k]! > index) k--
    return batches[k]![index - starts[k]!]!
  }
}
