/**
 * Thumbnails (256 px JPEG, with the pixel facts, fresh cache) of 200 DICOM films fetched from a
 * local Orthanc with WADO-RS, against the same 200 files read from disk, measured in the same
 * run with alternating rounds (medians compared: the machine may be shared). The films are DX
 * made from the shared ChestX-ray14 PNGs (1024 x 1024, 8-bit), uploaded to a throwaway Orthanc
 * (Debian's orthanc + orthanc-dicomweb). Run: `npm run bench dicomweb` (target ratio >= 0.8).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DicomwebClient, DicomwebSource } from '../packages/dicomweb/src/index.ts'
import {
  buildRenditions,
  factsOfRead,
  FileSource,
  RenditionCache,
} from '../packages/imaging/src/index.ts'
import { dxFromPng } from '../test-support/dicom-fixtures.ts'
import { startOrthanc } from '../test-support/orthanc.ts'

process.env.UV_THREADPOOL_SIZE ??= String(Math.max(8, availableParallelism() * 2 + 4))
const N = 200
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3)
const root = fileURLToPath(new URL('..', import.meta.url))
const pngs = readdirSync(join(root, '../shared/data/cxr14/images'))
  .filter((f) => f.endsWith('.png'))
  .sort()
  .slice(0, N)
if (pngs.length < N) {
  console.error(`need ${N} shared CXR14 PNGs beside the repo, found ${pngs.length}`)
  process.exit(2)
}

const scratch = mkdtempSync(join(tmpdir(), 'cxr-bench-dicomweb-'))
const orthanc = await startOrthanc()
try {
  const folder = join(scratch, 'files')
  mkdirSync(folder)
  const UID = '1.2.826.0.1.3680043.10.544'
  const paths: string[] = []
  const instances: string[] = []
  for (const [i, png] of pngs.entries()) {
    const study = `${UID}.${i + 1}`
    const f = {
      png,
      patientId: `P${i}`,
      patientName: `Bench^${i}`,
      sex: 'M' as const,
      age: '050Y',
      view: 'PA',
      study,
      series: `${study}.1`,
      sop: `${study}.1.1`,
      studyDate: '20240101',
    }
    const bytes = await dxFromPng(f)
    writeFileSync(join(folder, `${i}.dcm`), bytes)
    await orthanc.upload(bytes)
    paths.push(join(folder, `${i}.dcm`))
    instances.push(`studies/${f.study}/series/${f.series}/instances/${f.sop}`)
  }
  const client = new DicomwebClient({
    url: orthanc.dicomweb,
    credentials: { kind: 'basic', user: orthanc.user, password: orthanc.password },
  })
  // CPU time as well as wall time: on a shared machine the wall time says little
  const pid = orthanc.pid()
  const orthancMs = (): number => {
    if (pid === undefined) return 0
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100 // utime + stime, in USER_HZ (100)
  }
  const ownMs = (): number => {
    const u = process.cpuUsage()
    return (u.user + u.system) / 1000
  }
  const cpu = { disk: [] as number[], dicomweb: [] as number[], orthanc: [] as number[] }
  const batch = async (kind: 'disk' | 'dicomweb', round: number): Promise<number> => {
    const dir = join(scratch, `${kind}-${round}`)
    const cache = new RenditionCache(
      kind === 'disk'
        ? // the hash memo on both sides, as `cxr-audit thumbnails` keeps it (imageSourceFor)
          { dir, source: new FileSource([folder], join(dir, 'file-hashes')) }
        : { dir, source: new DicomwebSource(client, join(dir, 'dicomweb-hashes')) },
    )
    const t0 = performance.now()
    const c0 = ownMs()
    const o0 = orthancMs()
    const report = await buildRenditions(kind === 'disk' ? paths : instances, {
      cache,
      pixels: { wants: () => true, use: async (_p, loaded) => void (await factsOfRead(loaded)) },
    })
    const seconds = (performance.now() - t0) / 1000
    if (round >= 0) {
      cpu[kind].push((ownMs() - c0) / N)
      if (kind === 'dicomweb') cpu.orthanc.push((orthancMs() - o0) / N)
    }
    if (report.made !== N) throw new Error(`${kind}: ${JSON.stringify(report.unreadable[0])}`)
    rmSync(dir, { recursive: true, force: true })
    return seconds
  }
  await batch('dicomweb', -1) // warm both paths once (JIT, Orthanc's page cache)
  await batch('disk', -1)
  const disk: number[] = []
  const web: number[] = []
  for (let r = 0; r < ROUNDS; r++) {
    web.push(await batch('dicomweb', r))
    disk.push(await batch('disk', r))
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  const d = median(disk)
  const w = median(web)
  console.log(
    `${N} DX films (1024 x 1024, 8-bit) to 256 px thumbnails + pixel facts, ${ROUNDS} rounds`,
  )
  console.log(`  from disk:          ${d.toFixed(2)} s  (${(N / d).toFixed(1)} images/s)`)
  console.log(`  from Orthanc (WADO-RS): ${w.toFixed(2)} s  (${(N / w).toFixed(1)} images/s)`)
  console.log(`  ratio DICOMweb / disk throughput: ${(d / w).toFixed(2)}x (target >= 0.8)`)
  const cd = median(cpu.disk)
  const cw = median(cpu.dicomweb)
  const co = median(cpu.orthanc)
  console.log(
    `  CPU per film: ${cd.toFixed(1)} ms from disk; ${cw.toFixed(1)} ms here + ${co.toFixed(1)} ms in Orthanc through DICOMweb (disk / DICOMweb CPU: ${(cd / (cw + co)).toFixed(2)}x)`,
  )
} finally {
  await orthanc.dispose()
  rmSync(scratch, { recursive: true, force: true })
}
