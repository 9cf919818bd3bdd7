// Little-endian platforms keep the low word of a float64 first.
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1
const HIGH = LITTLE_ENDIAN ? 1 : 0
const LOW = 1 - HIGH
const SIGN = 1 << 31
const BITS = 11
const MASK = (1 << BITS) - 1

/**
 * Sorts a Float64Array ascending in place and returns it, in the order of
 * `Float64Array.prototype.sort` (-0 before +0; the input must hold no NaN): an LSD radix sort on
 * the 64-bit keys (sign bit flipped for positives, all bits flipped for negatives, so the unsigned
 * keys order like the numbers), six 11-bit passes, skipping passes where every key has the same
 * digit. Several times faster than the built-in sort for the ~10^4-10^5 scores of a test set.
 */
export function sortFloat64(values: Float64Array): Float64Array {
  const n = values.length
  if (n < 512) return values.sort()
  // Int32 throughout: uint32 values above 2^31 would leave V8's small-integer fast path.
  const words = new Int32Array(values.buffer, values.byteOffset, n * 2)
  let high = new Int32Array(n)
  let low = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    const h = words[2 * i + HIGH] as number
    const l = words[2 * i + LOW] as number
    if (h < 0) {
      high[i] = ~h
      low[i] = ~l
    } else {
      high[i] = h | SIGN
      low[i] = l
    }
  }
  let nextHigh = new Int32Array(n)
  let nextLow = new Int32Array(n)
  const offsets = new Int32Array(MASK + 1)
  for (let pass = 0; pass < 6; pass++) {
    const keys = pass >= 3 ? high : low
    const shift = (pass % 3) * BITS
    offsets.fill(0)
    for (let i = 0; i < n; i++) {
      const digit = ((keys[i] as number) >> shift) & MASK
      offsets[digit] = (offsets[digit] as number) + 1
    }
    if (offsets.includes(n)) continue // every key has the same digit here
    let position = 0
    for (let d = 0; d <= MASK; d++) {
      const count = offsets[d] as number
      offsets[d] = position
      position += count
    }
    for (let i = 0; i < n; i++) {
      const digit = ((keys[i] as number) >> shift) & MASK
      const to = offsets[digit] as number
      offsets[digit] = to + 1
      nextHigh[to] = high[i] as number
      nextLow[to] = low[i] as number
    }
    const swapHigh = high
    high = nextHigh
    nextHigh = swapHigh
    const swapLow = low
    low = nextLow
    nextLow = swapLow
  }
  for (let i = 0; i < n; i++) {
    const h = high[i] as number
    const l = low[i] as number
    if (h < 0) {
      words[2 * i + HIGH] = h & ~SIGN
      words[2 * i + LOW] = l
    } else {
      words[2 * i + HIGH] = ~h
      words[2 * i + LOW] = ~l
    }
  }
  return values
}
