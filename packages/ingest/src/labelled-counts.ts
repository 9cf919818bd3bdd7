import type { Problem } from '@cxr-audit/core'
import type { ChexpertImportSummary } from './chexpert-import.ts'

/**
 * The counts of an import summary [DS1], item by item in file order: summariseLabelledItems
 * counts a whole list with it, and a streamed read counts each item as it goes out, so that
 * nothing is left to count after the last batch (docs/decisions/050).
 */
export class LabelledCounts {
  readonly #findings: readonly string[]
  #items = 0
  #onDisk = 0
  readonly #patients = new Set<string>()
  readonly #studies = new Set<string>()
  // patients and studies the reader said were new or not (see add): counted, not hashed
  #newPatients = 0
  #newStudies = 0
  // counted in maps, not objects: a property keyed by a fresh string is looked up by its text
  readonly #views = new Map<string, { n: number }>()
  readonly #splits = new Map<string, { n: number }>()
  readonly #byLabels = new Map<ReadonlyMap<string, number>, { n: number }>()
  // rows of one patient and study come together: compare with the previous row before hashing
  #patient: string | null = null
  // and often the same view and split: their counts at hand
  #lastView: string | null = null
  #lastViewCount: { n: number } | null = null
  #lastSplit: string | null = null
  #lastSplitCount: { n: number } | null = null
  #study: string | null | undefined = undefined

  constructor(findings: readonly string[]) {
    this.#findings = findings
  }

  /**
   * One item; `labels` is best shared between items with the same labels (counted per map);
   * null: the reader counts them and says so with addLabels.
   * `newPatient` (`newStudy`) says whether an earlier item had this patient (study), as the
   * reader knows it; null: counted by text. The reader must say it for every spelling of a
   * patient it says it for once (ChexpertItem.newPatient: those written `patientNNNNN`).
   */
  add(
    patient: string,
    study: string | null | undefined,
    view: string,
    split: string | null,
    labels: ReadonlyMap<string, number> | null,
    onDisk: boolean,
    newPatient: boolean | null = null,
    newStudy: boolean | null = null,
  ): void {
    this.#items++
    if (newPatient !== null) {
      if (newPatient) this.#newPatients++
    } else if (patient !== this.#patient) this.#patients.add((this.#patient = patient))
    if (newStudy !== null) {
      if (newStudy) this.#newStudies++
    } else if (study !== this.#study) {
      this.#study = study
      if (study != null) this.#studies.add(study)
    }
    if (view === this.#lastView) this.#lastViewCount!.n++
    else this.#lastViewCount = count(this.#views, (this.#lastView = view))
    if (split !== null) {
      if (split === this.#lastSplit) this.#lastSplitCount!.n++
      else this.#lastSplitCount = count(this.#splits, (this.#lastSplit = split))
    }
    if (labels !== null) count(this.#byLabels, labels)
    if (onDisk) this.#onDisk++
  }

  /** `n` more items with these labels (items added without their labels). */
  addLabels(labels: ReadonlyMap<string, number>, n: number): void {
    const c = this.#byLabels.get(labels)
    if (c === undefined) this.#byLabels.set(labels, { n })
    else c.n += n
  }

  summary(o: {
    name: string
    datasetId: number
    kind: 'film' | 'study'
    ignoredColumns: string[]
    skippedRows: number
    problems: Problem[]
  }): ChexpertImportSummary {
    const zero = (): Record<string, number> => Object.fromEntries(this.#findings.map((f) => [f, 0]))
    const findings = zero()
    const uncertain = zero()
    const negative = zero()
    const notMentioned = zero()
    for (const [labels, { n }] of this.#byLabels) {
      for (const f of this.#findings) {
        const v = labels.get(f)
        const into = v === 1 ? findings : v === -1 ? uncertain : v === 0 ? negative : notMentioned
        into[f] = into[f]! + n
      }
    }
    return {
      dataset: o.name,
      datasetId: o.datasetId,
      itemKind: o.kind,
      ...(o.kind === 'film' ? { images: this.#items } : {}),
      studies: this.#studies.size + this.#newStudies,
      patients: this.#patients.size + this.#newPatients,
      findings,
      uncertain,
      negative,
      notMentioned,
      views: counted(this.#views),
      splits: counted(this.#splits),
      imagesOnDisk: this.#onDisk,
      ignoredColumns: o.ignoredColumns,
      skippedRows: o.skippedRows,
      problems: o.problems,
    }
  }
}

/** One more of `key`: one lookup (a holder per key) instead of a get and a set. */
function count<K>(counts: Map<K, { n: number }>, key: K): { n: number } {
  let c = counts.get(key)
  if (c === undefined) counts.set(key, (c = { n: 1 }))
  else c.n++
  return c
}

/** The counts as an object, keys in the order first met. */
function counted(counts: Map<string, { n: number }>): Record<string, number> {
  return Object.fromEntries([...counts].map(([k, c]) => [k, c.n]))
}
