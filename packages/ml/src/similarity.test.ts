import { describe, expect, it } from 'vitest'
import { centreAndNormalise, rowDot, similarPairs } from './similarity.ts'

/** A seeded generator (mulberry32), so the data is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('similarity', () => {
  it('[ML8] centring then normalising gives unit rows with a zero mean; a constant row stays zero', () => {
    const v = Float32Array.of(1, 2, 3, 5, 2, 3, 1, 2, 3)
    const u = centreAndNormalise(v, 3, 3)
    // mean (7/3, 2, 3): row 3 is (-4/3, 0, 0), row 2 (8/3, 0, 0), row 1 (-4/3, 0, 0)
    expect(Array.from(u)).toEqual([-1, 0, 0, 1, 0, 0, -1, 0, 0])
    const same = centreAndNormalise(Float32Array.of(2, 2, 2, 2), 2, 2)
    expect(Array.from(same)).toEqual([0, 0, 0, 0])
  })

  it('[ML8] blockwise pairs equal all pairs compared one by one, across block edges', async () => {
    const rand = seeded(7)
    const n = 150
    const d = 24
    const v = new Float32Array(n * d)
    for (let i = 0; i < v.length; i++) v[i] = rand()
    // plant near-copies: row 140 ~ row 3 (another block), row 41 ~ row 40 (same block)
    for (let k = 0; k < d; k++) {
      v[140 * d + k] = v[3 * d + k]! + 0.01 * rand()
      v[41 * d + k] = v[40 * d + k]! + 0.01 * rand()
    }
    const u = centreAndNormalise(v, n, d)
    const threshold = 0.5
    const brute: string[] = []
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) if (rowDot(u, d, i, j) >= threshold) brute.push(`${i}-${j}`)
    const found = await similarPairs(u, n, d, threshold, 32)
    expect(found.map((p) => `${p.i}-${p.j}`).sort()).toEqual(brute.sort())
    expect(brute.length).toBeGreaterThan(2)
    expect(
      found
        .slice(0, 2)
        .map((p) => `${p.i}-${p.j}`)
        .sort(),
    ).toEqual(['3-140', '40-41'])
    expect(found[0]!.cosine).toBeGreaterThan(0.99)
    for (let k = 1; k < found.length; k++)
      expect(found[k]!.cosine).toBeLessThanOrEqual(found[k - 1]!.cosine)
  })

  it('[ML8] one image has no pairs', async () => {
    expect(await similarPairs(Float32Array.of(1, 0), 1, 2, 0.5)).toEqual([])
  })
})
