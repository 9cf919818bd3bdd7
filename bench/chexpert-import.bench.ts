/**
 * Benchmark of `cxr-audit import chexpert` (issue #12, docs/datasets.md) on CheXpert's
 * 223,414-row train file against pandas `read_csv` of the same file, both whole processes
 * with their start-up, alternating in the same run; medians of wall and CPU time (user +
 * system, from /usr/bin/time; CPU is the steadier figure on a busy shared machine).
 * Target: ours <= 1.5x pandas.
 *
 *   npx tsx bench/chexpert-import.bench.ts [--runs 5]
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sharedData } from '../test-support/shared-data.ts'

const runsArg = process.argv.indexOf('--runs')
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5
const TRAIN = sharedData('chexpert/chexpert_train.csv.gz')
const BIN = fileURLToPath(new URL('../apps/cli/bin/cxr-audit.js', import.meta.url))
const PYTHON = '/usr/bin/python3'
const scratch = mkdtempSync(join(tmpdir(), 'cxr-bench-chexpert-'))

interface Sample {
  wall: number
  cpu: number
}

/** One process under /usr/bin/time; a failure stops the benchmark. */
function run(cmd: string, args: readonly string[]): Sample {
  const times = join(scratch, 'time.txt')
  const t0 = performance.now()
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', '-o', times, cmd, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  })
  const wall = performance.now() - t0
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`)
  const [user, sys] = readFileSync(times, 'utf8').trim().split('\n').pop()!.split(' ')
  return { wall, cpu: (Number(user) + Number(sys)) * 1000 }
}

const ours = (i: number): Sample => {
  const db = join(scratch, `chexpert-${i}.sqlite`)
  const s = run(process.execPath, [
    BIN,
    'import',
    'chexpert',
    '--file',
    TRAIN,
    '--db',
    db,
    '--json',
  ])
  rmSync(db, { force: true })
  rmSync(`${db}-wal`, { force: true })
  rmSync(`${db}-shm`, { force: true })
  return s
}
const pandas = (): Sample =>
  run(PYTHON, ['-c', `import pandas; print(len(pandas.read_csv(${JSON.stringify(TRAIN)})))`])

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

try {
  // warm-up of each (file cache, compiled CLI), then alternate
  ours(-1)
  pandas()
  const a: Sample[] = []
  const b: Sample[] = []
  for (let i = 0; i < RUNS; i++) {
    a.push(ours(i))
    b.push(pandas())
  }
  const mo = { wall: median(a.map((s) => s.wall)), cpu: median(a.map((s) => s.cpu)) }
  const mp = { wall: median(b.map((s) => s.wall)), cpu: median(b.map((s) => s.cpu)) }
  const f = (s: Sample): string => `${s.wall.toFixed(0)} ms (cpu ${s.cpu.toFixed(0)} ms)`
  console.log(`import chexpert: 223,414-row train file, whole process, medians of ${RUNS} runs`)
  console.log(`  cxr-audit import chexpert --file train.csv.gz   ${f(mo)}`)
  console.log(`  python3 pandas read_csv                          ${f(mp)}`)
  console.log(
    `  chexpert ratio ${(mo.wall / mp.wall).toFixed(2)} (cpu ${(mo.cpu / mp.cpu).toFixed(2)}) (target <= 1.5)`,
  )
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
