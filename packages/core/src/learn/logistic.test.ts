import { describe, expect, it } from 'vitest'
import { auc } from '../stats/index.ts'
import { crossValidateLogistic } from './cross-validate.ts'
import { LearnInputError } from './errors.ts'
import { featureMatrix, type FeatureMatrix } from './features.ts'
import { fitLogistic, predictLogistic } from './logistic.ts'
import golden from './golden/learn.json' with { type: 'json' }

interface Fit {
  C: number
  coef: number[]
  intercept: number
  proba: number[]
  coefExact: number[]
  interceptExact: number
}
interface CrossValidation {
  C: number
  standardise: boolean
  oof: number[]
  auc: number
  trainAuc: number[]
}
interface Case {
  x: number[][]
  y: number[]
  folds: number[]
  fits: Fit[]
  crossValidation: CrossValidation[]
}

const cases = golden.cases as Record<string, Case>

/** The golden matrix as the embeddings come (Float32Array) or as doubles (the plain loops). */
function matrices(c: Case): [string, FeatureMatrix][] {
  const f32 = Float32Array.from(c.x.flat())
  const rows = c.x.length
  const cols = c.x[0]!.length
  return [
    ['Float32Array', featureMatrix(f32, rows, cols)],
    ['Float64Array', featureMatrix(Float64Array.from(f32), rows, cols)],
  ]
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!))
  return m
}

describe('L2 logistic regression against scikit-learn', () => {
  for (const [name, c] of Object.entries(cases)) {
    for (const [kind, x] of matrices(c)) {
      for (const fit of c.fits) {
        it(`[LR1] [LR2] [LR5] ${name} ${kind} C=${fit.C}: coefficients to 1e-4 of sklearn lbfgs, 1e-5 of the minimiser`, () => {
          const m = fitLogistic(x, c.y, { C: fit.C })
          expect(m.converged).toBe(true)
          expect(maxDiff(m.coef, fit.coef)).toBeLessThan(1e-4)
          // the intercept is not in the 1e-4 promise: sklearn's own lbfgs intercept can sit
          // further from the minimiser (1.9e-4 for dense C=100); allow that distance
          const lbfgsGap = Math.abs(fit.intercept - fit.interceptExact)
          expect(Math.abs(m.intercept - fit.intercept)).toBeLessThan(1e-4 + lbfgsGap)
          // sklearn's lbfgs stops on its ftol ~5e-5 short of the minimiser; newton-cg reaches it
          expect(maxDiff(m.coef, fit.coefExact)).toBeLessThan(1e-5)
          expect(Math.abs(m.intercept - fit.interceptExact)).toBeLessThan(1e-5)
          expect(maxDiff(predictLogistic(m, x), fit.proba)).toBeLessThan(1e-4)
        })
      }
      it(`[LR4] ${name} ${kind}: the preconditioner changes the path, not the answer`, () => {
        const fit = c.fits[0]!
        const plain = fitLogistic(x, c.y, { C: fit.C, precondition: 'none', tolerance: 1e-9 })
        const pre = fitLogistic(x, c.y, { C: fit.C, precondition: 'auto', tolerance: 1e-9 })
        expect(maxDiff(plain.coef, pre.coef)).toBeLessThan(1e-6)
      })
      for (const cv of c.crossValidation) {
        it(`[LR3] [LR7] ${name} ${kind} C=${cv.C} standardise=${cv.standardise}: out-of-fold AUC to 1e-6 with the same folds`, () => {
          const r = crossValidateLogistic(x, c.y, c.folds, { C: cv.C, standardize: cv.standardise })
          expect(Math.abs(r.auc - cv.auc)).toBeLessThan(1e-6)
          expect(r.auc).toBe(auc(c.y, r.scores))
          expect(maxDiff(r.scores, cv.oof)).toBeLessThan(1e-3)
          r.folds.forEach((f, k) => {
            expect(f.converged).toBe(true)
            expect(Math.abs(f.trainAuc! - cv.trainAuc[k]!)).toBeLessThan(1e-4)
          })
        })
      }
    }
  }

  it('[LR3] standardising is StandardScaler: the standardised coefficients are sklearn pipeline coef_', () => {
    const c = cases.dense!
    const [, x] = matrices(c)[0]!
    const m = fitLogistic(x, c.y, { C: 1, standardize: true })
    // the raw-space model gives the same probabilities as the standardised one
    const raw = predictLogistic(m, x)
    const z = new Float64Array(x.rows)
    for (let i = 0; i < x.rows; i++) {
      let s = m.standardizedIntercept!
      for (let j = 0; j < x.cols; j++) {
        s +=
          ((x.data[i * x.cols + j]! - m.moments!.mean[j]!) / m.moments!.scale[j]!) *
          m.standardizedCoef![j]!
      }
      z[i] = 1 / (1 + Math.exp(-s))
    }
    expect(maxDiff(raw, z)).toBeLessThan(1e-12)
  })

  it('[LR1] refuses labels that are not 0/1, one class only, and mismatched shapes', () => {
    const x = featureMatrix(new Float64Array([0, 1, 2, 3]), 4, 1)
    expect(() => fitLogistic(x, [0, 1, 2, 0])).toThrow(LearnInputError)
    expect(() => fitLogistic(x, [1, 1, 1, 1])).toThrow(/both classes/)
    expect(() => fitLogistic(x, [0, 1, 0])).toThrow(/4 rows of features but 3 labels/)
    expect(() => fitLogistic(x, [0, 1, 0, 1], { C: 0 })).toThrow(/C must be a positive/)
    expect(() => featureMatrix(new Float32Array([0, NaN]), 2, 1)).toThrow(/row 1 is NaN/)
  })

  it('[LR8] shuffled labels: the null model scores near 0.5 out of fold and its folds are reproducible', () => {
    const c = cases.dense!
    const [, x] = matrices(c)[0]!
    const real = crossValidateLogistic(x, c.y, c.folds, { C: 1, standardize: true })
    const a = crossValidateLogistic(x, c.y, c.folds, { C: 1, standardize: true, shuffleSeed: 7 })
    const b = crossValidateLogistic(x, c.y, c.folds, { C: 1, standardize: true, shuffleSeed: 7 })
    expect(real.auc).toBeGreaterThan(0.85)
    expect(Math.abs(a.auc - 0.5)).toBeLessThan(0.1)
    expect(Array.from(a.scores)).toEqual(Array.from(b.scores))
    // the training folds still fit their (shuffled) labels: the memorisation gap
    expect(a.trainAuc!).toBeGreaterThan(a.auc + 0.1)
  })
})
