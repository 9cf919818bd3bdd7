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
import { createReadStream, mkdtempSync, rmSync } from 'node:fs'
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
const row = (what: string, value: string): string => `  ${what.padEnd(52)} ${value.padStart(10)}`

function python(script: string, args: string[] = []): string {
  const r = spawnSync(PYTHON, ['-c', script, ...args], { encoding: 'utf8' })
  if (r.status !== 0) {
    throw new Error(`python3-pandas is needed (apt-get install python3-pandas): ${r.stderr}`)
  }
  return r.stdout
}

/** read_csv of the given files, in process: median of RUNS after one warm-up, in ms. */
function pandasInProcess(files: string[]): number {
  const out = python(
    `
import json, sys, time, pandas as pd
files = sys.argv[2:]
[pd.read_csv(f) for f in files]
ms = []
for _ in range(int(sys.argv[1])):
    t = time.perf_counter()
    [pd.read_csv(f) for f in files]
    ms.append((time.perf_counter() - t) * 1000)
print(json.dumps(ms))
`,
    [String(RUNS), ...files],
  )
  return median(JSON.parse(out) as number[])
}

interface ImportTiming {
  total: number
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
  const stages = new Map<string, number[]>()
  for (let i = 0; i <= runs; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'cxr-import-bench-'))
    const store = await openStore(database?.(i) ?? join(dir, 'bench.sqlite'))
    if (again) await importCxr14(store, o)
    const seen = new Map<string, number>()
    const t = performance.now()
    await importCxr14(store, { ...o, onTiming: (s, d) => seen.set(s, (seen.get(s) ?? 0) + d) })
    const total = performance.now() - t
    await store.close()
    rmSync(dir, { recursive: true, force: true })
    if (i === 0) continue // warm-up: JIT, page cache
    totals.push(total)
    for (const [s, d] of seen) stages.set(s, [...(stages.get(s) ?? []), d])
  }
  return {
    total: median(totals),
    stages: new Map([...stages].map(([s, d]) => [s, median(d)])),
  }
}

/** Whole processes, alternating ours and pandas; medians in ms. */
function wholeProcess(): { ours: number; pandas: number } {
  const ours: number[] = []
  const pandas: number[] = []
  const script = `import pandas as pd; pd.read_csv(${JSON.stringify(METADATA)}); pd.read_csv(${JSON.stringify(BBOX)})`
  for (let i = 0; i <= RUNS; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'cxr-import-bench-'))
    let t = performance.now()
    const r = spawnSync(
      process.execPath,
      [
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
      ],
      { encoding: 'utf8' },
    )
    const o = performance.now() - t
    rmSync(dir, { recursive: true, force: true })
    if (r.status !== 0) throw new Error(`cxr-audit import failed: ${r.stderr}`)
    t = performance.now()
    python(script)
    const p = performance.now() - t
    if (i === 0) continue
    ours.push(o)
    pandas.push(p)
  }
  return { ours: median(ours), pandas: median(pandas) }
}

/** CheXpert's train file through our CSV reader, every field read: ms and the parsed rows. */
async function parseChexpert(): Promise<{
  ms: number
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
  const decoder = new TextDecoder()
  for await (const chunk of createReadStream(CHEXPERT).pipe(createGunzip({ chunkSize: 1 << 18 })))
    splitter.pushRecords(decoder.decode(chunk as Buffer, { stream: true }), onRecord)
  splitter.endRecords(onRecord)
  return { ms: performance.now() - t, records, findings: header!.slice(5), labels }
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

function printStages(t: ImportTiming): void {
  for (const [s, d] of t.stages) console.log(row(s, ms(d)))
  console.log(row('total (in process)', ms(t.total)))
}

const whole = wholeProcess()
const boxes = await importInProcess({ metadata: METADATA, bbox: BBOX })
const pandasBoth = pandasInProcess([METADATA, BBOX])
console.log(`import cxr14: 112,120 rows + 984 boxes; medians of ${RUNS} runs`)
console.log(row('whole process: cxr-audit import cxr14 --metadata --bbox', ms(whole.ours)))
console.log(row('whole process: python3 pandas read_csv of both', ms(whole.pandas)))
console.log(
  row('whole-process ratio (target <= 1.5)', `${(whole.ours / whole.pandas).toFixed(2)}x`),
)
console.log('in process, by stage:')
printStages(boxes)
console.log(row('pandas read_csv of both (in process)', ms(pandasBoth)))
console.log(row('in-process ratio', `${(boxes.total / pandasBoth).toFixed(2)}x`))

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
console.log(row('re-import of the same files (writes nothing)', ms(again.total)))

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
const parsed = { ...parses[2]!, ms: median(parses.map((p) => p.ms)) }
const pandasChexpert = pandasInProcess([CHEXPERT])
const written = await writeChexpert(parsed)
console.log(
  `next size: CheXpert train, ${parsed.records.length} rows x ${parsed.findings.length} labels`,
)
console.log(row('our CSV reader, every field (in process, median of 3)', ms(parsed.ms)))
console.log(row('pandas read_csv (in process)', ms(pandasChexpert)))
console.log(row('reader ratio', `${(parsed.ms / pandasChexpert).toFixed(2)}x`))
console.log(row(`store write: ${parsed.records.length} images`, ms(written.images)))
console.log(row(`store write: ${written.count} labels (1, 0, -1)`, ms(written.labels)))
console.log(row('store write with commit', ms(written.total)))
console.log(row('check on 112,120 images (target < 1000 ms)', ms(await checkTime())))
