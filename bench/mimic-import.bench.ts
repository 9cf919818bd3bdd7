/**
 * Benchmark of `cxr-audit import mimic` (issue #12, docs/datasets.md) on a generated
 * MIMIC-CXR-JPG of the published size: 377,110 films of 227,835 studies (the metadata, the
 * CheXpert labels of every study and the split, in the published layouts: the data itself is
 * credentialed), against pandas reading and merging the same three files, both whole
 * processes; medians of wall and CPU time (user + system, from /usr/bin/time).
 *
 *   npx tsx bench/mimic-import.bench.ts [--runs 3]
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const runsArg = process.argv.indexOf('--runs')
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3
const FILMS = 377_110
const STUDIES = 227_835
const BIN = fileURLToPath(new URL('../apps/cli/bin/cxr-audit.js', import.meta.url))
const PYTHON = '/usr/bin/python3'
const scratch = mkdtempSync(join(tmpdir(), 'cxr-bench-mimic-'))
const OBS =
  'Atelectasis,Cardiomegaly,Consolidation,Edema,Enlarged Cardiomediastinum,Fracture,Lung Lesion,Lung Opacity,No Finding,Pleural Effusion,Pleural Other,Pneumonia,Pneumothorax,Support Devices'

/** A seeded generator (LCG): the same files every run. */
let seed = 12345
const next = (n: number): number => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31
  return seed % n
}
const hex = (): string => (next(2 ** 30) * 4 + next(4)).toString(16).padStart(8, '0')

function generate(): { meta: string; labels: string; split: string } {
  const meta = [
    'dicom_id,subject_id,study_id,PerformedProcedureStepDescription,ViewPosition,Rows,Columns,StudyDate,StudyTime,ProcedureCodeSequence_CodeMeaning,ViewCodeSequence_CodeMeaning,PatientOrientationCodeSequence_CodeMeaning',
  ]
  const labels = [`subject_id,study_id,${OBS}`]
  const split = ['dicom_id,study_id,subject_id,split']
  const views = ['PA', 'LATERAL', 'AP', 'AP', 'LL', '']
  const cells = ['', '', '', '1.0', '0.0', '-1.0']
  let films = 0
  for (let s = 0; s < STUDIES; s++) {
    const subject = String(10_000_000 + Math.floor(s / 3.5))
    const study = String(50_000_000 + s)
    // 149,275 studies of two films and 78,560 of one: 377,110 films
    const n = s < FILMS - STUDIES ? 2 : 1
    for (let k = 0; k < n; k++, films++) {
      const id = `${hex()}-${hex()}-${hex()}-${hex()}-${hex()}`
      meta.push(
        `${id},${subject},${study},CHEST (PA AND LAT),${views[next(6)]},3056,2544,21800506,213014.531,CHEST (PA AND LAT),postero-anterior,Erect`,
      )
      split.push(`${id},${study},${subject},${next(100) < 98 ? 'train' : 'test'}`)
    }
    labels.push(`${subject},${study},${Array.from({ length: 14 }, () => cells[next(6)]).join(',')}`)
  }
  const write = (name: string, lines: string[]): string => {
    const file = join(scratch, name)
    writeFileSync(file, lines.join('\n') + '\n')
    return file
  }
  if (films !== FILMS) throw new Error(`generated ${films} films`)
  return {
    meta: write('mimic-cxr-2.0.0-metadata.csv', meta),
    labels: write('mimic-cxr-2.0.0-chexpert.csv', labels),
    split: write('mimic-cxr-2.0.0-split.csv', split),
  }
}

interface Sample {
  wall: number
  cpu: number
}

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

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

try {
  const f = generate()
  const ours = (i: number): Sample => {
    const db = join(scratch, `mimic-${i}.sqlite`)
    const s = run(process.execPath, [
      BIN,
      'import',
      'mimic',
      '--metadata',
      f.meta,
      '--labels',
      f.labels,
      '--split',
      f.split,
      '--db',
      db,
      '--json',
    ])
    for (const x of ['', '-wal', '-shm']) rmSync(db + x, { force: true })
    return s
  }
  const pandas = (): Sample =>
    run(PYTHON, [
      '-c',
      `import pandas as pd
m = pd.read_csv(${JSON.stringify(f.meta)}, dtype=str)
l = pd.read_csv(${JSON.stringify(f.labels)}, dtype={"subject_id": str, "study_id": str})
s = pd.read_csv(${JSON.stringify(f.split)}, dtype=str)
print(len(m.merge(l.drop(columns=["subject_id"]), on="study_id", how="left").merge(s[["dicom_id", "split"]], on="dicom_id", how="left")))`,
    ])
  const a: Sample[] = []
  const b: Sample[] = []
  const show1 = (what: string, s: Sample): void =>
    console.log(`  ${what}: ${s.wall.toFixed(0)} ms (cpu ${s.cpu.toFixed(0)} ms)`)
  for (let i = 0; i < RUNS; i++) {
    a.push(ours(i))
    show1(`run ${i + 1} cxr-audit`, a[i]!)
    try {
      b.push(pandas())
      show1(`run ${i + 1} pandas`, b[b.length - 1]!)
    } catch (e) {
      // on a loaded shared machine the reference process has been killed (exit 137): say so
      console.log(`  run ${i + 1} pandas: failed (${(e as Error).message.split('\n').pop()})`)
    }
  }
  const mo = { wall: median(a.map((s) => s.wall)), cpu: median(a.map((s) => s.cpu)) }
  const mp =
    b.length === 0
      ? { wall: NaN, cpu: NaN }
      : { wall: median(b.map((s) => s.wall)), cpu: median(b.map((s) => s.cpu)) }
  const show = (s: Sample): string => `${s.wall.toFixed(0)} ms (cpu ${s.cpu.toFixed(0)} ms)`
  console.log(`import mimic: generated 377,110 films, 227,835 studies, medians of ${RUNS} runs`)
  console.log(`  cxr-audit import mimic --metadata --labels --split   ${show(mo)}`)
  console.log(`  python3 pandas read_csv and merge of the three files  ${show(mp)}`)
  console.log(
    `  mimic ratio ${(mo.wall / mp.wall).toFixed(2)} (cpu ${(mo.cpu / mp.cpu).toFixed(2)})`,
  )
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
