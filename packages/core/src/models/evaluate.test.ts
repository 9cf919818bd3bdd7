import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { sharedData } from '../../../../test-support/shared-data.ts'
import { createRng } from '../random.ts'
import {
  UndefinedStatisticError,
  averagePrecision,
  precisionRecallCurve,
  rocCurve,
} from '../stats/index.ts'
import { aucSummary, evaluateScores } from './evaluate.ts'
import { ModelSpecError } from './errors.ts'
import {
  formatThresholdSpec,
  operatingPoint,
  parseThresholdSpec,
  type ThresholdSpec,
} from './threshold.ts'

interface GoldenCase {
  y: number[]
  score: number[]
  auc: number
  delong: { auc: number; aucLow: number; aucHigh: number; variance: number }
}
const golden = JSON.parse(
  readFileSync(sharedData('golden/statistics/auc-delong.json'), 'utf8'),
) as {
  cases: GoldenCase[]
}

describe('AUC summary', () => {
  it('[M10] [M11] equals sklearn roc_auc_score and pROC ci.auc(delong) on the shared golden cases', () => {
    for (const c of golden.cases) {
      const s = aucSummary(c.y, c.score)
      expect(s.auc).toBeCloseTo(c.auc, 12)
      expect(Math.abs(s.aucLow! - c.delong.aucLow)).toBeLessThan(1e-9)
      expect(Math.abs(s.aucHigh! - c.delong.aucHigh)).toBeLessThan(1e-9)
      expect(Math.abs(s.variance! - c.delong.variance)).toBeLessThan(1e-9)
      expect(s.n).toBe(c.y.length)
      expect(s.positives).toBe(c.y.filter((v) => v === 1).length)
    }
  })

  it('[M10] hand-worked: ties count one half', () => {
    // positives 0.8, 0.5; negatives 0.5, 0.2: pairs 1 + 1 + 0.5 + 1 = 3.5 of 4
    const s = aucSummary([1, 1, 0, 0], [0.8, 0.5, 0.5, 0.2])
    expect(s.auc).toBe(0.875)
    expect(s).toMatchObject({ n: 4, positives: 2, negatives: 2 })
  })

  it('[M10] no positives, no negatives or no images: auc null with a reason, no throw', () => {
    expect(aucSummary([0, 0, 0], [0.1, 0.2, 0.3])).toMatchObject({
      n: 3,
      positives: 0,
      auc: null,
      aucLow: null,
      reason: 'no-positives',
    })
    expect(aucSummary([1, 1], [0.1, 0.2])).toMatchObject({ auc: null, reason: 'no-negatives' })
    expect(aucSummary([], [])).toMatchObject({ n: 0, auc: null, reason: 'empty' })
  })

  it('[M11] one positive: the AUC is defined, its DeLong interval is not', () => {
    const s = aucSummary([1, 0, 0, 0], [0.9, 0.1, 0.95, 0.2])
    expect(s.auc).toBeCloseTo(2 / 3, 15)
    expect(s).toMatchObject({ aucLow: null, aucHigh: null, intervalReason: 'too-few-positives' })
    expect(s.reason).toBeUndefined()
  })
})

describe('thresholds', () => {
  it('[M14] parses youden, sens:X and numbers; refuses the rest', () => {
    expect(parseThresholdSpec('youden')).toEqual({ rule: 'youden' })
    expect(parseThresholdSpec('sens:0.9')).toEqual({ rule: 'sensitivity', target: 0.9 })
    expect(parseThresholdSpec('0.35')).toEqual({ rule: 'fixed', value: 0.35 })
    expect(formatThresholdSpec(parseThresholdSpec('SENS:0.95'))).toBe('sens:0.95')
    for (const bad of ['', 'abc', 'sens:0', 'sens:1.5', 'sens:x', 'NaN'])
      expect(() => parseThresholdSpec(bad)).toThrow(ModelSpecError)
  })

  it('[M14] hand-worked operating points: score >= threshold is positive', () => {
    const y = [1, 1, 1, 0, 0, 0]
    const s = [0.9, 0.6, 0.3, 0.5, 0.4, 0.1]
    // J = tpr - fpr: 0.9 -> 1/3, 0.6 -> 2/3, 0.5 -> 1/3, 0.4 -> 0, 0.3 -> 1/3: the best is 0.6
    const y1 = operatingPoint(y, s, { rule: 'youden' })
    expect(y1).toMatchObject({ threshold: 0.6, tp: 2, fp: 0, tn: 3, fn: 1, ppv: 1, npv: 0.75 })
    expect(y1.youdenJ).toBeCloseTo(2 / 3, 15)
    const s1 = operatingPoint(y, s, { rule: 'sensitivity', target: 0.9 })
    expect(s1).toMatchObject({ rule: 'sensitivity', target: 0.9, threshold: 0.3, tp: 3, fp: 2 })
    expect(s1.specificity).toBeCloseTo(1 / 3, 15)
    const f = operatingPoint(y, s, { rule: 'fixed', value: 0.95 })
    expect(f).toMatchObject({ tp: 0, fp: 0, sensitivity: 0, specificity: 1, ppv: null, npv: 0.5 })
  })
})

describe('score evaluation', () => {
  const y = [1, 0, 1, 0, 0, 1, 0, 0]
  const s = [0.9, 0.8, 0.7, 0.4, 0.3, 0.35, 0.1, 0.05]

  it('[M12] curves only when asked, with the first ROC threshold (infinity) written null', () => {
    const plain = evaluateScores(y, s, { threshold: { rule: 'youden' } })
    expect(plain.curves).toBeUndefined()
    const full = evaluateScores(y, s, { threshold: { rule: 'youden' }, curves: true })
    expect(full.curves!.roc.thresholds[0]).toBeNull()
    expect(full.curves!.roc.fpr[0]).toBe(0)
    expect(full.curves!.roc.tpr.at(-1)).toBe(1)
    expect(full.curves!.pr.precision.at(-1)).toBe(1)
    expect(JSON.parse(JSON.stringify(full)).curves.roc.thresholds[0]).toBeNull()
  })

  it('[M13] calibration needs probabilities; logits give a reason instead', () => {
    const ok = evaluateScores(y, s, { threshold: { rule: 'youden' }, calibrationBins: 5 })
    expect(ok.calibration.bins).toHaveLength(5)
    expect(ok.calibration.brierScore).toBeCloseTo(
      s.reduce((a, v, i) => a + (v - y[i]!) ** 2, 0) / s.length,
      15,
    )
    const logits = evaluateScores(y, [3, 2.5, 2, 0.5, -0.5, 0, -3, -4], {
      threshold: { rule: 'youden' },
    })
    expect(logits.calibration).toEqual({
      brierScore: null,
      bins: null,
      reason: 'scores-not-probabilities',
    })
    expect(logits.auc).toBe(ok.auc)
  })

  it('[M10] [M14] without negatives: nulls, no operating point for youden, no throw', () => {
    const r = evaluateScores([1, 1], [0.2, 0.4], { threshold: { rule: 'youden' }, curves: true })
    expect(r).toMatchObject({ auc: null, reason: 'no-negatives', operatingPoint: null })
    expect(r.curves).toBeUndefined()
    expect(r.averagePrecision).toBe(1)
    const fixed = evaluateScores([1, 1], [0.2, 0.4], { threshold: { rule: 'fixed', value: 0.3 } })
    expect(fixed.operatingPoint).toMatchObject({ tp: 1, fn: 1, specificity: null })
  })
})

describe('one sort per set', () => {
  /** evaluateScores as it was: each figure from its own stats function, each sorting again. */
  function separately(labels: number[], scores: number[], threshold: ThresholdSpec) {
    const summary = aucSummary(labels, scores)
    const both = summary.auc !== null
    const orNull = <T>(fn: () => T): T | null => {
      try {
        return fn()
      } catch (e) {
        if (e instanceof UndefinedStatisticError) return null
        throw e
      }
    }
    return {
      ...summary,
      averagePrecision:
        summary.positives > 0 ? orNull(() => averagePrecision(labels, scores)) : null,
      operatingPoint:
        both || threshold.rule === 'fixed'
          ? orNull(() => operatingPoint(labels, scores, threshold))
          : null,
      roc: both ? rocCurve(labels, scores) : undefined,
      pr: both ? precisionRecallCurve(labels, scores) : undefined,
    }
  }

  it('[M10]-[M14] gives exactly the figures of the separate stats functions', () => {
    const rng = createRng(45)
    const sizes = [0, 1, 2, 3, 5, 40, 700, 3000]
    const rules: ThresholdSpec[] = [
      { rule: 'youden' },
      { rule: 'sensitivity', target: 0.8 },
      { rule: 'fixed', value: 0.5 },
    ]
    let cases = 0
    for (const n of sizes)
      for (const prevalence of [0, 0.001, 0.3, 1])
        for (const rule of rules) {
          // coarse scores (many ties, some negative) and fine ones
          const coarse = rng.next() < 0.5
          const labels = Array.from({ length: n }, () => (rng.next() < prevalence ? 1 : 0))
          if (n >= 2 && prevalence === 0.001) labels[0] = 1 // one positive
          const scores = labels.map((y) =>
            coarse ? Math.round((rng.next() + y * 0.3) * 8) / 8 - 0.5 : rng.next() + y * 0.2,
          )
          const r = evaluateScores(labels, scores, { threshold: rule, curves: true })
          const s = separately(labels, scores, rule)
          expect({ ...r, calibration: undefined, curves: undefined }).toEqual({
            ...s,
            calibration: undefined,
            roc: undefined,
            pr: undefined,
          })
          if (s.roc !== undefined) {
            expect(r.curves!.roc.fpr).toEqual(Array.from(s.roc.fpr))
            expect(r.curves!.pr.precision).toEqual(Array.from(s.pr!.precision))
          } else expect(r.curves).toBeUndefined()
          cases++
        }
    expect(cases).toBe(sizes.length * 4 * rules.length)
  })

  it('[M10] refuses the input the stats functions refuse, with their message', () => {
    expect(() => evaluateScores([1, 2], [0.1, 0.2], { threshold: { rule: 'youden' } })).toThrow(
      'delong: label 1 is 2, not 0 or 1',
    )
    expect(() =>
      evaluateScores([1, 0], [0.1, Number.NaN], { threshold: { rule: 'youden' } }),
    ).toThrow('delong: score 1 is NaN')
  })
})
