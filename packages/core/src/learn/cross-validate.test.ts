import { describe, expect, it } from 'vitest'
import { combineFolds, crossValidateLogistic, prepareCrossValidation } from './cross-validate.ts'
import { LearnInputError } from './errors.ts'
import { featureMatrix } from './features.ts'
import golden from './golden/learn.json' with { type: 'json' }

const dense = golden.cases.dense as { x: number[][]; y: number[]; folds: number[] }
const x = featureMatrix(Float32Array.from(dense.x.flat()), dense.x.length, dense.x[0]!.length)

describe('cross-validation in pieces (what the probe spreads over threads)', () => {
  it("[PR5] folds fitted in any order, by a copy given the first one's preconditioner, combine to the same result", () => {
    for (const o of [{ standardize: true }, { standardize: true, shuffleSeed: 'null' }]) {
      const whole = crossValidateLogistic(x, dense.y, dense.folds, o)
      const first = prepareCrossValidation(x, dense.y, dense.folds, o)
      expect(first.preconditioner).not.toBeNull() // 500 rows x 50 features: it pays
      const p = first.preconditioner!
      const second = prepareCrossValidation(x, dense.y, dense.folds, o, {
        factor: p.factor.slice(),
        size: p.size,
      })
      const fits = [4, 1, 3, 0, 2].map((k) => (k % 2 === 0 ? first : second).fit(k))
      const r = combineFolds(x.rows, dense.y, first.used, fits)
      expect(Array.from(r.scores)).toEqual(Array.from(whole.scores))
      expect(r.folds).toEqual(whole.folds)
      expect(r.auc).toBe(whole.auc)
    }
  })

  it('[LR7] a fold outside 0..k-1 is refused', () => {
    const cv = prepareCrossValidation(x, dense.y, dense.folds)
    expect(() => cv.fit(cv.k)).toThrow(LearnInputError)
  })
})
