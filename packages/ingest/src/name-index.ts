/**
 * Image name -> position in the records. Metadata files list their names sorted or nearly so
 * (the 2020 CXR14 file has 4,479 of 112,120 names out of order), and hashing every name into a
 * map costs more than the rest of reading them: names that sort after all before them go to a
 * sorted list searched by bisection, only the others to a map. The names must be distinct.
 */
export class NameIndex {
  readonly #names: readonly string[]
  /** The names that sorted after every earlier one, ascending, and their positions. */
  readonly #sorted: readonly string[]
  readonly #sortedAt: readonly number[] | null
  readonly #others: ReadonlyMap<string, number>
  #lookups = 0
  #all: Map<string, number> | null = null

  /** `built`: what a NameIndexBuilder gathered while adding `names`; else it is built here. */
  constructor(names: readonly string[], built?: NameIndexBuilder) {
    this.#names = names
    if (built === undefined) {
      built = new NameIndexBuilder()
      for (const n of names) built.add(n)
    }
    const parts = built.parts()
    this.#sorted = parts.sorted
    // every name in order: positions are the sorted list's own
    this.#sortedAt = parts.sorted.length === names.length ? null : parts.sortedAt
    this.#others = parts.others
  }

  get size(): number {
    return this.#names.length
  }

  /** The position of a name, or undefined. */
  get(name: string): number | undefined {
    // many lookups (a split list names every image): one map of every name costs less than a
    // bisection each, whose comparisons of names cut from the file's text are runtime calls
    if (this.#all !== null) return this.#all.get(name)
    if (++this.#lookups > MAP_AFTER) {
      this.#all = new Map()
      for (let i = 0; i < this.#names.length; i++) this.#all.set(this.#names[i]!, i)
      return this.#all.get(name)
    }
    const other = this.#others.size === 0 ? undefined : this.#others.get(name)
    if (other !== undefined) return other
    const k = bisect(this.#sorted, name)
    if (k < 0) return undefined
    return this.#sortedAt === null ? k : this.#sortedAt[k]
  }

  has(name: string): boolean {
    return this.get(name) !== undefined
  }

  /** Every name, in record order. */
  keys(): Iterable<string> {
    return this.#names
  }
}

/** Lookups by bisection before every name goes into a map. */
const MAP_AFTER = 4096

/** Gathers a NameIndex one name at a time, telling repeated names apart as it goes. */
export class NameIndexBuilder {
  readonly #sorted: string[] = []
  readonly #sortedAt: number[] = []
  readonly #others = new Map<string, number>()
  #count = 0

  /** Adds a name at the next position; false (and nothing added) when it was added before. */
  add(name: string): boolean {
    const sorted = this.#sorted
    if (sorted.length === 0 || name > sorted[sorted.length - 1]!) {
      sorted.push(name)
      this.#sortedAt.push(this.#count++)
      return true
    }
    if (this.#others.has(name) || bisectNearEnd(sorted, name) >= 0) return false
    this.#others.set(name, this.#count++)
    return true
  }

  parts(): { sorted: string[]; sortedAt: number[]; others: Map<string, number> } {
    return { sorted: this.#sorted, sortedAt: this.#sortedAt, others: this.#others }
  }
}

/** The index of a name in an ascending list (between lo and hi), or -1. */
function bisect(names: readonly string[], name: string, lo = 0, hi = names.length - 1): number {
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1
    const n = names[mid]!
    if (n === name) return mid
    if (n < name) lo = mid + 1
    else hi = mid - 1
  }
  return -1
}

/**
 * bisect for a name not after the last one, searched from the end in steps that double: the
 * names out of order in a metadata file are a few rows of one patient swapped, close to the
 * end of the sorted list, found in a few comparisons instead of 17.
 */
function bisectNearEnd(names: readonly string[], name: string): number {
  // the name, if listed, is at or before hi and, once the loop stops, at or after lo
  let hi = names.length - 1
  let lo = 0
  for (let step = 1; hi - step > 0; step *= 2) {
    const probe = hi - step
    if (names[probe]! <= name) {
      lo = probe
      break
    }
    hi = probe - 1
  }
  return bisect(names, name, lo, hi)
}
