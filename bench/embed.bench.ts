/**
 * Embedding throughput: `embedDataset` (decode through @cxr-audit/imaging, inference, storage in
 * SQLite, all overlapped) against bare onnxruntime-node inference of the same model on tensors
 * decoded beforehand, on the 216 shared ChestX-ray14 PNGs, measured in the same run. Target
 * ratio >= 0.9. Run: `npx tsx bench/embed.bench.ts` (or `npm run bench embed`).
 *
 * Rounds alternate between the two and the best round of each is compared, as the machine may
 * be shared. CPU milliseconds per image are printed too: they show where the time goes.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ImageRoots } from '../packages/imaging/src/index.ts'
import {
  channelTables,
  displayPixels,
  embedDataset,
  inputLength,
  loadEmbeddingModel,
  writeInput,
} from '../packages/ml/src/index.ts'
import { findDataset, openStore } from '../packages/store/src/index.ts'
import { deleteEmbeddings, insertDataset, insertImages } from '../packages/store/src/testing.ts'

process.env.UV_THREADPOOL_SIZE ??= String(Math.max(8, availableParallelism() * 2 + 4))
const ROUNDS = 3
const BATCH = Number(process.env['EMBED_BATCH'] ?? 8)
const JOBS = process.env['EMBED_JOBS'] === undefined ? undefined : Number(process.env['EMBED_JOBS'])
const dataDir = fileURLToPath(new URL('../../shared/data/cxr14/images/', import.meta.url))
const files = readdirSync(dataDir)
  .filter((f) => f.endsWith('.png'))
  .sort()
const scratch = mkdtempSync(join(tmpdir(), 'cxr-embed-bench-'))
const store = await openStore(join(scratch, 'bench.sqlite'))
// ours: the settings `cxr-audit embed` uses; bare: onnxruntime's defaults (spinning threads)
const model = await loadEmbeddingModel()
const bareModel = await loadEmbeddingModel(undefined, { spin: true })

interface Measure {
  readonly rate: number
  readonly cpuMs: number
}

const measure = async (n: number, work: () => Promise<void>): Promise<Measure> => {
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  await work()
  const seconds = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  return { rate: n / seconds, cpuMs: (cpu.user + cpu.system) / 1000 / n }
}

try {
  const datasetId = await insertDataset(store.db, { name: 'bench', roots: [dataDir] })
  await insertImages(
    store.db,
    datasetId,
    files.map((name) => ({ name, patient: name.slice(0, 8), path: join(dataDir, name) })),
  )
  const dataset = await findDataset(store.db)

  // bare: the same model's session on tensors made before timing, in batches of the same size
  const per = inputLength(model.manifest)
  const spec = model.manifest.input
  const tables = channelTables(spec)
  const roots = new ImageRoots([dataDir])
  const batches: { input: Float32Array; count: number }[] = []
  for (let i = 0; i < files.length; i += BATCH) {
    const chunk = files.slice(i, i + BATCH)
    const input = new Float32Array(chunk.length * per)
    for (const [k, f] of chunk.entries()) {
      writeInput((await displayPixels(f, spec.size, roots)).pixels, spec, tables, input, k)
    }
    batches.push({ input, count: chunk.length })
  }
  const bare = (): Promise<Measure> =>
    measure(files.length, async () => {
      for (const b of batches) await bareModel.run(b.input, b.count)
    })
  const ours = async (): Promise<Measure> => {
    await deleteEmbeddings(store.db)
    return measure(files.length, async () => {
      const r = await embedDataset(store, dataset, model, { batchSize: BATCH, jobs: JOBS })
      if (r.computed !== files.length) throw new Error(`computed ${r.computed} of ${files.length}`)
    })
  }
  const decodeOnly = (): Promise<Measure> =>
    measure(files.length, async () => {
      let next = 0
      const worker = async (): Promise<void> => {
        for (let i = next++; i < files.length; i = next++)
          await displayPixels(files[i]!, spec.size, roots)
      }
      await Promise.all(Array.from({ length: availableParallelism() }, worker))
    })

  await bare() // warm up onnxruntime and the page cache
  const oursRuns: Measure[] = []
  const bareRuns: Measure[] = []
  for (let round = 0; round < ROUNDS; round++) {
    oursRuns.push(await ours())
    bareRuns.push(await bare())
  }
  const decode = await decodeOnly()
  const best = (xs: Measure[]): Measure => xs.reduce((a, b) => (b.rate > a.rate ? b : a))
  const [a, b] = [best(oursRuns), best(bareRuns)]
  const label = `embeddings ${files.length} PNG 1024x1024 -> ${model.name}`
  console.log(
    `${label}: ours ${a.rate.toFixed(1)} images/s, bare onnxruntime ${b.rate.toFixed(1)} images/s, ` +
      `ratio ${(a.rate / b.rate).toFixed(2)} (target >= 0.9; ${availableParallelism()} cores, batch ${BATCH}, best of ${ROUNDS})`,
  )
  console.log(
    `  CPU ms per image: ours ${a.cpuMs.toFixed(1)}, bare inference ${b.cpuMs.toFixed(1)}, ` +
      `decode + resize alone ${decode.cpuMs.toFixed(1)} (${decode.rate.toFixed(1)} images/s on all cores)`,
  )
  // every image must be decoded, and decoding a 1024 x 1024 PNG costs several times the CPU of
  // the int8 network: no pipeline can be faster than decoding alone on the same cores
  console.log(
    `  ours reaches ${((a.rate / decode.rate) * 100).toFixed(0)}% of the rate of decoding alone ` +
      `(the bound for any pipeline that decodes the images)`,
  )
  const list = (xs: Measure[]): string => xs.map((x) => x.rate.toFixed(1)).join(', ')
  console.log(`  rounds (images/s): ours ${list(oursRuns)}; bare ${list(bareRuns)}`)
} finally {
  await model.close()
  await bareModel.close()
  await store.close()
  rmSync(scratch, { recursive: true, force: true })
}
