import { describe, expect, it } from 'vitest'
import { createRng } from '../random.ts'
import { sortFloat64 } from './sort-float64.ts'

const builtIn = (values: Float64Array): Float64Array => values.slice().sort()

describe('sortFloat64', () => {
  it('[S10] orders like Float64Array.prototype.sort, -0 before +0, infinities at the ends', () => {
    const rng = createRng('sort')
    for (const n of [0, 1, 5, 511, 512, 3000, 40000]) {
      const values = new Float64Array(n)
      for (let i = 0; i < n; i++) {
        const u = rng.next()
        // a mix of ties, signs, tiny and huge magnitudes, zeros of both signs and infinities
        values[i] =
          u < 0.05
            ? [0, -0, Infinity, -Infinity, 5e-324, -5e-324][rng.int(6)]!
            : u < 0.3
              ? Math.round(rng.next() * 20) / 4 - 2
              : (rng.next() - 0.5) * 10 ** (rng.int(40) - 20)
      }
      const expected = builtIn(values)
      const actual = sortFloat64(values)
      expect(actual).toBe(values)
      for (let i = 0; i < n; i++) expect(Object.is(actual[i], expected[i])).toBe(true)
    }
  })

  it('[S10] sorts a subarray view in place without touching the rest of the buffer', () => {
    const buffer = new Float64Array(2000).map((_, i) => (i * 7919) % 2000)
    const view = buffer.subarray(500, 1500)
    const outside = [buffer[499], buffer[1500]]
    sortFloat64(view)
    for (let i = 1; i < view.length; i++) expect(view[i]! >= view[i - 1]!).toBe(true)
    expect([buffer[499], buffer[1500]]).toEqual(outside)
  })
})
