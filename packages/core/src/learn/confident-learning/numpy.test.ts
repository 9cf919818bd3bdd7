import { describe, expect, it } from 'vitest'
import golden from '../golden/learn.json' with { type: 'json' }
import { argsortNumpy, firstOfArgsort, pairwiseSum, roundHalfEven } from './numpy.ts'

const cases = golden.argsort as { keys: number[]; order: number[] }[]
const sums = golden.sums as { values: number[]; sum: number }[]

describe('numpy behaviours cleanlab depends on', () => {
  for (const c of cases) {
    it(`[CL9] np.argsort of ${c.keys.length} values full of ties: the same order`, () => {
      expect(Array.from(argsortNumpy(Float64Array.from(c.keys)))).toEqual(c.order)
    })
  }

  it('[CL9] the first k of np.argsort, with and without a tie across the cut', () => {
    for (const c of cases) {
      const keys = Float64Array.from(c.keys)
      for (const k of [1, Math.floor(c.keys.length / 3), c.keys.length - 1]) {
        const got = Array.from(firstOfArgsort(keys, k)).sort((a, b) => a - b)
        expect(got).toEqual(c.order.slice(0, k).sort((a, b) => a - b))
      }
    }
    const distinct = Float64Array.from([5, 1, 4, 2, 3])
    expect(Array.from(firstOfArgsort(distinct, 2)).sort()).toEqual([1, 3])
  })

  for (const c of sums) {
    it(`[CL9] numpy's pairwise sum of ${c.values.length} values of mixed magnitudes, bit for bit`, () => {
      expect(pairwiseSum(c.values)).toBe(c.sum)
    })
  }

  it('[CL9] rounding halves to even', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, 2.6].map(roundHalfEven)).toEqual([
      0, 2, 2, -0, -2, 2, 3,
    ])
  })
})
