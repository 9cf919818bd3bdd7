// Import of the full CXR14 metadata (112,120 rows) with the shared image folder, against
// pandas.read_csv alone on the same file; and `check` on the whole dataset (target < 1 s).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkDataset } from '@cxr-audit/core'
import { importCxr14 } from '@cxr-audit/ingest'
import { findDataset, loadCheckInput, openStore } from '@cxr-audit/store'
import { sharedData } from '../test-support/shared-data.ts'

const METADATA = sharedData('cxr14/Data_Entry_2017_v2020.csv.gz')
const IMAGES = sharedData('cxr14/images')
const RUNS = 5

async function ours(): Promise<{ importMs: number; checkMs: number }> {
  let importMs = Infinity
  let checkMs = Infinity
  for (let i = 0; i < RUNS; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'cxr-bench-'))
    const store = await openStore(join(dir, 'bench.sqlite'))
    const t0 = performance.now()
    await importCxr14(store, { metadata: METADATA, images: [IMAGES] })
    importMs = Math.min(importMs, performance.now() - t0)
    const t1 = performance.now()
    const ds = await findDataset(store.db)
    checkDataset({ dataset: ds.name, ...(await loadCheckInput(store.db, ds)) })
    checkMs = Math.min(checkMs, performance.now() - t1)
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
  return { importMs, checkMs }
}

function pandas(): number | null {
  const script = `
import time, pandas as pd
best = float('inf')
for _ in range(${RUNS}):
    t = time.perf_counter(); pd.read_csv(${JSON.stringify(METADATA)}); best = min(best, time.perf_counter() - t)
print(best * 1000)
`
  const r = spawnSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' })
  if (r.status !== 0) {
    console.log(
      `pandas baseline unavailable (apt-get install python3-pandas): ${r.stderr.trim().split('\n').pop()}`,
    )
    return null
  }
  return Number(r.stdout.trim())
}

const { importMs, checkMs } = await ours()
const baseline = pandas()
const ratio = baseline === null ? 'n/a' : (importMs / baseline).toFixed(2)
console.log(
  `import cxr14 112,120 rows + 216-image folder: ${importMs.toFixed(0)} ms; pandas.read_csv alone: ${baseline === null ? 'n/a' : baseline.toFixed(0) + ' ms'}; ratio ${ratio} (target <= 1, best of ${RUNS})`,
)
console.log(`check on 112,120 images (load + checks): ${checkMs.toFixed(0)} ms (target < 1000)`)
