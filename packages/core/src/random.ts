/**
 * Seeded pseudo-random numbers for reproducible sampling and bootstrap (docs/SPEC-stats.md
 * [R1]-[R3]). The generator is sfc32 (Chris Doty-Humphrey's Small Fast Counting generator,
 * PractRand) seeded by the cyrb128 hash (bryc, public domain) of the seed's text. Both are
 * fixed here forever: the same seed gives the same stream in every version.
 */

/** A source of uniform numbers; anything with these two methods can drive the samplers. */
export interface Rng {
  /** A uniform number in [0, 1) with 53 random bits. */
  next(): number
  /** A uniform integer in [0, n), without modulo bias; n an integer in [1, 2^32]. */
  int(n: number): number
}

/** The generator `createRng` makes: an Rng with a bulk draw for tight loops. */
export interface SeededRng extends Rng {
  /** Fills `out` with the same draws as `out.length` calls of int(n), in order. */
  fillInts(n: number, out: Int32Array | Uint32Array): void
}

export type Seed = number | string

/**
 * Reads a seed as written; the one seed parser. A sampling seed (an audit's [W2], a gallery's
 * [M31]) is a whole number from 0 to 2^53 - 1 in decimal digits, anything else ("abc", "1.5",
 * "-3", "1e3") is undefined, so that a typo never silently draws another sample. A bootstrap
 * seed (`anyText`, [L12]) may be any text, hashed as text [R1]; a whole number, signed, is that
 * number; blank is undefined.
 */
export function parseSeed(text: string | number, o: { anyText?: boolean } = {}): Seed | undefined {
  const s = typeof text === 'number' ? String(text) : text.trim()
  if (o.anyText === true) {
    if (s === '') return undefined
    return /^-?\d+$/.test(s) && Number.isSafeInteger(Number(s)) ? Number(s) : s
  }
  return /^\d{1,16}$/.test(s) && Number.isSafeInteger(Number(s)) ? Number(s) : undefined
}

/** Why parseSeed refused a sampling seed. */
export const badSeed = (text: string | number): string =>
  `the seed must be a whole number between 0 and ${Number.MAX_SAFE_INTEGER}, got "${String(text)}"`

const TWO_POW_32 = 4294967296

/** The text a seed is hashed from: a number seed must be a safe integer and is its decimal text. */
function seedText(seed: Seed): string {
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed)) {
      throw new RangeError(`a numeric seed must be a safe integer, got ${seed}`)
    }
    return String(seed)
  }
  return seed
}

/** cyrb128: four 32-bit words from the UTF-16 code units of `text`. */
function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703
  let h2 = 3144134277
  let h3 = 1013904242
  let h4 = 2773480762
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i)
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067)
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233)
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213)
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179)
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067)
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233)
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213)
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179)
  h1 ^= h2 ^ h3 ^ h4
  h2 ^= h1
  h3 ^= h1
  h4 ^= h1
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0]
}

function checkRange(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
    throw new RangeError(`int(n) needs an integer n in [1, 2^32], got ${n}`)
  }
}

/**
 * A seeded generator: `createRng(42)` and `createRng('42')` give the same stream [R1].
 * sfc32 state from cyrb128(seed text), the first 12 outputs discarded.
 */
export function createRng(seed: Seed): SeededRng {
  let [a, b, c, d] = cyrb128(seedText(seed))
  const uint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return t >>> 0
  }
  for (let i = 0; i < 12; i++) uint32()
  return {
    next(): number {
      const high = uint32() >>> 5 // 27 bits
      const low = uint32() >>> 6 // 26 bits
      return (high * 67108864 + low) / 9007199254740992
    },
    int(n: number): number {
      checkRange(n)
      // Rejection: accept only draws below the largest multiple of n, so every residue is
      // equally likely.
      const limit = TWO_POW_32 - (TWO_POW_32 % n)
      for (;;) {
        const u = uint32()
        if (u < limit) return u % n
      }
    },
    fillInts(n: number, out: Int32Array | Uint32Array): void {
      // the same draws as out.length calls of int(n), checked once: bootstrap loops need millions
      checkRange(n)
      const limit = TWO_POW_32 - (TWO_POW_32 % n)
      for (let i = 0; i < out.length; i++) {
        let u = uint32()
        while (u >= limit) u = uint32()
        out[i] = u % n
      }
    },
  }
}

/**
 * A shuffled copy of `items` (the input is not changed): the forward Fisher-Yates shuffle
 * (Durstenfeld 1964), position i swapped with i + rng.int(length - i) [R3].
 */
export function shuffle<T>(items: readonly T[], rng: Rng): T[] {
  return sampleWithoutReplacement(items, items.length, rng)
}

/**
 * k items drawn without replacement, in draw order: the first k steps of the forward
 * Fisher-Yates shuffle, so the sample for k is the first k items of `shuffle` with the same seed
 * and a larger k extends a smaller one [R3].
 */
export function sampleWithoutReplacement<T>(items: readonly T[], k: number, rng: Rng): T[] {
  if (!Number.isInteger(k) || k < 0 || k > items.length) {
    throw new RangeError(`k must be an integer in [0, ${items.length}], got ${k}`)
  }
  const pool = items.slice()
  for (let i = 0; i < k && i < pool.length - 1; i++) {
    const j = i + rng.int(pool.length - i)
    const picked = pool[j] as T
    pool[j] = pool[i] as T
    pool[i] = picked
  }
  pool.length = k
  return pool
}
