import type { ImageRecord } from '@cxr-audit/core'
import type { ImageBatch } from './image-batch.ts'
import { CodeColumn, NumberColumn, type PackedColumn } from './packed-columns.ts'

/** A row's label map and list, and what a batch makes of them. */
interface PackedLabels {
  readonly map: ReadonlyMap<string, number> | null
  readonly raw: readonly string[] | null
  /** The list joined by `|` (the rawLabels column). */
  readonly joined: string
  /** The map's findings (as the batch numbers them) and values, in its order. */
  readonly findings: readonly number[]
  readonly values: readonly number[]
}

const NO_ROW: PackedLabels = { map: null, raw: null, joined: '', findings: [], values: [] }

/**
 * Packs image rows into batches as they are read: the batch packImageBatch makes of the same
 * rows (tested), without a record kept per row. `add` copies a row's values into the columns
 * (the row object may be reused by its parser); rows that share their label map and list (the
 * parsers keep one per distinct cell) share their packing.
 */
export class ImageBatchBuilder {
  readonly #split: boolean
  readonly #path: boolean
  readonly #findingIndex: ReadonlyMap<string, number>
  readonly #packed = new Map<ReadonlyMap<string, number>, PackedLabels>()
  #lastLabels = NO_ROW
  #capacity = 0
  #n = 0
  #name: string[] = []
  #patient: string[] = []
  /** age, followUp, width, height, spacingX, spacingY */
  #numbers: NumberColumn[] = []
  /** sex, view, rawLabels, study */
  #codes: CodeColumn[] = []
  #splits: CodeColumn | null = null
  #paths: (string | null)[] | null = null
  #labelRow = new Int32Array(0)
  #labelFinding = new Uint8Array(0)
  #labelValue = new Int8Array(0)
  #labels = 0

  /**
   * `split`, `path`: whether those sources were given (else their columns are null, as
   * packImageBatch's are without `splitOf`, `pathOf`).
   */
  constructor(
    capacity: number,
    o: { split: boolean; path: boolean; findingIndex: ReadonlyMap<string, number> },
  ) {
    this.#split = o.split
    this.#path = o.path
    this.#findingIndex = o.findingIndex
    this.#start(capacity)
  }

  /** Rows added since the last batch was taken. */
  get length(): number {
    return this.#n
  }

  get full(): boolean {
    return this.#n === this.#capacity
  }

  /** Adds a row (at most `capacity` before the batch is taken). */
  add(r: ImageRecord, split: string | null, path: string | null): void {
    const i = this.#n++
    this.#name[i] = r.name
    this.#patient[i] = r.patient
    // one hot call per row: the columns by index, not destructured
    const numbers = this.#numbers
    numbers[0]!.set(i, r.age)
    numbers[1]!.set(i, r.followUp)
    numbers[2]!.set(i, r.width)
    numbers[3]!.set(i, r.height)
    numbers[4]!.set(i, r.spacingX)
    numbers[5]!.set(i, r.spacingY)
    const codes = this.#codes
    codes[0]!.set(i, r.sex)
    codes[1]!.set(i, r.view)
    // rows mostly repeat a recent row's labels: the last pair is checked before the maps
    let labels = this.#lastLabels
    if (r.labels !== labels.map || r.rawLabels !== labels.raw) {
      labels = this.#labelsOf(r.labels, r.rawLabels)
      this.#lastLabels = labels
    }
    codes[2]!.set(i, labels.joined)
    codes[3]!.set(i, r.study ?? null)
    this.#splits?.set(i, split)
    if (this.#paths !== null) this.#paths[i] = path
    const { findings, values } = labels
    while (this.#labels + findings.length > this.#labelRow.length) this.#growLabels()
    for (let k = 0; k < findings.length; k++) {
      this.#labelRow[this.#labels] = i
      this.#labelFinding[this.#labels] = findings[k]!
      this.#labelValue[this.#labels++] = values[k]!
    }
  }

  /** The batch of the rows added since the last one; the next holds up to `capacity` rows. */
  take(capacity: number): ImageBatch {
    const n = this.#n
    const full = n === this.#capacity
    const plain = (values: unknown[]): PackedColumn => ({
      kind: 'plain',
      values: full ? values : values.slice(0, n),
    })
    const [age, followUp, width, height, spacingX, spacingY] = this.#numbers.map((c) =>
      c.packed(n),
    ) as [PackedColumn, PackedColumn, PackedColumn, PackedColumn, PackedColumn, PackedColumn]
    const [sex, view, rawLabels, study] = this.#codes.map((c) => c.packed(n)) as [
      PackedColumn,
      PackedColumn,
      PackedColumn,
      PackedColumn,
    ]
    const batch: ImageBatch = {
      columns: {
        name: plain(this.#name),
        patient: plain(this.#patient),
        age,
        sex,
        view,
        followUp,
        width,
        height,
        spacingX,
        spacingY,
        split: this.#splits === null ? null : this.#splits.packed(n),
        path: this.#paths === null ? null : plain(this.#paths),
        rawLabels,
        study,
      },
      labelRow: this.#labelRow.slice(0, this.#labels),
      labelFinding: this.#labelFinding.slice(0, this.#labels),
      labelValue: this.#labelValue.slice(0, this.#labels),
    }
    this.#start(capacity)
    return batch
  }

  #start(capacity: number): void {
    this.#capacity = capacity
    this.#n = 0
    this.#name = new Array<string>(capacity)
    this.#patient = new Array<string>(capacity)
    this.#numbers = Array.from({ length: 6 }, () => new NumberColumn(capacity))
    this.#codes = Array.from({ length: 4 }, () => new CodeColumn(capacity))
    this.#splits = this.#split ? new CodeColumn(capacity) : null
    this.#paths = this.#path ? new Array<string | null>(capacity) : null
    // about one label a row (CXR14 has 1.26): grown when a batch has more
    if (this.#labelRow.length < capacity * 2) {
      this.#labelRow = new Int32Array(capacity * 2)
      this.#labelFinding = new Uint8Array(capacity * 2)
      this.#labelValue = new Int8Array(capacity * 2)
    }
    this.#labels = 0
  }

  /**
   * A row's labels as packed, made once per distinct map (parsers share one map and list per
   * distinct cell; a map met with another list is packed again).
   */
  #labelsOf(map: ReadonlyMap<string, number>, raw: readonly string[]): PackedLabels {
    let packed = this.#packed.get(map)
    if (packed === undefined || packed.raw !== raw) {
      const findings: number[] = []
      const values: number[] = []
      for (const [f, v] of map) {
        findings.push(this.#findingIndex.get(f)!)
        values.push(v)
      }
      packed = { map, raw, joined: raw.join('|'), findings, values }
      this.#packed.set(map, packed)
    }
    return packed
  }

  #growLabels(): void {
    const size = Math.max(16, this.#labelRow.length * 2)
    const row = new Int32Array(size)
    const finding = new Uint8Array(size)
    const value = new Int8Array(size)
    row.set(this.#labelRow)
    finding.set(this.#labelFinding)
    value.set(this.#labelValue)
    this.#labelRow = row
    this.#labelFinding = finding
    this.#labelValue = value
  }
}
