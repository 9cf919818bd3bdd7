import { resolve } from 'node:path'
import type { Problem } from '@cxr-audit/core'
import {
  datasetItemKind,
  loadTransaction,
  ensureFindings,
  openDatasetImport,
  StoreError,
  syncImportProblems,
  writeStudyFilms,
  type Store,
} from '@cxr-audit/store'
import { readChexpert } from './chexpert-read.ts'
import {
  readChexpertInThisThread,
  type ChexpertMessage,
  type ChexpertSource,
} from './chexpert-stream.ts'
import { BadRowsError, listSkippedRows } from './cxr14-read.ts'
import { appendImageBatch, receivedError } from './image-batch.ts'
import { laps, type OnTiming } from './laps.ts'
import { summariseLabelledItems, writeLabelledItems } from './labelled-items.ts'
import { filmsByStudy } from './study-films.ts'

export const DEFAULT_CHEXPERT_DATASET = 'CheXpert'

export interface ChexpertImportOptions {
  /** One or more label files of one kind (film-keyed `Path` or study-keyed `Study`). */
  readonly files: readonly string[]
  readonly images?: readonly string[] | undefined
  readonly name?: string | undefined
  readonly skipBadRows?: boolean | undefined
  readonly onProgress?: ((stage: string, done: number, total: number) => void) | undefined
  readonly onTiming?: OnTiming | undefined
  /**
   * The streamed read of the one file (a worker thread's in the CLI); the import reads in this
   * thread when absent. Used for a new dataset only; stopped otherwise.
   */
  readonly source?: ChexpertSource | undefined
  /** false: read everything before writing, even for a new dataset (tests compare the two). */
  readonly stream?: boolean | undefined
}

/**
 * What `cxr-audit import chexpert --json` prints [DS1]: `images` for a film-keyed file (absent
 * for a study-keyed one, whose items are the studies), `studies`, `patients`, positives per
 * observation in `findings`, `uncertain`, and the two kinds of labelled negative apart.
 */
export interface ChexpertImportSummary {
  readonly dataset: string
  readonly datasetId: number
  readonly itemKind: 'film' | 'study'
  readonly images?: number
  readonly studies: number
  readonly patients: number
  readonly findings: Record<string, number>
  readonly uncertain: Record<string, number>
  /** `0.0` cells: the report mentions the observation as absent. */
  readonly negative: Record<string, number>
  /** Blank cells: the report does not mention it (counted as negative by the statistics). */
  readonly notMentioned: Record<string, number>
  readonly views: Record<string, number>
  readonly splits: Record<string, number>
  readonly imagesOnDisk: number
  readonly ignoredColumns: string[]
  readonly skippedRows: number
  readonly problems: Problem[]
}

/**
 * Reads, checks and writes a CheXpert import; nothing is written when reading fails. One
 * film-keyed file into a new dataset is written while it is read (o.source, docs/decisions/048);
 * anything else is read first.
 */
export async function importChexpert(
  store: Store,
  o: ChexpertImportOptions,
): Promise<ChexpertImportSummary> {
  const name = o.name ?? DEFAULT_CHEXPERT_DATASET
  if (
    o.stream !== false &&
    o.files.length === 1 &&
    (await datasetItemKind(store.db, name)) === null
  ) {
    const source =
      o.source ??
      readChexpertInThisThread({ file: o.files[0]!, images: o.images, skipBadRows: o.skipBadRows })
    const streamed = await importStreamed(store, o, name, source)
    if (streamed !== null) return streamed
  } else o.source?.stop()
  const lap = laps(o.onTiming)
  const input = await readChexpert(o.files, o.images, o.onProgress)
  if (input.errors.length > 0 && o.skipBadRows !== true) throw new BadRowsError(input.errors)
  listSkippedRows(input.problems, input.errors)
  if (input.records.length === 0)
    throw new BadRowsError([
      { file: o.files[0]!, line: 2, column: null, message: 'no item to import' },
    ])
  lap('read')
  const kind = await datasetItemKind(store.db, name)
  if (kind !== null && kind !== input.kind)
    throw new StoreError(
      `the dataset "${name}" holds ${kind}s and this file's items are ${input.kind}s: import it as a dataset of its own (--name) or as a reader's labels (import labels --dataset ${name})`,
    )
  o.onProgress?.('writing', 0, 1)
  // a study item's picture is its frontal film; all its films are kept for the sheet [DS26],
  // and a study is on disk when any of its films is
  const films = input.kind === 'study' && input.files !== null ? filmsByStudy(input.files) : null
  const items =
    films === null
      ? input
      : { ...input, files: new Map([...films].map(([study, list]) => [study, list[0]!.path])) }
  const datasetId = await writeLabelledItems(store, items, {
    name,
    sourceFormat: 'chexpert',
    sources: {
      files: o.files.map((f) => resolve(f)),
      ...(input.files === null ? {} : { images: input.roots }),
    },
    ...(films === null
      ? {}
      : {
          also: async (tx, written) => {
            await writeStudyFilms(
              tx,
              written.datasetId,
              new Map(
                input.records.flatMap((r, i) => {
                  const list = films.get(r.name)
                  return list === undefined ? [] : [[written.imageIds[i]!, list] as const]
                }),
              ),
            )
            return 0
          },
        }),
  })
  o.onProgress?.('writing', 1, 1)
  lap('write')
  return summariseLabelledItems(items, name, datasetId)
}

/** Thrown inside the transaction when the streamed read does not fit: read it all first. */
class NotStreamed extends Error {}

/**
 * One film-keyed file into a new dataset, written batch by batch as the reader sends it, in one
 * transaction; what writeLabelledItems writes for a new dataset. Null when the file is
 * study-keyed or the dataset existed after all (another import made it meanwhile).
 */
async function importStreamed(
  store: Store,
  o: ChexpertImportOptions,
  name: string,
  source: ChexpertSource,
): Promise<ChexpertImportSummary | null> {
  const lap = laps(o.onTiming)
  const next = async (): Promise<Exclude<ChexpertMessage, { kind: 'progress' }>> => {
    for (;;) {
      const m = await source.next()
      if (m.kind !== 'progress') return m
      o.onProgress?.(m.stage, m.done, m.total)
    }
  }
  try {
    const start = await next()
    if (start.kind !== 'start') throw new Error(`the reader sent ${start.kind} first`)
    if (start.itemKind !== 'film') throw new NotStreamed()
    lap('read: start')
    const datasetId = await loadTransaction(store, async (tx) => {
      const dataset = await openDatasetImport(tx, {
        name,
        sourceFormat: 'chexpert',
        sources: {
          files: o.files.map((f) => resolve(f)),
          ...(start.roots === null ? {} : { images: start.roots }),
        },
        roots: start.roots,
        itemKind: 'film',
      })
      if (!dataset.fresh) throw new NotStreamed()
      const findingIds = await ensureFindings(tx, dataset.id, start.findings, [])
      const ids = start.findings.map((f) => findingIds.get(f)!)
      let m = await next()
      for (; m.kind === 'batch'; m = await next())
        await appendImageBatch(store, tx, dataset.id, m.batch, ids)
      if (m.kind !== 'end') throw new Error(`the reader sent ${m.kind} after its batches`)
      lap('write: images and labels')
      await syncImportProblems(store, tx, dataset.id, m.problems)
      return dataset.id
    })
    lap('write: commit')
    o.onProgress?.('writing', 1, 1)
    const last = await next()
    if (last.kind !== 'summary') throw new Error(`the reader sent ${last.kind} after its end`)
    return { ...last.summary, dataset: name, datasetId }
  } catch (e) {
    if (e instanceof NotStreamed) {
      source.stop()
      return null
    }
    // the read's own error comes first, as when everything is read before writing
    const read = await source.outcome()
    throw receivedError(read ?? e)
  }
}
