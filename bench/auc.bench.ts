/**
 * AUC + DeLong interval for the 14 ChestX-ray14 findings of a DenseNet-121 (22,433 test images),
 * against scikit-learn's roc_auc_score alone on the same arrays.
 *
 *   npx tsx bench/auc.bench.ts
 *
 * Needs shared/data beside the repository (predictions and Data_Entry_2017_v2020.csv.gz) and,
 * for the comparison, /usr/bin/python3 with numpy and scikit-learn.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import { CXR14_FINDINGS, delong } from '../packages/core/src/index.ts'

const PREDICTIONS = new URL(
  '../../shared/data/predictions/densenet121-jrzech-test-preds.csv',
  import.meta.url,
)
const LABELS = new URL('../../shared/data/cxr14/Data_Entry_2017_v2020.csv.gz', import.meta.url)
const RUNS = 5

function readOrExit(url: URL, what: string): Buffer {
  const path = fileURLToPath(url)
  if (!existsSync(path)) {
    console.error(`auc.bench: ${what} not found at ${path} (shared/data must sit beside the repo)`)
    process.exit(2)
  }
  return readFileSync(path)
}

interface Dataset {
  readonly images: number
  readonly labels: Uint8Array[]
  readonly scores: Float64Array[]
}

function load(): Dataset {
  const predictionLines = readOrExit(PREDICTIONS, 'predictions').toString('utf8').trim().split('\n')
  const labelLines = gunzipSync(readOrExit(LABELS, 'Data_Entry_2017_v2020.csv.gz'))
    .toString('utf8')
    .trim()
    .split('\n')
  const findingsOf = new Map<string, string[]>()
  for (const line of labelLines.slice(1)) {
    const [image, findings] = line.split(',')
    if (image !== undefined && findings !== undefined) findingsOf.set(image, findings.split('|'))
  }
  const header = (predictionLines[0] ?? '').trim().split(',')
  const columns = CXR14_FINDINGS.map((finding) => {
    const column = header.indexOf(`prob_${finding}`)
    if (column < 0) throw new Error(`predictions: no column prob_${finding}`)
    return column
  })
  const rows = predictionLines.slice(1)
  const labels = CXR14_FINDINGS.map(() => new Uint8Array(rows.length))
  const scores = CXR14_FINDINGS.map(() => new Float64Array(rows.length))
  rows.forEach((line, i) => {
    const cells = line.trim().split(',')
    const findings = findingsOf.get(cells[0] ?? '')
    if (findings === undefined)
      throw new Error(`predictions line ${i + 2}: ${cells[0]} has no labels`)
    CXR14_FINDINGS.forEach((finding, f) => {
      labels[f]![i] = findings.includes(finding) ? 1 : 0
      scores[f]![i] = Number(cells[columns[f]!])
    })
  })
  return { images: rows.length, labels, scores }
}

function bestOf(runs: number, work: () => void): number {
  let best = Infinity
  for (let run = 0; run < runs; run++) {
    const start = performance.now()
    work()
    best = Math.min(best, performance.now() - start)
  }
  return best
}

const PYTHON = `
import json, sys, time
import numpy as np
from sklearn.metrics import roc_auc_score
findings, images = int(sys.argv[2]), int(sys.argv[3])
data = np.fromfile(sys.argv[1], dtype=np.float64).reshape(findings, 2, images)
labels = [data[f, 0].astype(np.int64) for f in range(findings)]
scores = [np.ascontiguousarray(data[f, 1]) for f in range(findings)]
best, aucs = float("inf"), []
for _ in range(${RUNS}):
    start = time.perf_counter()
    aucs = [roc_auc_score(labels[f], scores[f]) for f in range(findings)]
    best = min(best, time.perf_counter() - start)
print(json.dumps({"ms": best * 1000, "aucs": aucs}))
`

function sklearn(data: Dataset): { ms: number; aucs: number[] } | string {
  const folder = mkdtempSync(join(tmpdir(), 'auc-bench-'))
  try {
    const findings = data.labels.length
    const packed = new Float64Array(findings * 2 * data.images)
    for (let f = 0; f < findings; f++) {
      packed.set(data.labels[f]!, f * 2 * data.images)
      packed.set(data.scores[f]!, (f * 2 + 1) * data.images)
    }
    const file = join(folder, 'data.f64')
    writeFileSync(file, packed)
    const run = spawnSync(
      '/usr/bin/python3',
      ['-c', PYTHON, file, String(findings), String(data.images)],
      { encoding: 'utf8' },
    )
    if (run.status !== 0) return `python3 failed: ${(run.stderr || String(run.error)).trim()}`
    return JSON.parse(run.stdout) as { ms: number; aucs: number[] }
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

const data = load()
const results = data.labels.map((labels, f) => delong(labels, data.scores[f]!))
const ours = bestOf(RUNS, () => {
  for (let f = 0; f < data.labels.length; f++) delong(data.labels[f]!, data.scores[f]!)
})
const reference = sklearn(data)

CXR14_FINDINGS.forEach((finding, f) => {
  const r = results[f]!
  const theirs = typeof reference === 'string' ? '' : ` (sklearn ${reference.aucs[f]?.toFixed(6)})`
  console.log(
    `${finding.padEnd(18)} AUC ${r.auc.toFixed(4)} [${r.low.toFixed(4)}, ${r.high.toFixed(4)}]${theirs}`,
  )
})
const label = `auc+delong ${data.labels.length} findings x ${data.images}: ${ours.toFixed(1)} ms`
if (typeof reference === 'string') {
  console.log(`${label}; sklearn roc_auc_score: unavailable (${reference})`)
} else {
  const worst = Math.max(...results.map((r, f) => Math.abs(r.auc - (reference.aucs[f] ?? NaN))))
  console.log(
    `${label}; sklearn roc_auc_score: ${reference.ms.toFixed(1)} ms; ratio ${(ours / reference.ms).toFixed(2)} (target <= 1)`,
  )
  console.log(`largest |AUC - sklearn AUC|: ${worst.toExponential(1)}`)
}
