import { describe, expect, it } from 'vitest'
import { dctPhash, hammingDistance } from './phash.ts'
import { intensityStats } from './stats.ts'

function gradient(f: (x: number, y: number) => number): Uint8Array {
  const out = new Uint8Array(32 * 32)
  for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) out[y * 32 + x] = f(x, y)
  return out
}

describe('[I17] perceptual hash and Hamming distance', () => {
  const base = gradient((x, y) => (x * 5 + y * 3 + ((x * y) % 7) * 4) % 256)

  it('is 16 hex digits and stable', () => {
    expect(dctPhash(base)).toMatch(/^[0-9a-f]{16}$/)
    expect(dctPhash(base)).toBe(dctPhash(base.slice()))
  })

  it('barely moves for a small brightness change and moves a lot for a mirror image', () => {
    // near-duplicate films (re-exported with a slight contrast change) must stay close, while a
    // left-right flip (a different film for laterality) must not look like a duplicate
    const brighter = base.map((v) => Math.min(255, v + 6))
    const flipped = gradient((x, y) => base[y * 32 + (31 - x)] ?? 0)
    expect(hammingDistance(dctPhash(base), dctPhash(brighter))).toBeLessThanOrEqual(4)
    expect(hammingDistance(dctPhash(base), dctPhash(flipped))).toBeGreaterThan(10)
  })

  it('counts differing bits', () => {
    expect(hammingDistance('0000000000000000', 'ffffffffffffffff')).toBe(64)
    expect(hammingDistance('00000000000000a1', '0000000000000081')).toBe(1)
    expect(() => hammingDistance('00', '000')).toThrow(RangeError)
  })

  it('needs exactly 32 x 32 values', () => {
    expect(() => dctPhash(new Uint8Array(10))).toThrow(RangeError)
  })
})

describe('[I17] intensity statistics', () => {
  it('splits the outer 10% frame from the central half', () => {
    // 10 x 10 image: white frame one pixel wide, black inside
    const px = new Uint8Array(100)
    for (let y = 0; y < 10; y++)
      for (let x = 0; x < 10; x++)
        px[y * 10 + x] = x === 0 || y === 0 || x === 9 || y === 9 ? 255 : 0
    const s = intensityStats(px, 10, 10)
    expect(s.borderMean).toBe(1)
    expect(s.centreMean).toBe(0)
    expect(s.mean).toBeCloseTo(36 / 100, 6)
  })
})
