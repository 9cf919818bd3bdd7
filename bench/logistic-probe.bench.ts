/**
 * The linear probe's fits (docs/SPEC-learn.md [LR4]): 5-fold patient-grouped cross-validation
 * of L2 logistic regression on 22,433 x 1,280 float32 features, as `probe` will run it, against
 * scikit-learn's make_pipeline(StandardScaler(), LogisticRegression(C=1)) on the same matrix and
 * folds (its default lbfgs tolerance; 1,000 iterations allowed).
 *
 *   npx tsx bench/logistic-probe.bench.ts [--no-sklearn]
 *
 * Rows, patients and labels (Effusion) are the 22,433 images of the DenseNet-121 test
 * predictions with their NIH metadata; the features are seeded synthetic embeddings of the
 * shape MobileNetV2 gives (1,280 non-negative, strongly correlated: 8 latent factors, one of
 * them tied to the label, plus noise), because real embeddings of 22,433 films are not in
 * shared/data.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import {
  createRng,
  crossValidateLogistic,
  featureMatrix,
  groupedStratifiedFolds,
} from '../packages/core/src/index.ts'

const SHARED = new URL('../../shared/data/', import.meta.url)
const COLS = 1280
const FINDING = 'Effusion'

function read(relative: string): Buffer {
  const path = fileURLToPath(new URL(relative, SHARED))
  if (!existsSync(path)) {
    console.error(`logistic-probe.bench: ${path} not found (shared/data must sit beside the repo)`)
    process.exit(2)
  }
  return readFileSync(path)
}

function load() {
  const meta = new Map<string, { patient: string; label: number }>()
  const lines = gunzipSync(read('cxr14/Data_Entry_2017_v2020.csv.gz')).toString('utf8').split('\n')
  for (const line of lines.slice(1)) {
    const f = line.split(',')
    if (f.length > 3)
      meta.set(f[0]!, { patient: f[3]!, label: f[1]!.split('|').includes(FINDING) ? 1 : 0 })
  }
  const images = read('predictions/densenet121-jrzech-test-preds.csv')
    .toString('utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.slice(0, l.indexOf(',')))
  const labels = Uint8Array.from(images, (n) => meta.get(n)!.label)
  const patients = images.map((n) => meta.get(n)!.patient)
  const rng = createRng('probe-bench')
  const gauss = () =>
    Math.sqrt(-2 * Math.log(rng.next() || 1e-300)) * Math.cos(2 * Math.PI * rng.next())
  const basis = Float64Array.from({ length: 8 * COLS }, gauss)
  const data = new Float32Array(images.length * COLS)
  const latent = new Float64Array(8)
  for (let i = 0; i < images.length; i++) {
    for (let k = 0; k < 8; k++) latent[k] = gauss()
    latent[0]! += labels[i]! * 1.5
    for (let j = 0; j < COLS; j++) {
      let s = 0.3 * gauss()
      for (let k = 0; k < 8; k++) s += latent[k]! * basis[k * COLS + j]! * 0.3
      data[i * COLS + j] = Math.max(0, s + 0.2)
    }
  }
  return { x: featureMatrix(data, images.length, COLS), labels, patients }
}

const PYTHON = `
import json, sys, time
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
rows, cols = int(sys.argv[2]), int(sys.argv[3])
x = np.fromfile(sys.argv[1] + ".x", dtype=np.float32).reshape(rows, cols)
y = np.fromfile(sys.argv[1] + ".y", dtype=np.uint8)
folds = np.fromfile(sys.argv[1] + ".folds", dtype=np.int32)
oof = np.zeros(rows)
start = time.perf_counter()
iterations = []
for k in range(folds.max() + 1):
    model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000))
    model.fit(x[folds != k], y[folds != k])
    oof[folds == k] = model.predict_proba(x[folds == k])[:, 1]
    iterations.append(int(model[-1].n_iter_[0]))
print(json.dumps({"ms": (time.perf_counter() - start) * 1000, "auc": roc_auc_score(y, oof), "iterations": iterations}))
`

function sklearn(x: ReturnType<typeof load>['x'], y: Uint8Array, folds: Int32Array) {
  const folder = mkdtempSync(join(tmpdir(), 'probe-bench-'))
  try {
    const base = join(folder, 'data')
    writeFileSync(`${base}.x`, x.data as Float32Array)
    writeFileSync(`${base}.y`, y)
    writeFileSync(`${base}.folds`, folds)
    const run = spawnSync(
      '/usr/bin/python3',
      ['-c', PYTHON, base, String(x.rows), String(x.cols)],
      {
        encoding: 'utf8',
      },
    )
    if (run.status !== 0) return `python3 failed: ${(run.stderr || String(run.error)).trim()}`
    return JSON.parse(run.stdout) as { ms: number; auc: number; iterations: number[] }
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

const { x, labels, patients } = load()
const folds = groupedStratifiedFolds(labels, patients, { folds: 5, seed: 1 })
const start = performance.now()
const cpu = process.cpuUsage()
const r = crossValidateLogistic(x, labels, folds, { C: 1, standardize: true })
const wall = performance.now() - start
const cpuMs = process.cpuUsage(cpu).user / 1000
console.log(
  `probe ${x.rows} x ${x.cols}, 5 patient-grouped folds (${FINDING}, ${labels.reduce((a, b) => a + b, 0)} positives): ${(wall / 1000).toFixed(2)} s wall, ${(cpuMs / 1000).toFixed(2)} s CPU; out-of-fold AUC ${r.auc.toFixed(6)}, training AUC ${r.trainAuc?.toFixed(4)}; L-BFGS iterations per fold ${r.folds.map((f) => f.iterations).join(', ')}`,
)
if (process.argv.includes('--no-sklearn')) process.exit(0)
const reference = sklearn(x, labels, folds)
if (typeof reference === 'string') console.log(`scikit-learn: unavailable (${reference})`)
else
  console.log(
    `scikit-learn (StandardScaler + LogisticRegression lbfgs): ${(reference.ms / 1000).toFixed(2)} s; AUC ${reference.auc.toFixed(6)} (difference ${Math.abs(reference.auc - r.auc).toExponential(1)}); iterations ${reference.iterations.join(', ')}; ratio ${(wall / reference.ms).toFixed(2)}`,
  )
