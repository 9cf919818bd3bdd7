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
  // rows of one patient and study come together: compare with the previous row before hashing
  let patient: string | null = null
  let study: string | null | undefined = undefined
  for (const r of input.records) {
    if (r.patient !== patient) patients.add((patient = r.patient))
    if (r.study !== study) {
      study = r.study
      if (study != null) studies.add(study)
    }
    views.set(r.view, (views.get(r.view) ?? 0) + 1)
    if (r.split !== null) splits.set(r.split, (splits.get(r.split) ?? 0) + 1)
    byLabels.set(r.labels, (byLabels.get(r.labels) ?? 0) + 1)
    if (input.files?.has(r.name) === true) onDisk++
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
