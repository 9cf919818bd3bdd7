import type { ChexpertItem, ChexpertLabelSet } from '@cxr-audit/core'
import type { ImageBatch } from './image-batch.ts'
import { CodeColumn, NumberColumn, type PackedColumn } from './packed-columns.ts'

/** A label set as a batch stores it: its positives joined, its findings' indexes and values. */
interface PackedLabels {
  readonly joined: string
  readonly finding: Uint8Array
  readonly value: Int8Array
}

/**
 * A batch of CheXpert items packed as they are read, without a record per row: the same
 * ImageBatch that packImageBatch makes of the records ChexpertParser would have kept
 * (chexpert-batch.test.ts checks both on awkward rows; docs/decisions/050).
 */
export class ChexpertBatchBuilder {
  readonly #capacity: number
  readonly #withPath: boolean
  readonly #findingIndex: ReadonlyMap<string, number>
  /** Shared by the batches of one read: each label set is packed once (by its id). */
  readonly #packed: (PackedLabels | undefined)[]
  #n = 0
  #name: string[]
  #patient: string[]
  #path: (string | null)[] | null
  #age: NumberColumn
  #sex: CodeColumn
  #view: CodeColumn
  #split: CodeColumn
  #raw: CodeColumn
  #study: CodeColumn
  #labels = 0
  #labelRow: Int32Array
  #labelFinding: Uint8Array
  #labelValue: Int8Array

  /**
   * `capacity` rows at most; `withPath`: a path column is sent (image folders were given);
   * `packed` is shared between the builders of one read.
   */
  constructor(
    capacity: number,
    withPath: boolean,
    findingIndex: ReadonlyMap<string, number>,
    packed: (PackedLabels | undefined)[] = [],
  ) {
    this.#capacity = capacity
    this.#withPath = withPath
    this.#findingIndex = findingIndex
    this.#packed = packed
    // filled by push: packed arrays cross threads as such (a holey one goes index by index)
    this.#name = []
    this.#patient = []
    this.#path = withPath ? [] : null
    this.#age = new NumberColumn(capacity)
    this.#sex = new CodeColumn(capacity)
    this.#view = new CodeColumn(capacity)
    this.#split = new CodeColumn(capacity)
    this.#raw = new CodeColumn(capacity)
    this.#study = new CodeColumn(capacity)
    const most = capacity * findingIndex.size
    this.#labelRow = new Int32Array(most)
    this.#labelFinding = new Uint8Array(most)
    this.#labelValue = new Int8Array(most)
  }

  get length(): number {
    return this.#n
  }

  get full(): boolean {
    return this.#n === this.#capacity
  }

  /** The next builder of the same read, for `capacity` rows. */
  another(capacity: number): ChexpertBatchBuilder {
    return new ChexpertBatchBuilder(capacity, this.#withPath, this.#findingIndex, this.#packed)
  }

  /** One item; `path` is its file (null: not found; ignored without image folders). */
  add(item: ChexpertItem, path: string | null): void {
    const i = this.#n++
    this.#name.push(item.name)
    this.#patient.push(item.patient)
    this.#path?.push(path)
    this.#age.set(i, item.age)
    this.#sex.set(i, item.sex)
    this.#view.set(i, item.view)
    this.#split.set(i, item.split)
    this.#study.set(i, item.study)
    const p = this.#labelsOf(item.labels)
    this.#raw.set(i, p.joined)
    let k = this.#labels
    for (let j = 0; j < p.finding.length; j++, k++) {
      this.#labelRow[k] = i
      this.#labelFinding[k] = p.finding[j]!
      this.#labelValue[k] = p.value[j]!
    }
    this.#labels = k
  }

  #labelsOf(set: ChexpertLabelSet): PackedLabels {
    let p = this.#packed[set.id]
    if (p === undefined) {
      const finding = new Uint8Array(set.labels.size)
      const value = new Int8Array(set.labels.size)
      let k = 0
      for (const [f, v] of set.labels) {
        finding[k] = this.#findingIndex.get(f)!
        value[k++] = v
      }
      p = { joined: set.raw.join('|'), finding, value }
      this.#packed[set.id] = p
    }
    return p
  }

  /** The batch (this builder is done with). */
  batch(): ImageBatch {
    const n = this.#n
    const plain = (values: unknown[]): PackedColumn => ({ kind: 'plain', values })
    // CheXpert has no follow-up, width, height or spacing
    const nulls: PackedColumn = { kind: 'nulls', length: n }
    const k = this.#labels
    const cut = <T extends Int32Array | Uint8Array | Int8Array>(a: T): T =>
      (a.length === k ? a : a.slice(0, k)) as T
    return {
      columns: {
        name: plain(this.#name),
        patient: plain(this.#patient),
        age: this.#age.packed(n),
        sex: this.#sex.packed(n),
        view: this.#view.packed(n),
        followUp: nulls,
        width: nulls,
        height: nulls,
        spacingX: nulls,
        spacingY: nulls,
        split: this.#split.packed(n),
        path: this.#path === null ? null : plain(this.#path),
        rawLabels: this.#raw.packed(n),
        study: this.#study.packed(n),
      },
      labelRow: cut(this.#labelRow),
      labelFinding: cut(this.#labelFinding),
      labelValue: cut(this.#labelValue),
    }
  }
}
