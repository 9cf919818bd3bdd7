/**
 * Columns packed to cross threads cheaply: postMessage copies every value of an array one by
 * one, so numbers go as one Float64Array (moved, not copied) and strings of few distinct values
 * (sex, view, split, label lists) as small codes into a dictionary. Unpacked columns hold the
 * same values as the packed ones.
 */
export type PackedColumn =
  | { readonly kind: 'numbers'; readonly values: Float64Array }
  | { readonly kind: 'codes'; readonly codes: Uint8Array; readonly dictionary: unknown[] }
  | { readonly kind: 'plain'; readonly values: unknown[] }
  /** Every value null (CheXpert has no width, height, spacing, follow-up): only the count goes. */
  | { readonly kind: 'nulls'; readonly length: number }

/** A dictionary larger than this is no longer worth it: the column goes as it is. */
const MAX_CODES = 256

export function unpackColumn(p: PackedColumn): ArrayLike<unknown> {
  if (p.kind === 'nulls') return new Array<null>(p.length).fill(null)
  if (p.kind !== 'codes') return p.values
  const { codes, dictionary } = p
  const out = new Array<unknown>(codes.length)
  for (let i = 0; i < codes.length; i++) out[i] = dictionary[codes[i]!]
  return out
}

/** The buffers a packed column can hand over instead of copying. */
export function packedBuffers(p: PackedColumn): ArrayBuffer[] {
  if (p.kind === 'numbers') return [p.values.buffer as ArrayBuffer]
  if (p.kind === 'codes') return [p.codes.buffer as ArrayBuffer]
  return []
}

/**
 * Builds a packed column of numbers row by row, in order (row i after rows 0 to i - 1): nulls
 * only make a count, numbers only a Float64Array, a mix a plain column.
 */
export class NumberColumn {
  readonly #values: Float64Array
  #plain: (number | null)[] | null = null
  /** Rows 0 to #nulls - 1 are null; the rest so far numbers (none when #nulls is 0). */
  #nulls = 0
  #numbers = 0

  constructor(n: number) {
    this.#values = new Float64Array(n)
  }

  set(i: number, v: number | null): void {
    if (this.#plain !== null) this.#plain[i] = v
    else if (v === null ? this.#numbers === 0 : this.#nulls === 0) {
      if (v === null) this.#nulls++
      else {
        this.#values[i] = v
        this.#numbers++
      }
    } else {
      this.#plain = Array.from(this.#values) as (number | null)[]
      this.#plain.fill(null, 0, this.#nulls)
      this.#plain[i] = v
    }
  }

  /** Rows 0 to n - 1 (default: every row), which must all have been set. */
  packed(n = this.#values.length): PackedColumn {
    const full = n === this.#values.length
    if (this.#plain !== null)
      return { kind: 'plain', values: full ? this.#plain : this.#plain.slice(0, n) }
    return this.#nulls > 0 && this.#nulls === n
      ? { kind: 'nulls', length: this.#nulls }
      : { kind: 'numbers', values: full ? this.#values : this.#values.slice(0, n) }
  }
}

/** Builds a packed column of few distinct values row by row; too many make it a plain column. */
export class CodeColumn {
  readonly #codes: Uint8Array
  readonly #index = new Map<unknown, number>()
  #plain: unknown[] | null = null
  /** The last value set and its code: rows repeat their neighbour's, found without the map. */
  #last: unknown = undefined
  #lastCode = -1

  constructor(n: number) {
    this.#codes = new Uint8Array(n)
  }

  set(i: number, v: unknown): void {
    if (this.#plain !== null) {
      this.#plain[i] = v
      return
    }
    if (v === this.#last && this.#lastCode >= 0) {
      this.#codes[i] = this.#lastCode
      return
    }
    let c = this.#index.get(v)
    if (c === undefined) {
      if (this.#index.size === MAX_CODES) {
        const dictionary = [...this.#index.keys()]
        this.#plain = Array.from(this.#codes.subarray(0, i), (k) => dictionary[k])
        this.#plain.length = this.#codes.length
        this.#plain[i] = v
        return
      }
      c = this.#index.size
      this.#index.set(v, c)
    }
    this.#codes[i] = c
    this.#last = v
    this.#lastCode = c
  }

  /** Rows 0 to n - 1 (default: every row), which must all have been set. */
  packed(n = this.#codes.length): PackedColumn {
    const full = n === this.#codes.length
    return this.#plain === null
      ? {
          kind: 'codes',
          codes: full ? this.#codes : this.#codes.slice(0, n),
          dictionary: [...this.#index.keys()],
        }
      : { kind: 'plain', values: full ? this.#plain : this.#plain.slice(0, n) }
  }
}
