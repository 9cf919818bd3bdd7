import {
  createRng,
  crossValidateLogistic,
  featureMatrix,
  groupedStratifiedFolds,
  type FeatureMatrix,
} from '@cxr-audit/core'
import { describe, expect, it } from 'vitest'
import { crossValidateOnWorkers } from './probe-pool.ts'

/** Seeded correlated features with a label-tied factor (the shape of image embeddings). */
function problem(rows: number, cols: number, seed: string) {
  const rng = createRng(seed)
  const gauss = () =>
    Math.sqrt(-2 * Math.log(rng.next() || 1e-300)) * Math.cos(2 * Math.PI * rng.next())
  const labels = Uint8Array.from({ length: rows }, () => (rng.next() < 0.2 ? 1 : 0))
  const patients = Array.from({ length: rows }, (_, i) => `p${Math.floor(i / 2)}`)
  const basis = Float64Array.from({ length: 4 * cols }, gauss)
  const data = new Float32Array(rows * cols)
  for (let i = 0; i < rows; i++) {
    const latent = [gauss() + labels[i]!, gauss(), gauss(), gauss()]
    for (let j = 0; j < cols; j++) {
      let s = 0.5 * gauss()
      for (let k = 0; k < 4; k++) s += latent[k]! * basis[k * cols + j]!
      data[i * cols + j] = Math.max(0, s)
    }
  }
  const x: FeatureMatrix = featureMatrix(data, rows, cols)
  return { x, labels, folds: groupedStratifiedFolds(labels, patients, { folds: 5, seed: 3 }) }
}

describe('the probe fitted on worker threads', () => {
  // 1,500 x 64: the preconditioner pays (built by one worker, its factor sent to the other);
  // 150 x 64: it does not (every fold plain L-BFGS)
  for (const [rows, cols] of [
    [1500, 64],
    [150, 64],
  ] as const) {
    it(`[PR5] ${rows} x ${cols}: two workers give exactly the single-thread result, shuffled or not`, async () => {
      const p = problem(rows, cols, `pool-${rows}`)
      for (const shuffleSeed of [undefined, 7]) {
        const o = { C: 1, standardize: true, ...(shuffleSeed === undefined ? {} : { shuffleSeed }) }
        const one = crossValidateLogistic(p.x, p.labels, p.folds, o)
        const two = await crossValidateOnWorkers(p.x, p.labels, p.folds, o, 2)
        expect(two.workers).toBe(2)
        expect(Array.from(two.scores)).toEqual(Array.from(one.scores))
        expect(two.auc).toBe(one.auc)
        expect(two.trainAuc).toBe(one.trainAuc)
        expect(two.folds).toEqual(one.folds)
        expect(one.auc).toBeGreaterThan(shuffleSeed === undefined ? 0.6 : 0)
      }
    })
  }

  it('[PR5] one worker, or fewer folds than workers, runs in this thread or as many threads as folds', async () => {
    const p = problem(300, 40, 'pool-small')
    const one = await crossValidateOnWorkers(p.x, p.labels, p.folds, { standardize: true }, 1)
    expect(one.workers).toBe(1)
    const many = await crossValidateOnWorkers(p.x, p.labels, p.folds, { standardize: true }, 9)
    expect(many.workers).toBe(5)
    expect(Array.from(many.scores)).toEqual(Array.from(one.scores))
  })
})
