import { describe, expect, it } from 'vitest'
import { formatCount } from './format-count.ts'

describe('formatCount', () => {
  it('writes every number as toLocaleString("en-US") does', () => {
    const numbers = [0, -0, 1, 9, 10, 999, 1000, 22_433, 100_000, 999_999, 1_000_000, 6187, -1234]
    for (let k = 0; k < 16; k++) numbers.push(10 ** k - 1, 10 ** k, -(10 ** k) + 7)
    numbers.push(Number.MAX_SAFE_INTEGER, 2 ** 60, 1.5, 1234.5678, Number.NaN, Infinity)
    for (const n of numbers) expect(formatCount(n)).toBe(n.toLocaleString('en-US'))
  })
})
