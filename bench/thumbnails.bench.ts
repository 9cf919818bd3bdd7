/**
 * `cxr-audit thumbnails` on the 216 shared ChestX-ray14 PNGs (256 px JPEG thumbnails with the
 * pixel facts, fresh cache) against Debian's `vipsthumbnail -s 256` (libvips-tools) over the same
 * files, split over as many processes as there are cores, measured in the same run:
 *
 * - in-process: our batch alone (RenditionCache + facts from the same decode, no database),
 *   timed inside a fresh Node process, with that process's peak RSS;
 * - whole process: the `cxr-audit thumbnails` command as a user runs it (start-up, database
 *   writes included) on a database of those 216 images, with a fresh copy and cache each round.
 *
 * Rounds alternate between the three, and medians are compared (best rounds too), because the
 * machine may be shared; CPU seconds (user + system) barely depend on other load. Then the
 * median warm-cache `thumbnail()` lookup. Run: `npm run bench thumbnails` (target ratio >= 0.9).
 */
import { execFile, execFileSync } from 'node:child_process'
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
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { gunzipSync } from 'node:zlib'
import { buildRenditions, factsOfRead, RenditionCache } from '../packages/imaging/src/index.ts'

// libuv's pool runs both sharp's pipelines and every fs call; the CLI sets the same at start.
const threadpool = String(Math.max(8, availableParallelism() * 2 + 4))
process.env.UV_THREADPOOL_SIZE ??= threadpool
const run = promisify(execFile)
const SIZE = 256
const QUALITY = 85
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5)
const root = fileURLToPath(new URL('..', import.meta.url))
const dataDir = join(root, '../shared/data/cxr14/images/')
const metadataGz = join(root, '../shared/data/cxr14/Data_Entry_2017_v2020.csv.gz')
if (!existsSync(dataDir)) {
  console.error(`missing ${dataDir}: the shared CXR14 images are needed beside the repo`)
  process.exit(2)
}
const cli = join(root, 'node_modules/.bin/cxr-audit')
const names = readdirSync(dataDir).filter((f) => f.endsWith('.png'))
const files = names.map((f) => join(dataDir, f))

interface Measure {
  readonly seconds: number
  readonly cpu: number
  /** peak resident set, MB */
  readonly rssMb: number
}

/** Child mode: our batch in this fresh process, timed inside; prints one JSON line. */
async function child(cacheDir: string): Promise<void> {
  const before = process.resourceUsage().maxRSS
  const cache = new RenditionCache({
    dir: cacheDir,
    roots: [dataDir],
    render: { thumbnailSize: SIZE, thumbnailQuality: QUALITY },
  })
  let facts = 0
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const report = await buildRenditions(files, {
    cache,
    pixels: {
      wants: () => true,
      use: async (_image, loaded) => {
        await factsOfRead(loaded)
        facts++
      },
    },
  })
  const seconds = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  if (report.made !== files.length || facts !== files.length)
    throw new Error(`made ${report.made}, facts ${facts} of ${files.length}`)
  const rssMb = process.resourceUsage().maxRSS / 1024
  console.log(
    JSON.stringify({ seconds, cpu: (cpu.user + cpu.system) / 1e6, rssMb, startMb: before / 1024 }),
  )
}

if (process.argv[2] === '--child') {
  await child(process.argv[3] ?? '')
  process.exit(0)
}

const cores = availableParallelism()
const scratch = mkdtempSync(join(tmpdir(), 'cxr-thumbs-bench-'))
const ticks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : null

/** CPU seconds (user + system) of waited-for descendants, from /proc/self/stat (Linux). */
function childrenCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[13]) + Number(fields[14])) / ticks
}

/** Runs a command under GNU time (when installed) and returns its peak RSS in MB. */
async function measured(command: string, args: readonly string[], tag: string): Promise<number> {
  if (gnuTime === null) {
    await run(command, args, { maxBuffer: 64 << 20 })
    return NaN
  }
  const out = join(scratch, `${tag}.time`)
  await run(gnuTime, ['-f', '%M', '-o', out, command, ...args], { maxBuffer: 64 << 20 })
  return Number(readFileSync(out, 'utf8').trim().split('\n').pop()) / 1024
}

let startMb = NaN
async function inProcess(round: number): Promise<Measure> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', join(scratch, `ours-${round}`)],
    { cwd: root, env: { ...process.env, UV_THREADPOOL_SIZE: threadpool } },
  )
  const m = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Measure & { startMb: number }
  startMb = m.startMb
  return m
}

async function vips(round: number): Promise<Measure> {
  const out = join(scratch, `vips-${round}`)
  mkdirSync(out, { recursive: true })
  const parts = Array.from({ length: cores }, (_, i) => files.filter((_, j) => j % cores === i))
  const cpu0 = childrenCpuSeconds()
  const t0 = performance.now()
  const rss = await Promise.all(
    parts.map((part, i) =>
      measured(
        'vipsthumbnail',
        ['--size', String(SIZE), '-o', `${out}/%s.jpg[Q=${QUALITY}]`, ...part],
        `vips-${round}-${i}`,
      ),
    ),
  )
  const seconds = (performance.now() - t0) / 1000
  const cpu = childrenCpuSeconds() - cpu0
  const made = readdirSync(out).length
  if (made !== files.length) throw new Error(`vipsthumbnail made ${made} of ${files.length}`)
  return { seconds, cpu, rssMb: Math.max(...rss) }
}

/** A database of the 216 images: their metadata rows, imported by the CLI once. */
async function prepareDatabase(): Promise<string> {
  const onDisk = new Set(names)
  const lines = gunzipSync(readFileSync(metadataGz)).toString('utf8').split('\n')
  const rows = lines.filter((line, i) => i === 0 || onDisk.has(line.slice(0, line.indexOf(','))))
  const csv = join(scratch, 'metadata.csv')
  writeFileSync(csv, rows.join('\n') + '\n')
  const db = join(scratch, 'base.sqlite')
  await run(cli, ['import', 'cxr14', '--db', db, '--metadata', csv, '--images', dataDir, '--json'])
  return db
}

async function wholeProcess(round: number, baseDb: string): Promise<Measure> {
  const db = join(scratch, `cli-${round}.sqlite`)
  copyFileSync(baseDb, db)
  const args = ['thumbnails', '--db', db, '--cache', join(scratch, `cli-cache-${round}`), '--json']
  const cpu0 = childrenCpuSeconds()
  const t0 = performance.now()
  const rssMb = await measured(cli, args, `cli-${round}`)
  const seconds = (performance.now() - t0) / 1000
  return { seconds, cpu: childrenCpuSeconds() - cpu0, rssMb }
}

async function warmLookupMs(): Promise<number> {
  const cache = new RenditionCache({ dir: join(scratch, 'cache-warm'), roots: [dataDir] })
  await buildRenditions(files, { cache })
  const times: number[] = []
  for (const f of files) {
    const t0 = performance.now()
    const r = await cache.thumbnail(f)
    times.push(performance.now() - t0)
    if (!r.cached) throw new Error(`not cached: ${f}`)
  }
  return median(times)
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2
}

function line(label: string, xs: readonly Measure[]): string {
  const rate = xs.map((x) => files.length / x.seconds)
  return (
    `${label.padEnd(38)} ${median(xs.map((x) => x.seconds)).toFixed(2)} s wall ` +
    `(${median(rate).toFixed(1)} images/s, best ${Math.max(...rate).toFixed(1)}), ` +
    `${median(xs.map((x) => x.cpu)).toFixed(2)} CPU s, ` +
    `peak RSS ${median(xs.map((x) => x.rssMb)).toFixed(0)} MB`
  )
}

try {
  const baseDb = await prepareDatabase()
  await vips(0) // warm the page cache and libvips before timing anything
  const ours: Measure[] = []
  const theirs: Measure[] = []
  const whole: Measure[] = []
  for (let round = 1; round <= ROUNDS; round++) {
    ours.push(await inProcess(round))
    theirs.push(await vips(round))
    whole.push(await wholeProcess(round, baseDb))
  }
  const title = `thumbnails of ${files.length} PNGs -> ${SIZE} px JPEG`
  console.log(
    `${title}, medians of ${ROUNDS} alternating rounds (${cores} cores, UV_THREADPOOL_SIZE=${threadpool}):`,
  )
  console.log(line('  ours in-process, with pixel facts', ours))
  console.log(`    (the Node process held ${startMb.toFixed(0)} MB before the batch)`)
  console.log(line('  cxr-audit thumbnails, whole process', whole))
  console.log(line(`  vipsthumbnail, ${cores} processes`, theirs))
  const ratio = (a: Measure[], b: Measure[]): string =>
    (median(b.map((x) => x.seconds)) / median(a.map((x) => x.seconds))).toFixed(2)
  const cpuRatio = (a: Measure[], b: Measure[]): string =>
    (median(b.map((x) => x.cpu)) / median(a.map((x) => x.cpu))).toFixed(2)
  console.log(
    `  throughput ratio to vipsthumbnail: in-process ${ratio(ours, theirs)}, whole process ` +
      `${ratio(whole, theirs)} (target >= 0.9); per CPU-second: in-process ` +
      `${cpuRatio(ours, theirs)}, whole process ${cpuRatio(whole, theirs)}`,
  )
  const warm = await warmLookupMs()
  console.log(
    `warm-cache thumbnail() lookup: median ${warm.toFixed(3)} ms over ${files.length} (target < 5 ms)`,
  )
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
