/**
 * Benchmark of `cxr-audit eval` (docs/SPEC-models.md [M41]): AUC with its 95% DeLong interval
 * for the 14 findings over the 22,433 real DenseNet-121 predictions, against scikit-learn's
 * `roc_auc_score` alone on the same data, both timed in-process (performance.now /
 * time.perf_counter around the calls only), median of repeated runs.
 *
 *   npx tsx bench/eval.bench.ts [--runs 30]
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CXR14_FINDINGS, aucSummary } from '@cxr-audit/core'
import { importCxr14, importPredictions } from '@cxr-audit/ingest'
import {
  evaluateModel,
  findModel,
  loadModelData,
  openStore,
  type ModelData,
} from '@cxr-audit/store'
import { sharedData } from '../test-support/shared-data.ts'

const runsArg = process.argv.indexOf('--runs')
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 30
const METADATA = sharedData('cxr14/Data_Entry_2017_v2020.csv.gz')
const PREDICTIONS = sharedData('predictions/densenet121-jrzech-test-preds.csv')

interface Timing {
  median: number
  min: number
}

const summarise = (ms: number[]): Timing => {
  const sorted = [...ms].sort((a, b) => a - b)
  return { median: sorted[Math.floor(sorted.length / 2)]!, min: sorted[0]! }
}

async function time(runs: number, fn: () => unknown): Promise<Timing> {
  for (let i = 0; i < 3; i++) await fn() // warm-up: JIT, page cache
  const ms: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    await fn()
    ms.push(performance.now() - t)
  }
  return summarise(ms)
}

/** The 14 findings' 0/1 labels and scores, as `eval` builds them. */
function arrays(data: ModelData): { labels: Uint8Array; scores: Float64Array }[] {
  return CXR14_FINDINGS.map((name) => {
    const f = data.findings.find((x) => x.name === name)!
    return { labels: Uint8Array.from(data.labels(f)), scores: data.scores(f) }
  })
}

const PYTHON = `
import json, sys, time
import numpy as np, pandas as pd
from sklearn.metrics import roc_auc_score
preds = pd.read_csv(sys.argv[1])
meta = pd.read_csv(sys.argv[2], usecols=['Image Index', 'Finding Labels'])
data = preds.merge(meta, on='Image Index', how='left')
findings = json.loads(sys.argv[3])
labels = data['Finding Labels'].str.split('|')
y = [labels.apply(lambda ls, f=f: int(f in ls)).to_numpy() for f in findings]
s = [data['prob_' + f].to_numpy(dtype=np.float64) for f in findings]
runs = int(sys.argv[4])
for _ in range(3):
    [roc_auc_score(a, b) for a, b in zip(y, s)]
ms = []
for _ in range(runs):
    t = time.perf_counter()
    aucs = [roc_auc_score(a, b) for a, b in zip(y, s)]
    ms.append((time.perf_counter() - t) * 1000)
print(json.dumps({"ms": ms, "aucs": aucs, "n": len(data)}))
`

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cxr-eval-bench-'))
  const store = await openStore(join(dir, 'bench.sqlite'))
  try {
    process.stderr.write('importing the metadata and the predictions...\n')
    await importCxr14(store, { metadata: METADATA })
    await importPredictions(store, { file: PREDICTIONS, model: 'densenet' })
    const { model, dataset } = await findModel(store.db, 'densenet')

    const data = await loadModelData(store.db, model, dataset)
    const sets = arrays(data)
    let aucs: number[] = []
    const compute = await time(RUNS, () => {
      aucs = sets.map((s) => aucSummary(s.labels, s.scores).auc!)
    })
    const withLoad = await time(Math.max(5, Math.floor(RUNS / 3)), async () => {
      const d = await loadModelData(store.db, model, dataset)
      for (const s of arrays(d)) aucSummary(s.labels, s.scores)
    })
    const fullEval = await time(Math.max(5, Math.floor(RUNS / 3)), () =>
      evaluateModel(store, { model: 'densenet', findings: [...CXR14_FINDINGS] }),
    )

    const py = spawnSync(
      '/usr/bin/python3',
      ['-c', PYTHON, PREDICTIONS, METADATA, JSON.stringify(CXR14_FINDINGS), String(RUNS)],
      { encoding: 'utf8', maxBuffer: 1 << 24 },
    )
    if (py.status !== 0) throw new Error(`python3 failed: ${py.stderr}`)
    const sk = JSON.parse(py.stdout) as { ms: number[]; aucs: number[]; n: number }
    const sklearn = summarise(sk.ms)
    const worst = Math.max(...aucs.map((a, i) => Math.abs(a - sk.aucs[i]!)))

    const row = (what: string, t: Timing): string =>
      `${what.padEnd(58)} ${t.median.toFixed(1).padStart(8)} ms  (min ${t.min.toFixed(1)})`
    console.log(`eval benchmark: 14 findings x ${sk.n} images, median of ${RUNS} runs`)
    console.log(row('cxr-audit: AUC + 95% DeLong interval (in memory)', compute))
    console.log(row('cxr-audit: the same, including the database load', withLoad))
    console.log(row('cxr-audit: evaluateModel (all eval figures, with load)', fullEval))
    console.log(row('scikit-learn roc_auc_score alone (in-process)', sklearn))
    console.log(
      `ratio ours/sklearn: ${(compute.median / sklearn.median).toFixed(2)} in memory (target <= 1), ${(withLoad.median / sklearn.median).toFixed(2)} with the load`,
    )
    console.log(`largest |AUC difference| against sklearn: ${worst.toExponential(2)}`)
  } finally {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
