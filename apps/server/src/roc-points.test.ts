import { describe, expect, it } from 'vitest'
import { thinRoc } from './roc-points.ts'

describe('thinning a ROC curve for the models page', () => {
  it('[W29] keeps the ends, drops points closer than the step, stays monotone', () => {
    const n = 20001
    const fpr = Array.from({ length: n }, (_, i) => i / (n - 1))
    const tpr = fpr.map((f) => Math.sqrt(f))
    const t = thinRoc(fpr, tpr)
    expect(t.fpr.length).toBe(t.tpr.length)
    expect(t.fpr.length).toBeLessThanOrEqual(2 / 0.005 + 2)
    expect(t.fpr.length).toBeGreaterThan(100)
    expect([t.fpr[0], t.tpr[0], t.fpr.at(-1), t.tpr.at(-1)]).toEqual([0, 0, 1, 1])
    for (let i = 1; i < t.fpr.length; i++) {
      expect(t.fpr[i]!).toBeGreaterThanOrEqual(t.fpr[i - 1]!)
      expect(t.tpr[i]!).toBeGreaterThanOrEqual(t.tpr[i - 1]!)
    }
    expect(thinRoc([0, 1], [0, 1])).toEqual({ fpr: [0, 1], tpr: [0, 1] })
  })
})
