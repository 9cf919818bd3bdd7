import { describe, expect, it } from 'vitest'
import { auc } from './auc.ts'
import {
  averagePrecision,
  confusionAt,
  precisionRecallCurve,
  rocCurve,
  thresholdForSensitivity,
  youdenThreshold,
} from './curves.ts'
import { StatsInputError, UndefinedAucError } from './errors.ts'
import golden from './golden/curves.json' with { type: 'json' }

const closeArray = (actual: Float64Array, expected: readonly number[], tolerance = 1e-12): void => {
  expect(actual.length).toBe(expected.length)
  actual.forEach((value, i) => {
    expect(Math.abs(value - (expected[i] as number))).toBeLessThanOrEqual(tolerance)
  })
}

describe('rocCurve', () => {
  it('[S14] matches sklearn roc_curve(drop_intermediate=False), first threshold Infinity', () => {
    for (const c of golden.cases) {
      const curve = rocCurve(c.y, c.score)
      closeArray(curve.fpr, c.roc.fpr)
      closeArray(curve.tpr, c.roc.tpr)
      expect(curve.thresholds[0]).toBe(Infinity)
      closeArray(curve.thresholds.subarray(1), c.roc.thresholds, 0)
    }
  })

  it('[S14] the trapezoid area under the curve is the AUC', () => {
    for (const c of golden.cases) {
      const { fpr, tpr } = rocCurve(c.y, c.score)
      let area = 0
      for (let k = 1; k < fpr.length; k++) {
        area += ((fpr[k]! - fpr[k - 1]!) * (tpr[k]! + tpr[k - 1]!)) / 2
      }
      expect(Math.abs(area - auc(c.y, c.score))).toBeLessThan(1e-12)
      expect(Math.abs(area - c.auc)).toBeLessThan(1e-12)
    }
  })

  it('[S14] needs both classes', () => {
    expect(() => rocCurve([1, 1], [0.2, 0.3])).toThrow(UndefinedAucError)
  })
})

describe('precision-recall', () => {
  it('[S15] the curve matches sklearn 1.2 precision_recall_curve', () => {
    for (const c of golden.cases) {
      const curve = precisionRecallCurve(c.y, c.score)
      closeArray(curve.precision, c.pr.precision)
      closeArray(curve.recall, c.pr.recall)
      closeArray(curve.thresholds, c.pr.thresholds, 0)
    }
  })

  it('[S15] average precision matches sklearn average_precision_score', () => {
    for (const c of golden.cases) {
      expect(Math.abs(averagePrecision(c.y, c.score) - c.averagePrecision)).toBeLessThan(1e-12)
    }
  })

  it('[S15] needs positives but not negatives', () => {
    expect(averagePrecision([1, 1], [0.2, 0.3])).toBe(1)
    expect(() => averagePrecision([0, 0], [0.2, 0.3])).toThrow(
      'average precision undefined: no positives',
    )
  })
})

describe('operating points', () => {
  it('[S16] youden threshold matches the first maximum of sklearn tpr - fpr', () => {
    for (const c of golden.cases) {
      const point = youdenThreshold(c.y, c.score)
      expect(point.threshold).toBe(c.youden.threshold)
      expect(Math.abs(point.sensitivity - c.youden.sensitivity)).toBeLessThan(1e-12)
      expect(Math.abs(point.specificity - c.youden.specificity)).toBeLessThan(1e-12)
      expect(Math.abs(point.j - c.youden.j)).toBeLessThan(1e-12)
    }
  })

  it('[S16] threshold for a target sensitivity is the highest one reaching it', () => {
    for (const c of golden.cases) {
      for (const target of c.sensitivityTargets) {
        const point = thresholdForSensitivity(c.y, c.score, target.target)
        expect(point.threshold).toBe(target.threshold)
        expect(Math.abs(point.sensitivity - target.sensitivity)).toBeLessThan(1e-12)
        expect(Math.abs(point.specificity - target.specificity)).toBeLessThan(1e-12)
      }
    }
    expect(() => thresholdForSensitivity([0, 1], [0, 1], 0)).toThrow(StatsInputError)
  })

  it('[S16] confusionAt calls score >= threshold positive', () => {
    for (const c of golden.cases) {
      for (const expected of c.confusions) {
        const { threshold, ...counts } = expected
        expect(confusionAt(c.y, c.score, threshold)).toEqual(counts)
      }
    }
    // a score equal to the threshold is positive
    expect(confusionAt([1, 0], [0.5, 0.5], 0.5)).toEqual({ tp: 1, fp: 1, tn: 0, fn: 0 })
    expect(() => confusionAt([1, 3], [0.5, 0.5], 0.5)).toThrow(StatsInputError)
  })
})
