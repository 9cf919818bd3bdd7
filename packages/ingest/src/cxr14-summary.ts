import {
  CXR14_FINDINGS,
  NO_FINDING,
  ProblemList,
  ValueChecks,
  type ImageRecord,
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
  const counts = new SummaryCounts(input.files !== null)
  const { splits, files } = input
  for (const r of input.records)
    counts.add(
      r,
      splits === null ? undefined : splits.get(r.name),
      files !== null && files.has(r.name),
    )
  return counts.summary()
}

/**
 * The read summary gathered one record at a time, in order: a streamed import counts each row
 * as it packs it and keeps no record. Rows with the same labels share one map (the parser's),
 * counted once per map at the end.
 */
export class SummaryCounts {
  readonly #findings: Record<string, number> = Object.fromEntries(CXR14_FINDINGS.map((f) => [f, 0]))
  readonly #patients = new Set<string>()
  /** The last patient added: rows of a patient come together, one set lookup for them. */
  #patient: string | null = null
  readonly #byLabels = new Map<ReadonlyMap<string, number>, { n: number }>()
  #lastMap: ReadonlyMap<string, number> | null = null
  #lastCount = { n: 0 }
  #lastList: readonly string[] | null = null
  #lastNoFinding = false
  readonly #splits: Record<string, number> = {}
  #onDisk = 0
  #missing = 0
  readonly #missingExamples: string[] = []
  #noFinding = 0
  readonly #values = new ProblemList()
  // names are distinct: the import keeps the first row of each
  readonly #checks = new ValueChecks(new Set(CXR14_FINDINGS), this.#values, true)

  /** `withFiles`: image folders were given (records not on disk are reported). */
  constructor(readonly withFiles: boolean) {}

  /** A record, its split (undefined: none) and whether its file is in the image folders. */
  add(r: ImageRecord, split: string | undefined, onDisk: boolean): void {
    if (r.patient !== this.#patient) {
      this.#patients.add(r.patient)
      this.#patient = r.patient
    }
    // rows share the parser's label lists and maps: the last row's are checked first
    if (r.rawLabels !== this.#lastList) {
      this.#lastList = r.rawLabels
      this.#lastNoFinding = isNoFinding(r)
    }
    if (this.#lastNoFinding) this.#noFinding++
    if (r.labels !== this.#lastMap) {
      let count = this.#byLabels.get(r.labels)
      if (count === undefined) this.#byLabels.set(r.labels, (count = { n: 0 }))
      this.#lastMap = r.labels
      this.#lastCount = count
    }
    this.#lastCount.n++
    if (split !== undefined) this.#splits[split] = (this.#splits[split] ?? 0) + 1
    if (this.withFiles) {
      if (onDisk) this.#onDisk++
      else if (this.#missing++ < MISSING_EXAMPLES) this.#missingExamples.push(r.name)
    }
    this.#checks.check(r)
  }

  summary(): ReadSummary {
    const findings = this.#findings
    for (const [labels, { n }] of this.#byLabels)
      for (const [f, v] of labels)
        if (v === 1 && f !== NO_FINDING) findings[f] = (findings[f] ?? 0) + n
    const problems = this.#values.list()
    if (this.#missing > 0)
      problems.push({
        kind: 'missing-on-disk',
        description: 'listed in the metadata but not found in the image folders',
        count: this.#missing,
        examples: this.#missingExamples.slice(),
      })
    return {
      patients: this.#patients.size,
      findings,
      noFinding: this.#noFinding,
      onDisk: this.#onDisk,
      splits: this.#splits,
      problems,
    }
  }
}

const MISSING_EXAMPLES = 5
