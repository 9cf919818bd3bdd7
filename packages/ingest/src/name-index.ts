/**
 * Image name -> position in the records. Metadata files list their names sorted, and a sorted
 * list needs no hash map of 112,120 names: lookups are binary searches. Any other order gets a
 * map. The names must be distinct.
 */
export class NameIndex {
  readonly #names: readonly string[]
  readonly #map: Map<string, number> | null

  /**
   * `positions`: the map of an unsorted list when the caller already built it (null: sorted),
   * so that 112,120 names are not hashed twice; else it is decided here.
   */
  constructor(
    names: readonly string[],
    positions: Map<string, number> | null | undefined = undefined,
  ) {
    this.#names = names
    this.#map =
      positions !== undefined
        ? positions
        : isSorted(names)
          ? null
          : new Map(names.map((n, i) => [n, i]))
  }

  get size(): number {
    return this.#names.length
  }

  /** The position of a name, or undefined. */
  get(name: string): number | undefined {
    if (this.#map !== null) return this.#map.get(name)
    const names = this.#names
    let lo = 0
    let hi = names.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      const n = names[mid]!
      if (n === name) return mid
      if (n < name) lo = mid + 1
      else hi = mid - 1
    }
    return undefined
  }

  has(name: string): boolean {
    return this.get(name) !== undefined
  }

  /** Every name, in record order. */
  keys(): Iterable<string> {
    return this.#names
  }
}

/** Whether each name sorts after the one before it (so there are no duplicates either). */
export function isSorted(names: readonly string[]): boolean {
  for (let i = 1; i < names.length; i++) if (!(names[i - 1]! < names[i]!)) return false
  return true
}
