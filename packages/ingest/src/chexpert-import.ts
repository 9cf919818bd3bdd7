import { resolve } from 'node:path'
import type { Problem } from '@cxr-audit/core'
import {
  datasetItemKind,
  ensureFindings,
  LabelRows,
  markDatasetChanged,
  openDatasetImport,
  StoreError,
  syncImages,
  syncImportProblems,
  syncLabels,
  writeStudyFilms,
  type Store,
} from '@cxr-audit/store'
import { readChexpert, type ChexpertInput } from './chexpert-read.ts'
import { BadRowsError } from './cxr14-read.ts'
import { laps, type OnTiming } from './laps.ts'
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

/** Reads, checks and writes a CheXpert import; nothing is written when reading fails. */
export async function importChexpert(
  store: Store,
  o: ChexpertImportOptions,
): Promise<ChexpertImportSummary> {
  const lap = laps(o.onTiming)
  const input = await readChexpert(o.files, o.images, o.onProgress)
  if (input.errors.length > 0 && o.skipBadRows !== true) throw new BadRowsError(input.errors)
  for (const e of input.errors)
    input.problems.add(
      'skipped-row',
      'a malformed row skipped by --skip-bad-rows',
      `${e.file}:${e.line}${e.column === null ? '' : ` (${e.column})`}: ${e.message}`,
    )
  if (input.records.length === 0)
    throw new BadRowsError([
      { file: o.files[0]!, line: 2, column: null, message: 'no item to import' },
    ])
  lap('read')
  const name = o.name ?? DEFAULT_CHEXPERT_DATASET
  const kind = await datasetItemKind(store.db, name)
  if (kind !== null && kind !== input.kind)
    throw new StoreError(
      `the dataset "${name}" holds ${kind}s and this file's items are ${input.kind}s: import it as a dataset of its own (--name) or as a reader's labels (import labels --dataset ${name})`,
    )
  o.onProgress?.('writing', 0, 1)
  const datasetId = await writeChexpert(store, input, o, name)
  o.onProgress?.('writing', 1, 1)
  lap('write')
  return summarise(input, name, datasetId)
}

async function writeChexpert(
  store: Store,
  input: ChexpertInput,
  o: ChexpertImportOptions,
  name: string,
): Promise<number> {
  return store.db.transaction().execute(async (tx) => {
    const dataset = await openDatasetImport(tx, {
      name,
      sourceFormat: 'chexpert',
      sources: {
        files: o.files.map((f) => resolve(f)),
        ...(input.files === null ? {} : { images: input.roots }),
      },
      roots: input.files === null ? null : input.roots,
      itemKind: input.kind,
    })
    const findingIds = await ensureFindings(tx, dataset.id, input.findings, [])
    const splits = input.records.map((r) => r.split)
    // a study item's picture is its frontal film; all its films are kept for the sheet [DS26]
    const films = input.kind === 'study' && input.files !== null ? filmsByStudy(input.files) : null
    const images = await syncImages(
      store,
      tx,
      dataset.id,
      {
        records: input.records,
        splits: splits.every((s) => s === null) ? null : splits,
        files:
          films === null
            ? input.files
            : new Map([...films].map(([study, list]) => [study, list[0]!.path])),
      },
      dataset.fresh,
    )
    if (films !== null)
      await writeStudyFilms(
        tx,
        dataset.id,
        new Map(
          input.records.flatMap((r, i) => {
            const list = films.get(r.name)
            return list === undefined ? [] : [[images.ids[i]!, list] as const]
          }),
        ),
      )
    // the label maps are shared between rows: resolve each map's finding ids once
    const resolved = new Map<ReadonlyMap<string, number>, [number[], number[]]>()
    const labels = new LabelRows()
    input.records.forEach((r, i) => {
      let pair = resolved.get(r.labels)
      if (pair === undefined) {
        pair = [[], []]
        for (const [f, v] of r.labels) {
          pair[0].push(findingIds.get(f)!)
          pair[1].push(v)
        }
        resolved.set(r.labels, pair)
      }
      const id = images.ids[i]!
      for (let k = 0; k < pair[0].length; k++) labels.push(id, pair[0][k]!, pair[1][k]!)
    })
    let changes = images.changes
    changes += await syncLabels(store, tx, dataset.id, labels, dataset.fresh)
    changes += await syncImportProblems(store, tx, dataset.id, input.problems.list())
    if (!dataset.fresh && changes > 0) await markDatasetChanged(tx, dataset.id)
    return dataset.id
  })
}

function summarise(input: ChexpertInput, name: string, datasetId: number): ChexpertImportSummary {
  const zero = (): Record<string, number> => Object.fromEntries(input.findings.map((f) => [f, 0]))
  const findings = zero()
  const uncertain = zero()
  const negative = zero()
  const notMentioned = zero()
  const patients = new Set<string>()
  const studies = new Set<string>()
  // counted in maps, not objects: a property keyed by a fresh string is looked up by its text
  const views = new Map<string, number>()
  const splits = new Map<string, number>()
  const byLabels = new Map<ReadonlyMap<string, number>, number>()
  let onDisk = 0
  // a study is on disk when any of its films is
  const studiesOnDisk =
    input.kind === 'study' && input.files !== null
      ? new Set([...input.files.keys()].map((n) => n.split('/').slice(0, 2).join('/')))
      : null
  // rows of one patient and study come together: compare with the previous row before hashing
  let patient = ''
  let study = ''
  for (const r of input.records) {
    if (r.patient !== patient) patients.add((patient = r.patient))
    if (r.study !== study) studies.add((study = r.study))
    views.set(r.view, (views.get(r.view) ?? 0) + 1)
    if (r.split !== null) splits.set(r.split, (splits.get(r.split) ?? 0) + 1)
    byLabels.set(r.labels, (byLabels.get(r.labels) ?? 0) + 1)
    if (input.files?.has(r.name) === true || studiesOnDisk?.has(r.name) === true) onDisk++
  }
  for (const [labels, n] of byLabels) {
    for (const f of input.findings) {
      const v = labels.get(f)
      const into = v === 1 ? findings : v === -1 ? uncertain : v === 0 ? negative : notMentioned
      into[f] = into[f]! + n
    }
  }
  return {
    dataset: name,
    datasetId,
    itemKind: input.kind,
    ...(input.kind === 'film' ? { images: input.records.length } : {}),
    studies: studies.size,
    patients: patients.size,
    findings,
    uncertain,
    negative,
    notMentioned,
    views: Object.fromEntries(views),
    splits: Object.fromEntries(splits),
    imagesOnDisk: onDisk,
    ignoredColumns: input.ignoredColumns,
    skippedRows: input.errors.length,
    problems: input.problems.list(),
  }
}
