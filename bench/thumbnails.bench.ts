/**
 * Thumbnail throughput: our RenditionCache (cold cache, all cores) against Debian's
 * `vipsthumbnail` (libvips-tools) on the same 216 ChestX-ray14 PNGs, same size and format,
 * split over as many processes as there are cores. Then the median warm-cache `thumbnail()`
 * lookup. Run: `npx tsx bench/thumbnails.bench.ts` (target ratio >= 0.9).
 *
 * Rounds alternate between the two and the best round of each is compared, because the machine
 * may be shared; images per CPU-second are printed too, as they barely depend on other load.
 */
import { execFile, execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { buildRenditions, RenditionCache } from '../packages/imaging/src/index.ts'

// libuv's pool runs both sharp's pipelines and every fs call: with only the default 4 threads,
// the reads, stats and renames of the cache queue behind renders. The CLI's `thumbnails`
// command should set the same before its first asynchronous call (see docs/SPEC-imaging.md).
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(4, availableParallelism() * 2 + 4))
const run = promisify(execFile)
const SIZE = 256
const QUALITY = 85
const ROUNDS = 5
const dataDir = fileURLToPath(new URL('../../shared/data/cxr14/images/', import.meta.url))
if (!existsSync(dataDir)) {
  console.error(`missing ${dataDir}: the shared CXR14 images are needed beside the repo`)
  process.exit(2)
}
const files = readdirSync(dataDir)
  .filter((f) => f.endsWith('.png'))
  .map((f) => join(dataDir, f))
const cores = availableParallelism()
const scratch = mkdtempSync(join(tmpdir(), 'cxr-thumbs-bench-'))
const ticks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100

/** CPU seconds (user + system) of waited-for children, from /proc/self/stat (Linux). */
function childrenCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[13]) + Number(fields[14])) / ticks
}

interface Measure {
  /** images per wall-clock second */
  readonly rate: number
  /** images per CPU second, user + system */
  readonly perCpu: number
}

async function ours(round: number): Promise<Measure> {
  const cache = new RenditionCache({
    dir: join(scratch, `cache-${round}`),
    roots: [dataDir],
    render: { thumbnailSize: SIZE, thumbnailQuality: QUALITY },
  })
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const report = await buildRenditions(files, { cache })
  const seconds = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  if (report.made !== files.length) throw new Error(`made ${report.made} of ${files.length}`)
  return { rate: files.length / seconds, perCpu: files.length / ((cpu.user + cpu.system) / 1e6) }
}

async function vips(round: number): Promise<Measure> {
  const out = join(scratch, `vips-${round}`)
  mkdirSync(out, { recursive: true })
  const parts = Array.from({ length: cores }, (_, i) => files.filter((_, j) => j % cores === i))
  const cpu0 = childrenCpuSeconds()
  const t0 = performance.now()
  await Promise.all(
    parts.map((part) =>
      run('vipsthumbnail', ['--size', String(SIZE), '-o', `${out}/%s.jpg[Q=${QUALITY}]`, ...part]),
    ),
  )
  const seconds = (performance.now() - t0) / 1000
  const cpu = childrenCpuSeconds() - cpu0
  const made = readdirSync(out).length
  if (made !== files.length) throw new Error(`vipsthumbnail made ${made} of ${files.length}`)
  return { rate: files.length / seconds, perCpu: files.length / cpu }
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
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)] ?? NaN
}

try {
  await vips(0) // warm the page cache and libvips before timing either
  const oursRuns: Measure[] = []
  const vipsRuns: Measure[] = []
  for (let round = 1; round <= ROUNDS; round++) {
    oursRuns.push(await ours(round))
    vipsRuns.push(await vips(round))
  }
  const best = (xs: Measure[], key: keyof Measure): number => Math.max(...xs.map((x) => x[key]))
  const [a, b] = [best(oursRuns, 'rate'), best(vipsRuns, 'rate')]
  const [ac, bc] = [best(oursRuns, 'perCpu'), best(vipsRuns, 'perCpu')]
  const label = `thumbnails ${files.length} PNG -> ${SIZE}px JPEG`
  console.log(
    `${label}: ours ${a.toFixed(1)}/s, vipsthumbnail ${b.toFixed(1)}/s, ` +
      `ratio ${(a / b).toFixed(2)} (target >= 0.9; ${cores} cores, best of ${ROUNDS}, ` +
      `UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE})`,
  )
  console.log(
    `${label} per CPU-second: ours ${ac.toFixed(1)}, vipsthumbnail ${bc.toFixed(1)}, ` +
      `ratio ${(ac / bc).toFixed(2)}`,
  )
  const list = (xs: Measure[]): string => xs.map((x) => x.rate.toFixed(1)).join(', ')
  console.log(`  rounds (images/s): ours ${list(oursRuns)}; vipsthumbnail ${list(vipsRuns)}`)
  const warm = await warmLookupMs()
  console.log(
    `warm-cache thumbnail() lookup: median ${warm.toFixed(3)} ms over ${files.length} (target < 5 ms)`,
  )
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
