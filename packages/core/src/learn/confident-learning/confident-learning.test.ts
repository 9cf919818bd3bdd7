import { describe, expect, it } from 'vitest'
import { createRng } from '../../random.ts'
import { LearnInputError } from '../errors.ts'
import multiclass from '../golden/cleanlab-multiclass.json' with { type: 'json' }
import multilabel from '../golden/cleanlab-multilabel.json' with { type: 'json' }
import { calibrateJoint, confidentJoint, confidentThresholds } from './joint.ts'
import { FILTERS, findLabelIssues } from './filter.ts'
import { findBinaryLabelIssues, findMultilabelIssuesPerClass } from './multilabel.ts'
import { labelQualityScores } from './rank.ts'

const mc = multiclass as unknown as Record<string, number[]> & {
  labels: number[]
  pred_probs: number[][]
}
const probs = { data: Float64Array.from(mc.pred_probs.flat()), rows: mc.labels.length, classes: 3 }
const ml = multilabel as unknown as {
  labels: number[][]
  pred_probs: number[][]
  issues_prune_by_noise_rate: number[][]
  ranked_self_confidence: number[][]
}
const K = 5
const onehot = new Uint8Array(ml.labels.length * K)
ml.labels.forEach((ls, i) => ls.forEach((k) => (onehot[i * K + k] = 1)))
const scores = Float64Array.from(ml.pred_probs.flat())

describe('confident learning against cleanlab 2.9.0 (multiclass)', () => {
  for (const filterBy of FILTERS) {
    it(`[CL4] [CL5] [CL6] [CL7] filter_by=${filterBy}: the same rows`, () => {
      expect(Array.from(findLabelIssues(mc.labels, probs, { filterBy }))).toEqual(
        mc[`issues_${filterBy}`],
      )
    })
  }
  for (const rankBy of ['self_confidence', 'normalized_margin'] as const) {
    it(`[CL8] ranked by ${rankBy}: the same rows in the same order`, () => {
      expect(Array.from(findLabelIssues(mc.labels, probs, { rankBy }))).toEqual(
        mc[`ranked_${rankBy}`],
      )
    })
  }
})

describe('confident learning against cleanlab 2.9.0 (multi-label, one-vs-rest)', () => {
  it('[CL10] find_multilabel_issues_per_class: the same rows per class', () => {
    const got = findMultilabelIssuesPerClass(onehot, scores, K)
    expect(got.map((g) => Array.from(g))).toEqual(ml.issues_prune_by_noise_rate)
  })
  it('[CL8] [CL9] [CL10] ranked by self_confidence: the same order, ties as numpy orders them', () => {
    // class 4 has two rows scored exactly 1 (self-confidence 0): numpy's introsort puts 1771
    // before 504, a stable sort would not
    const got = findMultilabelIssuesPerClass(onehot, scores, K, { rankBy: 'self_confidence' })
    expect(got.map((g) => Array.from(g))).toEqual(ml.ranked_self_confidence)
  })
})

describe('confident learning pieces', () => {
  it('[CL1] thresholds: the mean self-confidence per class, 2 for a class nobody has', () => {
    const p = { data: new Float64Array([0.9, 0.1, 0.6, 0.4, 0.2, 0.8]), rows: 3, classes: 2 }
    expect(Array.from(confidentThresholds([0, 0, 0], p))).toEqual([(0.9 + 0.6 + 0.2) / 3, 2])
  })

  it('[CL2] the confident joint counts rows by given label and confident class', () => {
    // row 2 is confident of both classes: the larger probability wins; row 3 of none
    const p = {
      data: new Float64Array([0.9, 0.1, 0.2, 0.8, 0.7, 0.75, 0.1, 0.1]),
      rows: 4,
      classes: 2,
    }
    const cj = confidentJoint([0, 0, 1, 1], p, false)
    expect(Array.from(cj.thresholds)).toEqual([0.55, 0.425])
    expect(Array.from(cj.joint)).toEqual([1, 1, 0, 1])
    expect(Array.from(cj.offDiagonal)).toEqual([1])
  })

  it('[CL3] calibration rescales rows to the label counts and rounds keeping row totals', () => {
    const joint = new Float64Array([3, 1, 1, 1])
    // rows to 6 and 2 rows: [4.5, 1.5] and [1, 1], rounded half to even keeping totals 6 and 2
    expect(Array.from(calibrateJoint(joint, new Float64Array([6, 2]), 2))).toEqual([4, 2, 1, 1])
  })

  it('[CL8] label quality: self-confidence and normalised margin', () => {
    const p = { data: new Float64Array([0.7, 0.2, 0.1, 0.1, 0.3, 0.6]), rows: 2, classes: 3 }
    expect(Array.from(labelQualityScores([0, 1], p, 'self_confidence'))).toEqual([0.7, 0.3])
    const margin = labelQualityScores([0, 1], p, 'normalized_margin')
    expect(margin[0]).toBeCloseTo((0.7 - 0.2 + 1) / 2, 15)
    expect(margin[1]).toBeCloseTo((0.3 - 0.6 + 1) / 2, 15)
  })

  it('[CL10] one finding: [1 - p, p] two-class issues, mixed positives and negatives', () => {
    const rng = createRng(9)
    const n = 400
    const labels = new Uint8Array(n)
    const p = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      const truth = rng.next() < 0.3 ? 1 : 0
      labels[i] = i % 10 === 0 ? 1 - truth : truth // every tenth label flipped
      p[i] = Math.round((truth ? 0.6 + 0.4 * rng.next() : 0.4 * rng.next()) * 1e6) / 1e6
    }
    const issues = findBinaryLabelIssues(labels, p)
    const flipped = Array.from(issues).filter((i) => i % 10 === 0).length
    expect(flipped / issues.length).toBeGreaterThan(0.9)
    expect(flipped).toBeGreaterThan(30)
    expect(new Set(Array.from(issues, (i) => labels[i])).size).toBe(2)
  })

  it('[CL10] refuses scores outside [0, 1] and labels outside the classes', () => {
    expect(() => findBinaryLabelIssues([0, 1], [0.5, 1.5])).toThrow(
      /row 1 is 1.5, not a probability/,
    )
    expect(() => findLabelIssues([0, 3], probs)).toThrow(LearnInputError)
    expect(() => findLabelIssues(mc.labels, probs, { filterBy: 'nope' as never })).toThrow(
      /unknown filter/,
    )
  })
})
