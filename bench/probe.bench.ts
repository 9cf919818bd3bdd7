/**
 * The whole `cxr-audit probe` command on 22,433 films x 1,280 features, 5 patient-grouped folds
 * (issue #10: under 15 s on a 2-core machine), as a user runs it: a fresh process of the real
 * bin, the database read included. Rounds alternate the real probe, the shuffled-label null and
 * one worker thread; CPU seconds and peak memory come from /usr/bin/time.
 *
 *   npx tsx bench/probe.bench.ts [--rounds N]
 *
 * The films are the 22,433 of the DenseNet-121 test predictions with their NIH metadata
 * (finding Effusion, patients as grouped by the folds), in a SQLite database made here; the
 * vectors are seeded synthetic embeddings of MobileNetV2's shape (1,280 non-negative, strongly
 * correlated features, one latent factor tied to the label), because real embeddings of 22,433
 * films are not in shared/data (the 216 shared images give a few seconds, not this size).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRng } from '../packages/core/src/index.ts'
import { importCxr14 } from '../packages/ingest/src/index.ts'
import {
  findDataset,
  listFindings,
  listImages,
  openStore,
  saveEmbeddingModel,
  saveEmbeddings,
} from '../packages/store/src/index.ts'
import { positiveImages } from '../packages/store/src/testing.ts'
import { sharedData } from '../test-support/shared-data.ts'

const BIN = fileURLToPath(new URL('../apps/cli/bin/cxr-audit.js', import.meta.url))
const TIME = '/usr/bin/time'
const COLS = 1280
const FINDING = 'Effusion'
const at = process.argv.indexOf('--rounds')
const ROUNDS = at >= 0 ? Number(process.argv[at + 1]) : 3
const scratch = mkdtempSync(join(tmpdir(), 'cxr-probe-bench-'))
const db = join(scratch, 'probe.sqlite')

async function prepare(): Promise<number> {
  const store = await openStore(db)
  try {
    await importCxr14(store, { metadata: sharedData('cxr14/Data_Entry_2017_v2020.csv.gz') })
    const names = readFileSync(sharedData('predictions/densenet121-jrzech-test-preds.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.slice(0, l.indexOf(',')))
    const dataset = await findDataset(store.db)
    const ids = new Map((await listImages(store.db, dataset.id)).map((im) => [im.name, im.id]))
    const finding = (await listFindings(store.db, dataset.id)).find((f) => f.name === FINDING)!
    const positiveIds = new Set(
      await positiveImages(store.db, finding.id, { limit: Number.MAX_SAFE_INTEGER }),
    )
    const positive = new Set(names.filter((name) => positiveIds.has(ids.get(name)!)))
    const model = await saveEmbeddingModel(store.db, {
      name: 'synthetic-mobilenetv2-shape',
      sha256: '0'.repeat(64),
      configHash: 'probe-bench',
      manifest: '{}',
      dimensions: COLS,
    })
    const rng = createRng('probe-bench')
    const gauss = () =>
      Math.sqrt(-2 * Math.log(rng.next() || 1e-300)) * Math.cos(2 * Math.PI * rng.next())
    const basis = Float64Array.from({ length: 8 * COLS }, gauss)
    const latent = new Float64Array(8)
    for (let start = 0; start < names.length; start += 1000) {
      const batch = names.slice(start, start + 1000).map((name) => {
        for (let k = 0; k < 8; k++) latent[k] = gauss()
        latent[0]! += positive.has(name) ? 1.5 : 0
        const vector = new Float32Array(COLS)
        for (let j = 0; j < COLS; j++) {
          let s = 0.3 * gauss()
          for (let k = 0; k < 8; k++) s += latent[k]! * basis[k * COLS + j]! * 0.3
          vector[j] = Math.max(0, s + 0.2)
        }
        return { imageId: ids.get(name)!, vector, contentHash: null }
      })
      await saveEmbeddings(store.db, model.id, batch)
    }
    return names.length
  } finally {
    await store.close()
  }
}

interface Run {
  readonly wall: number
  readonly cpu: number
  readonly rss: number
  readonly report: {
    auc: number
    aucLow: number
    aucHigh: number
    trainAuc: number
    seconds: number
    workers: number
    timings: { load: number; fit: number; save: number }
    perFold: { iterations: number }[]
  }
}

function run(args: readonly string[]): Run {
  const timeFile = join(scratch, 'time.txt')
  const useTime = existsSync(TIME)
  const cmd = [process.execPath, BIN, 'probe', '--finding', FINDING, '--db', db, '--json', ...args]
  const t0 = performance.now()
  const r = useTime
    ? spawnSync(TIME, ['-f', '%U %S %M', '-o', timeFile, ...cmd], { encoding: 'utf8' })
    : spawnSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8' })
  const wall = performance.now() - t0
  if (r.status !== 0) throw new Error(`probe failed: ${r.stderr}`)
  const [user, sys, kb] = useTime
    ? readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number)
    : [NaN, NaN, NaN]
  return { wall, cpu: user! + sys!, rss: kb! / 1024, report: JSON.parse(r.stdout) as Run['report'] }
}

try {
  const t0 = performance.now()
  const n = await prepare()
  console.log(
    `probe bench: ${n} films x ${COLS} synthetic features in ${db} (made in ${((performance.now() - t0) / 1000).toFixed(1)} s); ${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(1)}`,
  )
  spawnSync(process.execPath, [BIN, '--help']) // builds apps/cli/dist when stale, outside the timing
  const kinds = [
    ['probe (default workers)', []],
    ['probe --shuffle-labels', ['--shuffle-labels']],
    ['probe --workers 1', ['--workers', '1']],
  ] as const
  const runs = new Map<string, Run[]>(kinds.map(([k]) => [k, []]))
  for (let round = 0; round < ROUNDS; round++)
    for (const [kind, args] of kinds) runs.get(kind)!.push(run(args))
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!
  for (const [kind] of kinds) {
    const rs = runs.get(kind)!
    const best = rs.reduce((a, b) => (b.wall < a.wall ? b : a))
    const r = best.report
    console.log(
      `${kind.padEnd(24)} whole process: median ${(median(rs.map((x) => x.wall)) / 1000).toFixed(2)} s wall ` +
        `(best ${(best.wall / 1000).toFixed(2)} s, ${best.cpu.toFixed(1)} CPU s, ${best.rss.toFixed(0)} MB; target < 15 s); ` +
        `inside: load ${r.timings.load} s, fit ${r.timings.fit} s on ${r.workers} thread(s), save ${r.timings.save} s; ` +
        `AUC ${r.auc.toFixed(4)} (${r.aucLow.toFixed(4)}-${r.aucHigh.toFixed(4)}), training ${r.trainAuc.toFixed(4)}; ` +
        `iterations ${r.perFold.map((f) => f.iterations).join(', ')}`,
    )
  }
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
