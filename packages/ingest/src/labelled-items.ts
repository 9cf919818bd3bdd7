import type { ImageRecord, ProblemList, RowError } from '@cxr-audit/core'
import {
  ensureFindings,
  LabelRows,
  markDatasetChanged,
  openDatasetImport,
  syncImages,
  syncImportProblems,
  syncLabels,
  type Store,
  type Tx,
} from '@cxr-audit/store'
import type { ChexpertImportSummary } from './chexpert-import.ts'
import { LabelledCounts } from './labelled-counts.ts'

// The write and the summary of an import whose items carry a study, a split and CheXpert-style
// label values (1, 0, -1, not mentioned): CheXpert, MIMIC-CXR-JPG, PadChest (decision 024).

/** An item with its split (null: none given); its study where the format has one. */
export type LabelledRecord = ImageRecord & { readonly split: string | null }

/** Items read and checked, before anything is written. */
export interface LabelledItems {
  readonly kind: 'film' | 'study'
  /** The dataset's findings, in order. */
  readonly findings: string[]
  readonly records: LabelledRecord[]
  readonly errors: RowError[]
  readonly ignoredColumns: string[]
  /** item name -> absolute path, or null when no image folder was given. */
  readonly files: Map<string, string> | null
  readonly roots: string[]
  readonly problems: ProblemList
}

/** What the write made: the dataset, each record's image id (in order), the finding ids. */
export interface WrittenItems {
  readonly datasetId: number
  readonly imageIds: Int32Array
  readonly findingIds: Map<string, number>
}

/**
 * Writes the items in one transaction: dataset, findings, images (with study and split) and
 * labels, only what differs from the stored state (decision 003). Returns the dataset id.
 */
export async function writeLabelledItems(
  store: Store,
  input: LabelledItems,
  target: {
    name: string
    sourceFormat: string
    sources: Record<string, unknown>
    /** More writes in the same transaction (readers' verdicts, boxes); returns rows changed. */
    also?: (tx: Tx, written: WrittenItems) => Promise<number>
  },
): Promise<number> {
  return store.db.transaction().execute(async (tx) => {
    const dataset = await openDatasetImport(tx, {
      name: target.name,
      sourceFormat: target.sourceFormat,
      sources: target.sources,
      roots: input.files === null ? null : input.roots,
      itemKind: input.kind,
    })
    const findingIds = await ensureFindings(tx, dataset.id, input.findings, [])
    const splits = input.records.map((r) => r.split)
    const images = await syncImages(
      store,
      tx,
      dataset.id,
      {
        records: input.records,
        splits: splits.every((s) => s === null) ? null : splits,
        files: input.files,
      },
      dataset.fresh,
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
    if (target.also !== undefined)
      changes += await target.also(tx, { datasetId: dataset.id, imageIds: images.ids, findingIds })
    if (!dataset.fresh && changes > 0) await markDatasetChanged(tx, dataset.id)
    return dataset.id
  })
}

/** The import summary of [DS1], counted per item. */
export function summariseLabelledItems(
  input: LabelledItems,
  name: string,
  datasetId: number,
): ChexpertImportSummary {
  const counts = new LabelledCounts(input.findings)
  const files = input.files
  for (const r of input.records)
    counts.add(r.patient, r.study, r.view, r.split, r.labels, files?.has(r.name) === true)
  return counts.summary({
    name,
    datasetId,
    kind: input.kind,
    ignoredColumns: input.ignoredColumns,
    skippedRows: input.errors.length,
    problems: input.problems.list(),
  })
}
