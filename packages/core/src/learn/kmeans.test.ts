import { describe, expect, it } from 'vitest'
import { featureMatrix } from './features.ts'
import { kMeans } from './kmeans.ts'
import golden from './golden/learn.json' with { type: 'json' }

const g = golden.kmeans as {
  x: number[][]
  initRows: number[]
  labels: number[]
  centres: number[][]
  inertia: number
  iterations: number
}
const x = featureMatrix(Float32Array.from(g.x.flat()), g.x.length, g.x[0]!.length)

describe('k-means', () => {
  it('[KM2] Lloyd from the same start as scikit-learn gives its labels, centres, inertia and iterations', () => {
    const r = kMeans(x, { k: 4, seed: 1, initialRows: g.initRows })
    expect(Array.from(r.labels)).toEqual(g.labels)
    g.centres.flat().forEach((c, i) => expect(r.centres[i]).toBeCloseTo(c, 9))
    expect(r.inertia).toBeCloseTo(g.inertia, 8)
    expect(r.iterations).toBe(g.iterations)
    expect(r.converged).toBe(true)
  })

  it('[KM1] the same seed gives the same clusters; k-means++ finds the four blobs', () => {
    const a = kMeans(x, { k: 4, seed: 'clusters:1' })
    const b = kMeans(x, { k: 4, seed: 'clusters:1' })
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels))
    expect(Array.from(a.centres)).toEqual(Array.from(b.centres))
    // the partition is sklearn's (up to the clusters' numbering)
    const pairs = new Set(g.labels.map((l, i) => `${l}:${a.labels[i]}`))
    expect(pairs.size).toBe(4)
    expect(a.inertia).toBeCloseTo(g.inertia, 6)
    expect(Array.from(a.sizes).reduce((s, v) => s + v, 0)).toBe(x.rows)
  })

  it('[KM1] clusters a subset of rows, in their order, and refuses more clusters than rows', () => {
    const rows = Int32Array.from([5, 6, 7, 8, 9, 10])
    const r = kMeans(x, { k: 2, seed: 3, rows })
    expect(r.labels.length).toBe(6)
    expect(() => kMeans(x, { k: 7, seed: 3, rows })).toThrow(/at least 7 rows/)
  })

  it('[KM2] an empty cluster takes the farthest row instead of staying empty', () => {
    // two identical starting centres: the second cluster is empty after the first assignment
    const points = featureMatrix(new Float64Array([0, 0, 0, 1, 10, 10, 10, 11]), 4, 2)
    const r = kMeans(points, { k: 2, seed: 1, initialRows: [0, 0] })
    expect(Array.from(r.sizes).sort()).toEqual([2, 2])
    expect(r.inertia).toBeCloseTo(1, 12)
  })
})
