/**
 * Benchmark of `cxr-audit stats labels` and `stats agreement` (docs/SPEC-labels.md) on all of
 * Google's ChestX-ray14 validation reads: the adjudicated labels (2,414 images, 3 findings
 * matched) and the 7,213 individual reads of 13 radiologists. Timed in-process around the
 * store functions the CLI calls (database queries included), median of repeated runs after a
 * warm-up. Target: under 200 ms each.
 *
 *   npx tsx bench/labels.bench.ts [--runs 9]
 *
 * Needs shared/data beside the repository (Data_Entry_2017_v2020.csv.gz, expert/google-four-findings).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { importCxr14, importLabels } from '../packages/ingest/src/index.ts'
import { labelAccuracy, openStore, readerAgreement } from '../packages/store/src/index.ts'
import { reader } from '../packages/store/src/testing.ts'

const DATA = fileURLToPath(new URL('../../shared/data/', import.meta.url))
const METADATA = join(DATA, 'cxr14/Data_Entry_2017_v2020.csv.gz')
const GOOGLE = join(DATA, 'expert/google-four-findings')
const TARGET_MS = 200
const at = process.argv.indexOf('--runs')
const RUNS = at > 0 ? Number(process.argv[at + 1]) : 9

for (const f of [METADATA, join(GOOGLE, 'validation_labels.csv')]) {
  if (!existsSync(f)) {
    console.error(`labels.bench: ${f} not found (shared/data must sit beside the repo)`)
    process.exit(2)
  }
}

async function median(what: string, run: () => Promise<unknown>): Promise<number> {
  await run() // warm-up: JIT and SQLite page cache
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now()
    await run()
    times.push(performance.now() - t)
  }
  times.sort((a, b) => a - b)
  const m = times[Math.floor(times.length / 2)]!
  console.log(
    `${what}: ${m.toFixed(0)} ms (target < ${TARGET_MS}; min ${times[0]!.toFixed(0)}, max ${times[times.length - 1]!.toFixed(0)}, ${RUNS} runs)`,
  )
  return m
}

const dir = mkdtempSync(join(tmpdir(), 'cxr-audit-labels-bench-'))
try {
  const store = await openStore(join(dir, 'bench.sqlite'))
  await importCxr14(store, { metadata: METADATA })
  await importLabels(store, { file: join(GOOGLE, 'validation_labels.csv'), reader: 'google' })
  await importLabels(store, {
    file: join(GOOGLE, 'validation_individual_readers.csv'),
    reader: 'google-reader',
    readerColumn: 'Reader ID',
  })
  const results = [
    await median(
      'stats labels (Google adjudicated, 4 findings: 3 scored, Fracture without NIH counterpart)',
      () => labelAccuracy(store.db, { reader: reader('google') }),
    ),
    await median('stats labels (consensus of 13 Google readers, 7,213 reads)', () =>
      labelAccuracy(store.db, { reader: reader('consensus:google-reader:*') }),
    ),
    await median('stats labels --by age-band (Google adjudicated)', () =>
      labelAccuracy(store.db, { reader: reader('google'), by: { kind: 'age-band' } }),
    ),
    await median('stats agreement (13 Google readers, 7,213 reads, 1000 bootstrap resamples)', () =>
      readerAgreement(store.db, { readerPrefix: 'google-reader:' }),
    ),
  ]
  await store.close()
  const slow = results.filter((r) => r >= TARGET_MS).length
  console.log(slow === 0 ? 'all under target' : `${slow} over target`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
