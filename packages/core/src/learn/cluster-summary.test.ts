import { describe, expect, it } from 'vitest'
import { delong, wilsonInterval } from '../stats/index.ts'
import { summariseClusters } from './cluster-summary.ts'
import { featureMatrix } from './features.ts'
import { kMeans } from './kmeans.ts'

// two tight groups on a line: rows 0-4 near 0, rows 5-7 near 10 (row 8 outside the clustering)
const data = Float64Array.from([0, 1, -1, 0.5, -0.2, 10, 11, 9.5, 50])
const x = featureMatrix(data, 9, 1)
const rows = Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7])
const labels = [1, 1, 1, 0, 0, 1, 0, 0]
const scores = [0.9, 0.2, 0.7, 0.1, 0.3, 0.8, 0.4, NaN]
const tags = [['chest drain'], ['chest drain', 'rotated'], [], [], [], ['rotated'], [], []]
const reviewed = [1, 1, 1, 0, 1, 1, 0, 0]

describe('summariseClusters', () => {
  const km = kMeans(x, { k: 2, seed: 1, rows })
  const [big, small] = summariseClusters(x, km, { rows, labels, scores, tags, reviewed }, 0.5)

  it('[KC2] clusters numbered by size; items closest to the centre first', () => {
    expect(big!.cluster).toBe(1)
    expect(big!.size).toBe(5)
    // centre 0.06: distances 0.06 (0), 0.26 (4), 0.44 (3), 0.94 (1), 1.06 (2)
    expect(big!.items).toEqual([0, 4, 3, 1, 2])
    expect(big!.distances[0]).toBeCloseTo(0.06, 12)
    expect(small!.cluster).toBe(2)
    // centre 10.1667: 9.5 (7) is 0.667 away, 10 (5) 0.167, 11 (6) 0.833
    expect(small!.items).toEqual([5, 7, 6])
  })

  it('[KC2] sensitivity at the threshold over the scored positives, with the Wilson interval', () => {
    expect(big).toMatchObject({ positives: 3, negatives: 2, scoredPositives: 3, detected: 2 })
    const w = wilsonInterval(2, 3)
    expect(big!.sensitivity).toEqual({ value: 2 / 3, low: w.low, high: w.high })
    // the unscored row 7 counts as a film, not in the model's statistics
    expect(small).toMatchObject({ positives: 1, scoredPositives: 1, detected: 1 })
  })

  it('[KC2] AUC with the DeLong interval when a cluster has two of each class; none otherwise', () => {
    const d = delong([1, 1, 1, 0, 0], [0.9, 0.2, 0.7, 0.1, 0.3])
    expect(big!.auc).toEqual({ value: d.auc, low: d.low, high: d.high })
    expect(small!.auc).toBeNull()
  })

  it('[KC3] tags: the share of the reviewed films of the cluster carrying each tag', () => {
    expect(big!.reviewed).toBe(4)
    const drain = wilsonInterval(2, 4)
    const rotated = wilsonInterval(1, 4)
    expect(big!.tags).toEqual([
      { tag: 'chest drain', films: 2, share: 0.5, low: drain.low, high: drain.high },
      { tag: 'rotated', films: 1, share: 0.25, low: rotated.low, high: rotated.high },
    ])
    expect(small!.reviewed).toBe(1)
    expect(small!.tags.map((t) => [t.tag, t.share])).toEqual([['rotated', 1]])
  })

  it('[KC2] without a model or threshold there is no sensitivity', () => {
    const [c] = summariseClusters(x, km, { rows, labels, scores: null, tags, reviewed }, null)
    expect(c!.sensitivity).toBeNull()
    expect(c!.auc).toBeNull()
  })
})
