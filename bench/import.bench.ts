/**
 * Benchmark of `cxr-audit import cxr14` (issue 9, docs/import.md) against pandas `read_csv` of
 * the same files, measured in the same run with Debian's python3-pandas:
 *
 * - whole process: the CLI (`apps/cli/bin/cxr-audit.js import cxr14 --metadata --bbox`, a new
 *   SQLite file each time) against `python3 -c "import pandas; read_csv(metadata);
 *   read_csv(bbox)"`, alternating, median (target <= 1.5x);
 * - in process: the import's own stages (read, write, commit, summary; `onTiming`) against
 *   `read_csv` of both files, median; also with the image folder and split lists, and a
 *   re-import of the same files (which writes nothing);
 * - the next size: CheXpert's train file (223,414 rows, 14 label columns) parsed by our CSV
 *   reader against `read_csv`, and written through the store's bulk path (images and ~850k
 *   labels);
 * - `check` on the imported 112,120 images (target < 1 s).
 *
 *   npx tsx bench/import.bench.ts [--runs 7]
 */
import { spawnSync } from 'node:child_process'
import { createReadStream, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createGunzip } from 'node:zlib'
import { checkDataset, CsvSplitter, type CsvRecord, type ImageRecord } from '@cxr-audit/core'
import { importCxr14, type Cxr14ImportOptions } from '@cxr-audit/ingest'
import {
  ensureFindings,
  findDataset,
  LabelRows,
  loadCheckInput,
  openDatasetImport,
  openStore,
  syncImages,
  syncLabels,
} from '@cxr-audit/store'
import { startPostgres } from '../test-support/postgres.ts'
import { sharedData } from '../test-support/shared-data.ts'

const runsArg = process.argv.indexOf('--runs')
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7
const METADATA = sharedData('cxr14/Data_Entry_2017_v2020.csv.gz')
const BBOX = sharedData('cxr14/BBox_List_2017.csv.gz')
const IMAGES = sharedData('cxr14/images')
const TRAIN = sharedData('cxr14/splits/train_val_list.txt')
const TEST = sharedData('cxr14/splits/test_list.txt')
const CHEXPERT = sharedData('chexpert/chexpert_train.csv.gz')
const CLI = new URL('../apps/cli/bin/cxr-audit.js', import.meta.url).pathname
const PYTHON = '/usr/bin/python3'

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 === 1 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}
const ms = (x: number): string => `${x.toFixed(0)} ms`
const row = (what: string, value: string): string => `  ${what.padEnd(54)} ${value.padStart(10)}`

function python(script: string, args: string[] = []): string {
  const r = spawnSync(PYTHON, ['-c', script, ...args], { encoding: 'utf8' })
  if (r.status !== 0) {
    throw new Error(`python3-pandas is needed (apt-get install python3-pandas): ${r.stderr}`)
  }
  return r.stdout
}

/** read_csv of the given files, in process: medians of RUNS after one warm-up. */
function pandasInProcess(files: string[]): Timing {
  const out = python(
    `
import json, sys, time, pandas as pd
files = sys.argv[2:]
[pd.read_csv(f) for f in files]
runs = []
for _ in range(int(sys.argv[1])):
    t, c = time.perf_counter(), time.process_time()
    [pd.read_csv(f) for f in files]
    runs.append([(time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000])
print(json.dumps(runs))
`,
    [String(RUNS), ...files],
  )
  const runs = JSON.parse(out) as [number, number][]
  return { wall: median(runs.map((r) => r[0])), cpu: median(runs.map((r) => r[1])) }
}

/** Wall-clock and CPU milliseconds (CPU: user + system of every thread of the process). */
interface Timing {
  wall: number
  cpu: number | null
}

interface ImportTiming {
  total: Timing
  stages: Map<string, number>
}

/**
 * importCxr14 in process, a new database per run: a SQLite file, or one from `database(i)`
 * (PostgreSQL). With `again`, the timed import is the second of the same files.
 */
async function importInProcess(
  o: Omit<Cxr14ImportOptions, 'onTiming'>,
  {
    again = false,
    runs = RUNS,
    database,
  }: { again?: boolean; runs?: number; database?: (i: number) => string } = {},
): Promise<ImportTiming> {
  const totals: number[] = []
  const cpus: number[] = []
  const stages = new Map<string, number[]>()
  for (let i = 0; i <= runs; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'cxr-import-bench-'))
    const store = await openStore(database?.(i) ?? join(dir, 'bench.sqlite'))
    if (again) await importCxr14(store, o)
    const seen = new Map<string, number>()
    const t = performance.now()
    const c = process.cpuUsage()
    await importCxr14(store, { ...o, onTiming: (s, d) => seen.set(s, (seen.get(s) ?? 0) + d) })
    const total = performance.now() - t
    const cpu = process.cpuUsage(c)
    await store.close()
    rmSync(dir, { recursive: true, force: true })
    if (i === 0) continue // warm-up: JIT, page cache
    totals.push(total)
    cpus.push((cpu.user + cpu.system) / 1000)
    for (const [s, d] of seen) stages.set(s, [...(stages.get(s) ?? []), d])
  }
  return {
    total: { wall: median(totals), cpu: median(cpus) },
    stages: new Map([...stages].map(([s, d]) => [s, median(d)])),
  }
}

/** Runs a command; wall time, and CPU time when /usr/bin/time (Debian's `time`) is there. */
function timed(command: string, args: string[]): Timing {
  const time = existsSync('/usr/bin/time')
  const t = performance.now()
  const r = time
    ? spawnSync('/usr/bin/time', ['-f', 'cpu %U %S', command, ...args], { encoding: 'utf8' })
    : spawnSync(command, args, { encoding: 'utf8' })
  const wall = performance.now() - t
  if (r.status !== 0)
    throw new Error(`${command} ${args.slice(0, 3).join(' ')} failed: ${r.stderr}`)
  const m = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr)
  return { wall, cpu: m === null ? null : (Number(m[1]) + Number(m[2])) * 1000 }
}

const medians = (ts: Timing[]): Timing => ({
  wall: median(ts.map((t) => t.wall)),
  cpu: ts.some((t) => t.cpu === null) ? null : median(ts.map((t) => t.cpu!)),
})

/** Whole processes, alternating ours and pandas; medians. */
function wholeProcess(): { ours: Timing; pandas: Timing } {
  const ours: Timing[] = []
  const pandas: Timing[] = []
  const script = `import pandas as pd; pd.read_csv(${JSON.stringify(METADATA)}); pd.read_csv(${JSON.stringify(BBOX)})`
  for (let i = 0; i <= RUNS; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'cxr-import-bench-'))
    const o = timed(process.execPath, [
      CLI,
      'import',
      'cxr14',
      '--metadata',
      METADATA,
      '--bbox',
      BBOX,
      '--db',
      join(dir, 'db.sqlite'),
      '--json',
    ])
    rmSync(dir, { recursive: true, force: true })
    const p = timed(PYTHON, ['-c', script])
    if (i === 0) continue
    ours.push(o)
    pandas.push(p)
  }
  return { ours: medians(ours), pandas: medians(pandas) }
}

/** CheXpert's train file through our CSV reader, every field read: its time and the rows. */
async function parseChexpert(): Promise<{
  time: Timing
  records: ImageRecord[]
  findings: string[]
  labels: number[][]
}> {
  const splitter = new CsvSplitter()
  const records: ImageRecord[] = []
  const labels: number[][] = []
  let header: string[] | null = null
  const none = new Map<string, number>()
  const onRecord = (r: CsvRecord): void => {
    if (header === null) {
      header = r.fields()
      return
    }
    const values: number[] = []
    for (let i = 5; i < r.length; i++) values.push(r.isBlank(i) ? NaN : r.number(i))
    labels.push(values)
    const path = r.text(0)
    records.push({
      name: path,
      patient: path.split('/')[2] ?? '',
      age: r.number(2),
      sex: r.text(1),
      view: r.text(4),
      followUp: null,
      width: null,
      height: null,
      spacingX: null,
      spacingY: null,
      labels: none,
      rawLabels: [],
      line: r.line,
    })
  }
  const t = performance.now()
  const c = process.cpuUsage()
  const decoder = new TextDecoder()
  for await (const chunk of createReadStream(CHEXPERT).pipe(createGunzip({ chunkSize: 1 << 18 })))
    splitter.pushRecords(decoder.decode(chunk as Buffer, { stream: true }), onRecord)
  splitter.endRecords(onRecord)
  const wall = performance.now() - t
  const cpu = process.cpuUsage(c)
  return {
    time: { wall, cpu: (cpu.user + cpu.system) / 1000 },
    records,
    findings: header!.slice(5),
    labels,
  }
}

/** The store's bulk write at CheXpert's size: its images and every stated label (1, 0, -1). */
async function writeChexpert(p: Awaited<ReturnType<typeof parseChexpert>>) {
  const dir = mkdtempSync(join(tmpdir(), 'cxr-import-bench-'))
  const store = await openStore(join(dir, 'bench.sqlite'))
  let images = 0
  let labels = 0
  let count = 0
  const t = performance.now()
  await store.db.transaction().execute(async (tx) => {
    const ds = await openDatasetImport(tx, {
      name: 'CheXpert',
      sourceFormat: 'bench',
      sources: {},
      roots: null,
    })
    const ids = await ensureFindings(tx, ds.id, p.findings, [])
    const findingIds = p.findings.map((f) => ids.get(f)!)
    let s = performance.now()
    const written = await syncImages(
      store,
      tx,
      ds.id,
      { records: p.records, splits: null, files: null },
      true,
    )
    images = performance.now() - s
    s = performance.now()
    const rows = new LabelRows()
    p.labels.forEach((values, i) => {
      values.forEach((v, k) => {
        if (!Number.isNaN(v)) rows.push(written.ids[i]!, findingIds[k]!, v)
      })
    })
    count = rows.length
    await syncLabels(store, tx, ds.id, rows, true)
    labels = performance.now() - s
  })
  const total = performance.now() - t
  await store.close()
  rmSync(dir, { recursive: true, force: true })
  return { images, labels, total, count }
}

async function checkTime(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'cxr-import-bench-'))
  const store = await openStore(join(dir, 'bench.sqlite'))
  await importCxr14(store, { metadata: METADATA })
  const times: number[] = []
  for (let i = 0; i < 3; i++) {
    const t = performance.now()
    const ds = await findDataset(store.db)
    checkDataset({ dataset: ds.name, ...(await loadCheckInput(store.db, ds)) })
    times.push(performance.now() - t)
  }
  await store.close()
  rmSync(dir, { recursive: true, force: true })
  return median(times)
}

const both = (t: Timing): string =>
  `${ms(t.wall)}${t.cpu === null ? '' : ` (cpu ${ms(t.cpu)})`}`.padStart(24)
const ratio = (a: Timing, b: Timing): string =>
  `${(a.wall / b.wall).toFixed(2)}x${a.cpu === null || b.cpu === null ? '' : ` (cpu ${(a.cpu / b.cpu).toFixed(2)}x)`}`

function printStages(t: ImportTiming): void {
  for (const [s, d] of t.stages) console.log(row(s, ms(d)))
  console.log(row('total (in process)', both(t.total)))
}

// wall clock is what a user waits; CPU time is the steadier figure on a busy shared machine
const whole = wholeProcess()
const boxes = await importInProcess({ metadata: METADATA, bbox: BBOX })
const pandasBoth = pandasInProcess([METADATA, BBOX])
console.log(`import cxr14: 112,120 rows + 984 boxes; medians of ${RUNS} runs; wall (cpu)`)
console.log(row('whole process: cxr-audit import cxr14 --metadata --bbox', both(whole.ours)))
console.log(row('whole process: python3 pandas read_csv of both', both(whole.pandas)))
console.log(row('whole-process ratio (target <= 1.5)', ratio(whole.ours, whole.pandas)))
console.log('in process, by stage (wall):')
printStages(boxes)
console.log(row('pandas read_csv of both (in process)', both(pandasBoth)))
console.log(row('in-process ratio', ratio(boxes.total, pandasBoth)))

const full = await importInProcess({
  metadata: METADATA,
  bbox: BBOX,
  images: [IMAGES],
  trainList: TRAIN,
  testList: TEST,
})
console.log('with the 216-image folder and both split lists, in process:')
printStages(full)
const again = await importInProcess({ metadata: METADATA, bbox: BBOX }, { again: true })
console.log(row('re-import of the same files (writes nothing)', both(again.total)))

const pg = await startPostgres()
try {
  const onPostgres = await importInProcess(
    { metadata: METADATA, bbox: BBOX },
    { runs: 3, database: (i) => pg.createDatabase(`bench_${process.pid}_${i}`) },
  )
  console.log('on PostgreSQL 15 (a local throwaway cluster, fsync off), in process:')
  printStages(onPostgres)
} finally {
  pg.stop()
}

const parses = []
for (let i = 0; i < 3; i++) parses.push(await parseChexpert())
const parsed = { ...parses[2]!, time: medians(parses.map((p) => p.time)) }
const pandasChexpert = pandasInProcess([CHEXPERT])
const written = await writeChexpert(parsed)
console.log(
  `next size: CheXpert train, ${parsed.records.length} rows x ${parsed.findings.length} labels`,
)
console.log(row('our CSV reader, every field (in process, median of 3)', both(parsed.time)))
console.log(row('pandas read_csv (in process)', both(pandasChexpert)))
console.log(row('reader ratio', ratio(parsed.time, pandasChexpert)))
console.log(row(`store write: ${parsed.records.length} images`, ms(written.images)))
console.log(row(`store write: ${written.count} labels (1, 0, -1)`, ms(written.labels)))
console.log(row('store write with commit', ms(written.total)))
console.log(row('check on 112,120 images (target < 1000 ms)', ms(await checkTime())))
