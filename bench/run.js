// `npm run bench [name...]`: runs every bench/*.bench.ts in turn (each prints its own figures and
// ratios, in-process), then prints the issue #9 table: for each job, the in-process ratio its
// bench printed beside the whole-process ratio of bench/whole-process.bench.ts, same run.
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { spawn, spawnSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const dir = fileURLToPath(new URL('.', import.meta.url))
const only = process.argv.slice(2)
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort((a, b) => Number(a === 'whole-process.bench.ts') - Number(b === 'whole-process.bench.ts'))
const wholeOut = join(tmpdir(), `cxr-bench-whole-process-${process.pid}.json`)

/** Runs one bench, its output shown as it comes and kept for the summary. */
function run(file) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', dir + file], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, BENCH_WHOLE_PROCESS_OUT: wholeOut },
    })
    let text = ''
    child.stdout.on('data', (d) => {
      process.stdout.write(d)
      text += d.toString()
    })
    child.on('exit', (code) => resolve({ code, text }))
  })
}

// where each in-process bench states its ratio (a missing line shows as "-")
const inProcess = {
  help: () => '-',
  import: (out) => out['import.bench.ts']?.match(/ratio ([\d.]+) \(target/)?.[1],
  // bench/chexpert-import.bench.ts measures whole processes too: no in-process figure
  chexpert: () => '-',
  eval: (out) => {
    const m = out['eval.bench.ts']?.match(/ratio ours\/sklearn: ([\d.]+) in memory.*?([\d.]+) with/)
    return m && `${m[1]} in memory, ${m[2]} with the load`
  },
  thumbnails: (out) => out['thumbnails.bench.ts']?.match(/ratio ([\d.]+) \(target >= 0\.9/)?.[1],
}
const jobOf = (row) =>
  row.job.startsWith('cxr-audit --help')
    ? 'help'
    : row.job.startsWith('import chexpert')
      ? 'chexpert'
      : row.job.startsWith('import')
        ? 'import'
        : row.job.startsWith('eval')
          ? 'eval'
          : 'thumbnails'

// the benches that run the `cxr-audit` bin must time the compiled CLI: a source edited since
// the last build would make the bin run the TypeScript through tsx, seconds slower
const build = spawnSync(process.execPath, [join(dir, '../apps/cli/build.js'), '--if-stale'], {
  stdio: 'inherit',
})
if (build.status !== 0) throw new Error('could not build apps/cli/dist')

let failed = 0
const outputs = {}
for (const f of files) {
  console.log(`\n== ${f}`)
  const { code, text } = await run(f)
  outputs[f] = text
  if (code !== 0) failed++
}

let rows = []
try {
  rows = JSON.parse(readFileSync(wholeOut, 'utf8'))
  rmSync(wholeOut)
} catch {
  // the whole-process bench was not run (a name was given) or failed: no table
}
if (rows.length > 0) {
  console.log('\n== issue #9: in-process and whole-process ratios (ours / alternative)')
  for (const row of rows) {
    const job = jobOf(row)
    const kind = row.ratioKind === 'throughput' ? 'throughput ' : ''
    console.log(
      `${row.job.padEnd(38)} in-process ${String(inProcess[job](outputs) ?? '-').padEnd(34)} ` +
        `whole process ${kind}${row.ratio.toFixed(2)}x (target ${row.target}x; ${row.cpuRatio?.toFixed(2) ?? '-'}x in CPU s) against ${row.alternative}`,
    )
  }
}
process.exitCode = failed === 0 ? 0 : 1
