import {
  CXR14_FINDINGS,
  NO_FINDING,
  ProblemList,
  valueProblems,
  type Problem,
} from '@cxr-audit/core'
import { isNoFinding, type Cxr14Input } from './cxr14-read.ts'

/** The counts and checks of an import that come from what was read (not from the database). */
export interface ReadSummary {
  readonly patients: number
  readonly findings: Record<string, number>
  readonly noFinding: number
  /** Records whose file is in the image folders (a new dataset stores exactly these). */
  readonly onDisk: number
  readonly splits: Record<string, number>
  /** The value checks of `check`, on the records as read, and the files not on disk. */
  readonly problems: Problem[]
}

export function readSummary(input: Cxr14Input): ReadSummary {
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
  const values = new ProblemList()
  // names are distinct: readCxr14 kept the first row of each name
  valueProblems(input.records, new Set(CXR14_FINDINGS), values, true)
  const problems = values.list()
  if (missing.length > 0)
    problems.push({
      kind: 'missing-on-disk',
      description: 'listed in the metadata but not found in the image folders',
      count: missing.length,
      examples: missing.slice(0, 5),
    })
  return { patients: patients.size, findings, noFinding, onDisk, splits, problems }
}
