import {
  CXR14_FINDINGS,
  NO_FINDING,
  ProblemList,
  valueProblems,
  type Problem,
} from '@cxr-audit/core'
import { storedImportCounts, type Store, type StoredImportCounts } from '@cxr-audit/store'
import { isNoFinding, readCxr14, type Cxr14ImportOptions } from './cxr14-read.ts'
import { writeCxr14 } from './cxr14-write.ts'
import { laps } from './laps.ts'

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

/** Reads, checks and writes a ChestX-ray14 import; nothing is written when reading fails. */
export async function importCxr14(
  store: Store,
  o: Cxr14ImportOptions,
): Promise<Cxr14ImportSummary> {
  const input = await readCxr14(o)
  const name = o.name ?? DEFAULT_DATASET
  o.onProgress?.('writing', 0, 1)
  const { datasetId, fresh } = await writeCxr14(store, input, o, name)
  o.onProgress?.('writing', 1, 1)
  const lap = laps(o.onTiming)

  // one pass over the records; rows with the same labels share one map, counted once per map
  const findings: Record<string, number> = Object.fromEntries(CXR14_FINDINGS.map((f) => [f, 0]))
  const patients = new Set<string>()
  const byLabels = new Map<ReadonlyMap<string, number>, number>()
  const splits: Record<string, number> = {}
  let onDisk = 0
  const missing: string[] = []
  let noFinding = 0
  for (const r of input.records) {
    patients.add(r.patient)
    if (isNoFinding(r)) noFinding++
    byLabels.set(r.labels, (byLabels.get(r.labels) ?? 0) + 1)
    const split = input.splits?.get(r.name)
    if (split !== undefined) splits[split] = (splits[split] ?? 0) + 1
    if (input.files !== null) {
      if (input.files.has(r.name)) onDisk++
      else missing.push(r.name)
    }
  }
  for (const [labels, n] of byLabels)
    for (const [f, v] of labels)
      if (v === 1 && f !== NO_FINDING) findings[f] = (findings[f] ?? 0) + n
  // the stored state is what counts (a source not given now keeps earlier values); a new
  // dataset holds exactly what was read
  const stored: StoredImportCounts = fresh
    ? { onDisk, splits, boxes: input.boxes?.length ?? 0 }
    : await storedImportCounts(store.db, datasetId)
  // the value checks of `check`, on the records as read (the rest needs the stored state)
  const values = new ProblemList()
  // names are distinct: readCxr14 kept the first row of each name
  valueProblems(input.records, new Set(CXR14_FINDINGS), values, true)
  const problems: Problem[] = [...input.problems.list(), ...values.list()]
  if (missing.length > 0)
    problems.push({
      kind: 'missing-on-disk',
      description: 'listed in the metadata but not found in the image folders',
      count: missing.length,
      examples: missing.slice(0, 5),
    })
  lap('summary')
  return {
    dataset: name,
    datasetId,
    images: input.records.length,
    patients: patients.size,
    findings,
    noFinding,
    imagesOnDisk: stored.onDisk,
    bboxes: stored.boxes,
    splits: stored.splits,
    skippedRows: input.skipped.length,
    problems,
  }
}
