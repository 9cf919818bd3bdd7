import { describe, expect, it } from 'vitest'
import { createRng } from '../random.ts'
import { groupedStratifiedFolds } from './folds.ts'

/** 3,000 films of ~1,200 patients (1 to 5 films each), 12% positive, positives clustered by patient. */
function cohort(seed: number) {
  const rng = createRng(seed)
  const labels: number[] = []
  const groups: string[] = []
  for (let p = 0; labels.length < 3000; p++) {
    const films = 1 + rng.int(5)
    const sick = rng.next() < 0.12
    for (let f = 0; f < films; f++) {
      labels.push(sick && rng.next() < 0.8 ? 1 : 0)
      groups.push(`patient-${p}`)
    }
  }
  return { labels, groups }
}

describe('patient-grouped stratified folds', () => {
  const { labels, groups } = cohort(1)
  const folds = groupedStratifiedFolds(labels, groups, { folds: 5, seed: 42 })

  it('[LR6] puts every film of a patient in one fold', () => {
    const foldOf = new Map<string, number>()
    groups.forEach((g, i) => {
      if (!foldOf.has(g)) foldOf.set(g, folds[i]!)
      expect(folds[i]).toBe(foldOf.get(g))
    })
  })

  it('[LR6] spreads the positives and the films evenly over the folds', () => {
    const positives = new Array<number>(5).fill(0)
    const sizes = new Array<number>(5).fill(0)
    folds.forEach((f, i) => {
      sizes[f]!++
      positives[f]! += labels[i]!
    })
    const total = labels.reduce((a, b) => a + b, 0)
    for (let f = 0; f < 5; f++) {
      // within a patient's worth of films (at most 5) of the even share
      expect(Math.abs(positives[f]! - total / 5)).toBeLessThanOrEqual(5)
      expect(Math.abs(sizes[f]! - labels.length / 5)).toBeLessThanOrEqual(30)
    }
  })

  it('[LR6] is reproducible for a seed, differs for another, and ignores the order of the rows', () => {
    expect(Array.from(groupedStratifiedFolds(labels, groups, { folds: 5, seed: 42 }))).toEqual(
      Array.from(folds),
    )
    const other = groupedStratifiedFolds(labels, groups, { folds: 5, seed: 43 })
    expect(Array.from(other)).not.toEqual(Array.from(folds))
    const order = Array.from(labels.keys()).reverse()
    const reversed = groupedStratifiedFolds(
      order.map((i) => labels[i]!),
      order.map((i) => groups[i]!),
      { folds: 5, seed: 42 },
    )
    order.forEach((i, r) => expect(reversed[r]).toBe(folds[i]))
  })

  it('[LR6] refuses fewer groups than folds and labels that are not classes', () => {
    expect(() => groupedStratifiedFolds([0, 1, 0], ['a', 'a', 'b'], { folds: 3, seed: 1 })).toThrow(
      /at least 3 groups/,
    )
    expect(() => groupedStratifiedFolds([0, 0.5], ['a', 'b'], { folds: 2, seed: 1 })).toThrow(
      /not a class/,
    )
    expect(() => groupedStratifiedFolds([0, 1], ['a'], { folds: 2, seed: 1 })).toThrow(
      /2 labels but 1 groups/,
    )
  })
})
