import { describe, expect, it } from 'vitest'
import { auc } from '../stats/index.ts'
import { COMPARE_METHOD, compareLabelings } from './compare.ts'

describe('reader against original labels', () => {
  const scores = Array.from({ length: 60 }, (_, i) => ((i * 37) % 60) / 60)
  const original = scores.map((s, i) => (s > 0.5 || i % 7 === 0 ? 1 : 0))
  // the reader rejects the original positives the model scored low: the model looks better
  const reader = original.map((l, i) => (l === 1 && scores[i]! < 0.5 ? 0 : l))

  it('[M16] the difference is AUC(reader) - AUC(original) on the same images, with a seeded interval', () => {
    const c = compareLabelings(reader, original, scores, { seed: 5, replicates: 300 })
    expect(c.method).toBe(COMPARE_METHOD)
    expect(c.difference).toBeCloseTo(auc(reader, scores) - auc(original, scores), 15)
    expect(c.difference!).toBeGreaterThan(0)
    expect(c.low!).toBeLessThanOrEqual(c.difference!)
    expect(c.high!).toBeGreaterThanOrEqual(c.difference!)
    expect(c.replicates + c.undefinedReplicates).toBe(300)
    expect(compareLabelings(reader, original, scores, { seed: 5, replicates: 300 })).toEqual(c)
    expect(c.significant).toBe(c.low! > 0 || c.high! < 0)
  })

  it('[M16] the same labels give a difference of exactly 0', () => {
    const c = compareLabelings(original, original, scores, { seed: 1, replicates: 50 })
    expect(c).toMatchObject({ difference: 0, low: 0, high: 0, significant: false })
  })

  it('[M16] with a class missing the comparison is undefined, not a crash', () => {
    const c = compareLabelings([1, 1, 1], [1, 0, 1], [0.1, 0.2, 0.3], { seed: 1, replicates: 20 })
    expect(c).toMatchObject({
      difference: null,
      low: null,
      reason: 'no-negatives',
      significant: null,
    })
  })
})
