/**
 * Confident learning on 112,120 x 14 probabilities (docs/SPEC-learn.md [CL11]): label issues of
 * every ChestX-ray14 finding, one-vs-rest, as `label-issues` computes them, against cleanlab
 * 2.9.0's find_multilabel_issues_per_class on the same arrays when a Python with cleanlab is
 * at hand (issue #10 measured cleanlab at about 2.8 s on this kind of machine).
 *
 *   npx tsx bench/confident-learning.bench.ts [python-with-cleanlab]
 *
 * The labels are the real NIH labels of all 112,120 images (shared/data); the probabilities are
 * seeded synthetic scores (no model has scored every image), rounded to 6 decimals: the truth
 * is the label flipped for 8% of the images, scored from a beta-like mixture.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import {
  CXR14_FINDINGS,
  createRng,
  findMultilabelIssuesPerClass,
} from '../packages/core/src/index.ts'

const LABELS = new URL('../../shared/data/cxr14/Data_Entry_2017_v2020.csv.gz', import.meta.url)
const RUNS = 5
const TARGET_MS = 1000

function load(): { labels: Uint8Array; scores: Float64Array; rows: number } {
  const path = fileURLToPath(LABELS)
  if (!existsSync(path)) {
    console.error(
      `confident-learning.bench: ${path} not found (shared/data must sit beside the repo)`,
    )
    process.exit(2)
  }
  const lines = gunzipSync(readFileSync(path)).toString('utf8').trim().split('\n').slice(1)
  const K = CXR14_FINDINGS.length
  const labels = new Uint8Array(lines.length * K)
  const scores = new Float64Array(lines.length * K)
  const rng = createRng('confident-learning-bench')
  lines.forEach((line, i) => {
    const found = (line.split(',')[1] ?? '').split('|')
    CXR14_FINDINGS.forEach((f, k) => {
      const label = found.includes(f) ? 1 : 0
      labels[i * K + k] = label
      const truth = rng.next() < 0.08 ? 1 - label : label
      const u = rng.next() * rng.next()
      scores[i * K + k] = Math.round((truth === 1 ? 1 - u * 0.9 : u * 0.7) * 1e6) / 1e6
    })
  })
  return { labels, scores, rows: lines.length }
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
from cleanlab.multilabel_classification.filter import find_multilabel_issues_per_class
rows, k = int(sys.argv[2]), int(sys.argv[3])
data = np.fromfile(sys.argv[1], dtype=np.float64).reshape(2, rows, k)
onehot, probs = data[0].astype(int), data[1]
labels = [list(np.flatnonzero(r)) for r in onehot]
best, sizes = float("inf"), []
for _ in range(3):
    start = time.perf_counter()
    ranked, _, _ = find_multilabel_issues_per_class(
        labels, probs, return_indices_ranked_by="self_confidence", n_jobs=1
    )
    best = min(best, time.perf_counter() - start)
    sizes = [len(r) for r in ranked]
print(json.dumps({"ms": best * 1000, "sizes": sizes}))
`

function cleanlab(
  python: string,
  d: ReturnType<typeof load>,
): { ms: number; sizes: number[] } | string {
  const folder = mkdtempSync(join(tmpdir(), 'cl-bench-'))
  try {
    const packed = new Float64Array(2 * d.labels.length)
    packed.set(d.labels, 0)
    packed.set(d.scores, d.labels.length)
    const file = join(folder, 'data.f64')
    writeFileSync(file, packed)
    const run = spawnSync(
      python,
      ['-c', PYTHON, file, String(d.rows), String(CXR14_FINDINGS.length)],
      {
        encoding: 'utf8',
      },
    )
    if (run.status !== 0)
      return (run.stderr || String(run.error)).trim().split('\n').pop() ?? 'failed'
    return JSON.parse(run.stdout) as { ms: number; sizes: number[] }
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

const data = load()
const K = CXR14_FINDINGS.length
let issues: Int32Array[] = []
const ours = bestOf(RUNS, () => {
  issues = findMultilabelIssuesPerClass(data.labels, data.scores, K, { rankBy: 'self_confidence' })
})
console.log(
  `label issues of ${data.rows} images x ${K} findings (prune_by_noise_rate, ranked by self-confidence): ${issues.reduce((s, i) => s + i.length, 0)} issues`,
)
const verdict = ours < TARGET_MS ? 'ok' : 'SLOWER THAN TARGET'
console.log(`ours: ${ours.toFixed(0)} ms (best of ${RUNS}; target < ${TARGET_MS} ms: ${verdict})`)
const reference = cleanlab(process.argv[2] ?? '/usr/bin/python3', data)
if (typeof reference === 'string') {
  console.log(`cleanlab 2.9.0: unavailable here (${reference}); issue #10 measured about 2800 ms`)
} else {
  const same = reference.sizes.every((s, k) => s === issues[k]!.length)
  console.log(
    `cleanlab 2.9.0: ${reference.ms.toFixed(0)} ms; ratio ${(ours / reference.ms).toFixed(2)}; same issue counts per finding: ${same}`,
  )
}
