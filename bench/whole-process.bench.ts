/**
 * Whole-process benchmark (issue #9): each job as a user meets it, one fresh process per run with
 * its start-up, ours and the alternative alternating in the same run; medians and their ratio.
 *
 *   npx tsx bench/whole-process.bench.ts [--runs N] [help] [import] [chexpert] [eval] [thumbnails]
 *
 * Ours is the real `cxr-audit` bin (the compiled apps/cli/dist, rebuilt first when stale). The
 * alternatives: `node -e 0`; pandas reading the two CSVs (bench/import_pandas.py), or CheXpert's
 * 223,414-row train file (issue #12: `import chexpert` at most 1.5x that); scikit-learn's
 * roc_auc_score per finding after loading the same files (bench/eval_sklearn.py); Debian's
 * `vipsthumbnail -s 256` as one process per core over the same PNGs. CPU seconds and peak memory
 * come from /usr/bin/time. With $BENCH_WHOLE_PROCESS_OUT set, the rows are also written there
 * as JSON (bench/run.js prints them beside the in-process figures).
 */
import { spawn, spawnSync } from 'node:child_process'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import { CXR14_FINDINGS } from '@cxr-audit/core'
import { sharedData } from '../test-support/shared-data.ts'

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url))
// CXR_AUDIT_BENCH_BIN=/other/checkout/apps/cli/bin/cxr-audit.js measures another version
const BIN = process.env['CXR_AUDIT_BENCH_BIN'] ?? here('../apps/cli/bin/cxr-audit.js')
const PYTHON = '/usr/bin/python3'
const TIME = '/usr/bin/time'
const METADATA = sharedData('cxr14/Data_Entry_2017_v2020.csv.gz')
const BBOX = sharedData('cxr14/BBox_List_2017.csv.gz')
const CHEXPERT_TRAIN = sharedData('chexpert/chexpert_train.csv.gz')
const IMAGES = sharedData('cxr14/images')
const PREDICTIONS = sharedData('predictions/densenet121-jrzech-test-preds.csv')

const argv = process.argv.slice(2)
const runsAt = argv.indexOf('--runs')
const RUNS_GIVEN = runsAt >= 0 ? Number(argv[runsAt + 1]) : undefined
const jobsAsked = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--runs')
const wanted = (job: string): boolean => jobsAsked.length === 0 || jobsAsked.includes(job)
const scratch = mkdtempSync(join(tmpdir(), 'cxr-whole-process-'))

/** One process run: wall milliseconds, CPU seconds (user + system), peak resident MB. */
interface Sample {
  readonly wall: number
  readonly cpu: number
  readonly rss: number
}

interface Spec {
  readonly cmd: string
  readonly args: readonly string[]
  readonly cwd?: string
}

const hasTime = existsSync(TIME)
let timeFiles = 0

/** Wraps a command in /usr/bin/time (when there is one), writing its figures to a file. */
function wrap(spec: Spec): {
  cmd: string
  args: string[]
  read: () => { cpu: number; rss: number }
} {
  if (!hasTime) return { cmd: spec.cmd, args: [...spec.args], read: () => ({ cpu: NaN, rss: NaN }) }
  const file = join(scratch, `time-${timeFiles++}.txt`)
  return {
    cmd: TIME,
    args: ['-f', '%U %S %M', '-o', file, spec.cmd, ...spec.args],
    read: () => {
      const [user, sys, kb] = readFileSync(file, 'utf8').trim().split('\n').pop()!.split(' ')
      return { cpu: Number(user) + Number(sys), rss: Number(kb) / 1024 }
    },
  }
}

/** Runs a command to completion and measures it; a failure stops the benchmark. */
function measure(spec: Spec): Sample & { stdout: string } {
  const w = wrap(spec)
  const t0 = performance.now()
  const r = spawnSync(w.cmd, w.args, { cwd: spec.cwd, encoding: 'utf8', maxBuffer: 1 << 28 })
  const wall = performance.now() - t0
  if (r.status !== 0)
    throw new Error(`${spec.cmd} ${spec.args.join(' ')} exited ${r.status}: ${r.stderr}`)
  return { wall, ...w.read(), stdout: r.stdout }
}

/** Runs several commands at once; wall until the last ends, CPU and peak memory summed. */
async function measureTogether(specs: readonly Spec[]): Promise<Sample> {
  const t0 = performance.now()
  const done = await Promise.all(
    specs.map(
      (spec) =>
        new Promise<{ cpu: number; rss: number }>((resolve, reject) => {
          const w = wrap(spec)
          const child = spawn(w.cmd, w.args, { cwd: spec.cwd, stdio: ['ignore', 'ignore', 'pipe'] })
          let err = ''
          child.stderr.on('data', (d: Buffer) => (err += d.toString()))
          child.on('error', reject)
          child.on('exit', (code) =>
            code === 0
              ? resolve(w.read())
              : reject(new Error(`${spec.cmd} exited ${code}: ${err}`)),
          )
        }),
    ),
  )
  const wall = performance.now() - t0
  return {
    wall,
    cpu: done.reduce((a, d) => a + d.cpu, 0),
    rss: done.reduce((a, d) => a + d.rss, 0),
  }
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}
const summary = (xs: readonly Sample[]): Sample => ({
  wall: median(xs.map((x) => x.wall)),
  cpu: median(xs.map((x) => x.cpu)),
  rss: median(xs.map((x) => x.rss)),
})

interface Row {
  readonly job: string
  readonly alternative: string
  readonly runs: number
  readonly ours: Sample
  readonly theirs: Sample
  /** ours / theirs wall time; for thumbnails, throughput: theirs / ours wall time. */
  readonly ratio: number
  /**
   * The same ratio in CPU seconds (user + system): on a machine shared with other work the wall
   * times swing with the load (a process with more threads gets more of the cores), CPU far less.
   */
  readonly cpuRatio: number
  readonly ratioKind: 'time' | 'throughput'
  readonly target: string
  readonly note?: string
}

/** Alternates setup+ours and setup+theirs `runs` times after one warm-up of each. */
async function alternate(
  runs: number,
  ours: (i: number) => Promise<Sample> | Sample,
  theirs: (i: number) => Promise<Sample> | Sample,
): Promise<{ ours: Sample; theirs: Sample }> {
  await ours(-1)
  await theirs(-1)
  const a: Sample[] = []
  const b: Sample[] = []
  for (let i = 0; i < runs; i++) {
    // which goes first alternates too, so that neither always follows the other's cache misses
    if (i % 2 === 0) {
      a.push(await ours(i))
      b.push(await theirs(i))
    } else {
      b.push(await theirs(i))
      a.push(await ours(i))
    }
  }
  return { ours: summary(a), theirs: summary(b) }
}

const cli = (...args: string[]): Spec => ({ cmd: process.execPath, args: [BIN, ...args] })

/** Why a Python alternative cannot run (a message naming the Debian package), or null. */
function pythonMissing(modules: string, pkg: string): string | null {
  const r = spawnSync(PYTHON, ['-c', `import ${modules}`], { encoding: 'utf8' })
  return r.status === 0 ? null : `needs ${PYTHON} with ${modules}: apt-get install ${pkg}`
}

async function helpRow(): Promise<Row> {
  const runs = RUNS_GIVEN ?? 20
  const r = await alternate(
    runs,
    () => measure(cli('--help')),
    () => measure({ cmd: process.execPath, args: ['-e', '0'] }),
  )
  return {
    job: 'cxr-audit --help',
    alternative: 'node -e 0',
    runs,
    ...r,
    ratio: r.ours.wall / r.theirs.wall,
    cpuRatio: r.ours.cpu / r.theirs.cpu,
    ratioKind: 'time',
    target: '<= 4',
  }
}

async function importRow(): Promise<Row | string> {
  const missing = pythonMissing('pandas', 'python3-pandas')
  if (missing !== null) return missing
  const runs = RUNS_GIVEN ?? 5
  const fresh = (i: number): string => {
    const dir = join(scratch, `import-${i}`)
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir)
    return join(dir, 'import.sqlite')
  }
  const r = await alternate(
    runs,
    (i) =>
      measure(cli('import', 'cxr14', '--metadata', METADATA, '--bbox', BBOX, '--db', fresh(i))),
    () => measure({ cmd: PYTHON, args: [here('import_pandas.py'), METADATA, BBOX] }),
  )
  return {
    job: 'import cxr14 --metadata --bbox',
    alternative: 'pandas read_csv of both',
    runs,
    ...r,
    ratio: r.ours.wall / r.theirs.wall,
    cpuRatio: r.ours.cpu / r.theirs.cpu,
    ratioKind: 'time',
    target: '<= 1.5',
  }
}

async function chexpertRow(): Promise<Row | string> {
  const missing = pythonMissing('pandas', 'python3-pandas')
  if (missing !== null) return missing
  const runs = RUNS_GIVEN ?? 5
  const fresh = (i: number): string => {
    const dir = join(scratch, `chexpert-${i}`)
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir)
    return join(dir, 'import.sqlite')
  }
  let rows = 0
  const r = await alternate(
    runs,
    (i) => measure(cli('import', 'chexpert', '--file', CHEXPERT_TRAIN, '--db', fresh(i), '--json')),
    () => {
      const code = `import pandas; print(len(pandas.read_csv(${JSON.stringify(CHEXPERT_TRAIN)})))`
      const s = measure({ cmd: PYTHON, args: ['-c', code] })
      rows = Number(s.stdout.trim())
      return s
    },
  )
  return {
    job: `import chexpert, train file of ${rows.toLocaleString('en')} rows`,
    alternative: 'pandas read_csv of it',
    runs,
    ...r,
    ratio: r.ours.wall / r.theirs.wall,
    cpuRatio: r.ours.cpu / r.theirs.cpu,
    ratioKind: 'time',
    target: '<= 1.5',
  }
}

async function evalRow(): Promise<Row | string> {
  const missing = pythonMissing('pandas, sklearn', 'python3-pandas python3-sklearn')
  if (missing !== null) return missing
  const runs = RUNS_GIVEN ?? 7
  process.stderr.write('eval: preparing the database (metadata and predictions)...\n')
  const db = join(scratch, 'eval.sqlite')
  measure(cli('import', 'cxr14', '--metadata', METADATA, '--db', db, '--json'))
  measure(cli('import', 'predictions', '--file', PREDICTIONS, '--model', 'densenet', '--db', db))
  const findings = CXR14_FINDINGS.flatMap((f) => ['--finding', f])
  let oursOut = ''
  let theirsOut = ''
  const r = await alternate(
    runs,
    () => {
      const s = measure(cli('eval', '--model', 'densenet', ...findings, '--db', db, '--json'))
      oursOut = s.stdout
      return s
    },
    () => {
      const args = [here('eval_sklearn.py'), PREDICTIONS, METADATA, ...CXR14_FINDINGS]
      const s = measure({ cmd: PYTHON, args })
      theirsOut = s.stdout
      return s
    },
  )
  // the same numbers, or the comparison means nothing
  const ours = JSON.parse(oursOut) as {
    images: number
    findings: { finding: string; auc: number }[]
  }
  const theirs = JSON.parse(theirsOut) as { auc: Record<string, number> }
  const worst = Math.max(...ours.findings.map((f) => Math.abs(f.auc - theirs.auc[f.finding]!)))
  if (!(worst < 1e-9)) throw new Error(`eval and scikit-learn disagree: |AUC difference| ${worst}`)
  return {
    job: `eval ${ours.findings.length} findings x ${ours.images}, DeLong`,
    alternative: 'scikit-learn roc_auc_score',
    runs,
    ...r,
    ratio: r.ours.wall / r.theirs.wall,
    cpuRatio: r.ours.cpu / r.theirs.cpu,
    ratioKind: 'time',
    target: '<= 1.0',
    note: `largest |AUC - sklearn AUC| ${worst.toExponential(1)}`,
  }
}

/** A metadata file of the images on disk only, so that each run copies a small database. */
function metadataOfImagesOnDisk(names: ReadonlySet<string>): string {
  const lines = gunzipSync(readFileSync(METADATA)).toString('utf8').split('\n')
  const kept = [lines[0]!, ...lines.slice(1).filter((l) => names.has(l.slice(0, l.indexOf(','))))]
  const file = join(scratch, 'on-disk.csv')
  writeFileSync(file, `${kept.join('\n')}\n`)
  return file
}

async function thumbnailsRow(): Promise<Row | string> {
  const vips = spawnSync('vipsthumbnail', ['--vips-version'], { encoding: 'utf8' })
  if (vips.status !== 0) return 'needs vipsthumbnail: apt-get install libvips-tools'
  const runs = RUNS_GIVEN ?? 5
  const files = readdirSync(IMAGES)
    .filter((f) => f.endsWith('.png'))
    .sort()
  process.stderr.write(`thumbnails: preparing a database of the ${files.length} images...\n`)
  const base = join(scratch, 'thumbs.sqlite')
  const metadata = metadataOfImagesOnDisk(new Set(files))
  measure(cli('import', 'cxr14', '--metadata', metadata, '--images', IMAGES, '--db', base))
  const cores = availableParallelism()
  const parts = Array.from({ length: cores }, (_, k) => files.filter((_, j) => j % cores === k))
  const r = await alternate(
    runs,
    (i) => {
      const dir = join(scratch, `thumbs-${i}`)
      rmSync(dir, { recursive: true, force: true })
      mkdirSync(dir)
      copyFileSync(base, join(dir, 'thumbs.sqlite'))
      return measure(
        cli('thumbnails', '--db', join(dir, 'thumbs.sqlite'), '--cache', join(dir, 'cache')),
      )
    },
    (i) => {
      const out = join(scratch, `vips-${i}`)
      rmSync(out, { recursive: true, force: true })
      mkdirSync(out)
      return measureTogether(
        parts.map((part) => ({
          cmd: 'vipsthumbnail',
          args: ['-s', '256', '-o', `${out}/%s.jpg`, ...part],
          cwd: IMAGES,
        })),
      )
    },
  )
  return {
    job: `thumbnails of ${files.length} PNGs, pixel facts`,
    alternative: `vipsthumbnail -s 256, ${cores} processes`,
    runs,
    ...r,
    ratio: r.theirs.wall / r.ours.wall,
    cpuRatio: r.theirs.cpu / r.ours.cpu,
    ratioKind: 'throughput',
    target: '>= 0.9',
  }
}

const ms = (x: number): string => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(0)} ms`)
const cpuMem = (s: Sample): string =>
  Number.isNaN(s.cpu) ? '' : `, ${s.cpu.toFixed(2)} CPU s, ${s.rss.toFixed(0)} MB`

function print(row: Row): void {
  console.log(
    `${row.job}: ours ${ms(row.ours.wall)}${cpuMem(row.ours)}; ${row.alternative} ${ms(row.theirs.wall)}${cpuMem(row.theirs)}; ` +
      `${row.ratioKind === 'throughput' ? 'throughput ratio' : 'ratio'} ${row.ratio.toFixed(2)}x (target ${row.target}x, median of ${row.runs})` +
      (Number.isNaN(row.cpuRatio) ? '' : `, in CPU seconds ${row.cpuRatio.toFixed(2)}x`) +
      (row.note === undefined ? '' : `; ${row.note}`),
  )
}

try {
  const build = spawnSync(process.execPath, [here('../apps/cli/build.js'), '--if-stale'], {
    stdio: 'inherit',
  })
  if (build.status !== 0) throw new Error('could not build apps/cli/dist')
  console.log(
    `whole process, alternating runs (${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(1)} at start; ${BIN})` +
      (hasTime ? '' : `; ${TIME} is missing (apt-get install time): wall time only`),
  )
  const rows: Row[] = []
  const jobs: [string, () => Promise<Row | string>][] = [
    ['help', helpRow],
    ['import', importRow],
    ['chexpert', chexpertRow],
    ['eval', evalRow],
    ['thumbnails', thumbnailsRow],
  ]
  for (const [name, run] of jobs) {
    if (!wanted(name)) continue
    const row = await run()
    if (typeof row === 'string') console.log(`${name}: skipped, ${row}`)
    else {
      print(row)
      rows.push(row)
    }
  }
  const out = process.env['BENCH_WHOLE_PROCESS_OUT']
  if (out !== undefined) writeFileSync(out, JSON.stringify(rows))
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
