import { createRng, featureMatrix, groupedStratifiedFolds, prepareCrossValidation } from './packages/core/src/index.ts'
const n = 22433, COLS = 1280
const rng = createRng('x')
const gauss = () => Math.sqrt(-2 * Math.log(rng.next() || 1e-300)) * Math.cos(2 * Math.PI * rng.next())
const labels = Uint8Array.from({ length: n }, () => (rng.next() < 0.12 ? 1 : 0))
const patients = Array.from({ length: n }, (_, i) => String(Math.floor(i / 3)))
const basis = Float64Array.from({ length: 8 * COLS }, gauss)
const data = new Float32Array(n * COLS)
const latent = new Float64Array(8)
for (let i = 0; i < n; i++) {
  for (let k = 0; k < 8; k++) latent[k] = gauss()
  latent[0]! += labels[i]! * 1.5
  for (let j = 0; j < COLS; j++) { let s = 0.3 * gauss(); for (let k = 0; k < 8; k++) s += latent[k]! * basis[k * COLS + j]! * 0.3; data[i * COLS + j] = Math.max(0, s + 0.2) }
}
const x = featureMatrix(data, n, COLS)
const folds = groupedStratifiedFolds(labels, patients, { folds: 5, seed: 1 })
let t = performance.now(); let c = process.cpuUsage()
const cv = prepareCrossValidation(x, labels, folds, { C: 1, standardize: true })
console.log('prepare', (performance.now() - t).toFixed(0), 'ms wall', (process.cpuUsage(c).user / 1000).toFixed(0), 'ms cpu')
for (let f = 0; f < 5; f++) { t = performance.now(); c = process.cpuUsage(); const r = cv.fit(f); console.log('fold', f, (performance.now() - t).toFixed(0), 'ms wall', (process.cpuUsage(c).user / 1000).toFixed(0), 'cpu', r.report.iterations) }
