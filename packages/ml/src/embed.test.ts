import { createHash } from 'node:crypto'
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FileSource, ImageRoots, RenditionCache } from '@cxr-audit/imaging'
import {
  embeddingModelsOf,
  findDataset,
  imagesOnDisk,
  loadEmbeddings,
  type EmbeddingMatrix,
  type Store,
} from '@cxr-audit/store'
import {
  deleteEmbeddings,
  deleteImage,
  imageRow,
  insertDataset,
  insertImages,
  setImageFields,
} from '@cxr-audit/store/testing'
import { DIALECTS, tempStore } from '../../../test-support/temp-store.ts'
import { sharedData } from '../../../test-support/shared-data.ts'
import { embedDataset } from './embed.ts'
import { channelTables, displayPixels, writeInput } from './input.ts'
import { inputLength, loadEmbeddingModel, type EmbeddingModel } from './model.ts'

const REAL = ['00000846_000.png', '00010027_000.png', '00011170_000.png']

/** A dataset of real files: a, b, c, a copy of a, a MONOCHROME1 DICOM, a truncated PNG. */
async function dataset(store: Store, dir: string): Promise<void> {
  const files: Record<string, string> = {
    'a.png': sharedData(`cxr14/images/${REAL[0]}`),
    'b.png': sharedData(`cxr14/images/${REAL[1]}`),
    'c.png': sharedData(`cxr14/images/${REAL[2]}`),
    'copy-of-a.png': sharedData(`cxr14/images/${REAL[0]}`),
    'mono1.dcm': sharedData('dicom/siim-cxr-jpeg-baseline-monochrome1.dcm'),
  }
  for (const [name, from] of Object.entries(files)) copyFileSync(from, join(dir, name))
  const bytes = readFileSync(files['b.png']!)
  writeFileSync(join(dir, 'truncated.png'), bytes.subarray(0, bytes.length / 3))
  const datasetId = await insertDataset(store.db, {
    name: 'test',
    roots: [dir],
    importedAt: '2026-01-01T00:00:00Z',
  })
  const names = [...Object.keys(files), 'truncated.png', 'not-on-disk.png']
  await insertImages(
    store.db,
    datasetId,
    names.map((name, i) => ({
      name,
      patient: String(i),
      split: i % 2 === 0 ? 'train' : 'test',
      path: name === 'not-on-disk.png' ? null : join(dir, name),
    })),
  )
}

const row = (m: EmbeddingMatrix, name: string): Float32Array => {
  const i = m.images.findIndex((im) => im.name === name)
  const d = m.model.dimensions
  return m.vectors.slice(i * d, (i + 1) * d)
}

/** The rendition cache as a new process would open it (hash memo read back from disk). */
const cacheIn = (dir: string, folder = 'cache'): RenditionCache =>
  new RenditionCache({
    dir: join(dir, folder),
    source: new FileSource([dir], join(dir, folder, 'file-hashes')),
  })

describe.each(DIALECTS)('embeddings on %s', (kind) => {
  let store: Store
  let dir: string
  let cleanup: () => Promise<void>
  let model: EmbeddingModel
  const embed = (o: Omit<Parameters<typeof embedDataset>[3], 'cache'> = {}) =>
    findDataset(store.db).then((ds) =>
      embedDataset(store, ds, model, { cache: cacheIn(dir), ...o }),
    )
  beforeAll(async () => {
    ;({ store, dir, cleanup } = await tempStore(kind))
    await dataset(store, dir)
    model = await loadEmbeddingModel()
  })
  afterAll(async () => {
    await model.close()
    await cleanup()
  })

  it('[ML6] stores one vector per readable image on disk and lists the unreadable one', async () => {
    const progress: number[] = []
    const r = await embed({
      jobs: 2,
      batchSize: 2,
      onProgress: (d) => progress.push(d),
    })
    expect(r).toMatchObject({
      model: 'mobilenetv2-12-int8',
      modelSha256: model.sha256,
      images: 6,
      computed: 5,
      cached: 0,
      dimensions: 1280,
      decoded: 5,
    })
    expect(r.unreadable).toHaveLength(1)
    expect(r.unreadable[0]).toMatchObject({ image: 'truncated.png' })
    expect(r.unreadable[0]!.reason).toMatch(/^(truncated|corrupt)/)
    expect(progress.at(-1)).toBe(6)
    const marked = await imageRow(store.db, 'truncated.png')
    expect(marked.unreadable).toBe(r.unreadable[0]!.reason)
  })

  it('[ML7] reads back every vector as float32, equal to the model run on the same file', async () => {
    const ds = await findDataset(store.db)
    const [m] = await embeddingModelsOf(store.db, ds.id)
    expect(m).toMatchObject({ name: 'mobilenetv2-12-int8', sha256: model.sha256, images: 5 })
    const matrix = await loadEmbeddings(store.db, ds.id, m!)
    expect(matrix.images.map((im) => im.name)).toEqual([
      'a.png',
      'b.png',
      'c.png',
      'copy-of-a.png',
      'mono1.dcm',
    ])
    expect(matrix.vectors).toHaveLength(5 * 1280)
    const { pixels } = await displayPixels('a.png', 224, new ImageRoots([dir]))
    const input = new Float32Array(inputLength(model.manifest))
    writeInput(pixels, model.manifest.input, channelTables(model.manifest.input), input, 0)
    expect(row(matrix, 'a.png')).toEqual(await model.embed(input, 1))
    expect(row(matrix, 'copy-of-a.png')).toEqual(row(matrix, 'a.png'))
    expect(row(matrix, 'b.png')).not.toEqual(row(matrix, 'a.png'))
  })

  it("[ML10] the decoding run left each film's thumbnail, model input and pixel facts; a new run reads the inputs and gives the same vectors", async () => {
    const ds = await findDataset(store.db)
    const [m] = await embeddingModelsOf(store.db, ds.id)
    const first = await loadEmbeddings(store.db, ds.id, m!)
    const facts = (await imagesOnDisk(store.db, ds.id)).sort((a, b) => (a.name < b.name ? -1 : 1))
    const withFacts = facts.filter((f) => f.factsAt !== null)
    expect(withFacts.map((f) => f.name)).toEqual([
      'a.png',
      'b.png',
      'c.png',
      'copy-of-a.png',
      'mono1.dcm',
      'truncated.png', // marked unreadable, as `thumbnails` marks it
    ])
    expect((await imageRow(store.db, 'truncated.png')).unreadable).not.toBeNull()
    const hashA = createHash('sha256')
      .update(readFileSync(join(dir, 'a.png')))
      .digest('hex')
    expect(facts[0]).toMatchObject({ name: 'a.png', contentHash: hashA })
    // from the cache alone: the same vectors, nothing decoded
    await deleteEmbeddings(store.db)
    const again = await embed()
    expect(again).toMatchObject({ computed: 5, decoded: 0 })
    const second = await loadEmbeddings(store.db, ds.id, m!)
    expect(second.vectors).toEqual(first.vectors)
    // a cache without the inputs decodes again, to the same vectors
    await deleteEmbeddings(store.db)
    const cold = await embedDataset(store, ds, model, {
      cache: cacheIn(dir, 'other-cache'),
      jobs: 1,
    })
    // the copy of a.png has a.png's content, whose input is there by then: 4 decodes for 5
    expect(cold).toMatchObject({ computed: 5, decoded: 4 })
    expect((await loadEmbeddings(store.db, ds.id, m!)).vectors).toEqual(first.vectors)
  })

  it('[ML6] a rerun computes nothing and reports the stored vectors as cached', async () => {
    const r = await embed()
    expect(r).toMatchObject({ images: 6, computed: 0, cached: 5, decoded: 0 })
    expect(r.unreadable.map((u) => u.image)).toEqual(['truncated.png'])
  })

  it('[ML6] a file whose content changed is embedded again', async () => {
    const ds = await findDataset(store.db)
    const [m] = await embeddingModelsOf(store.db, ds.id)
    const before = row(await loadEmbeddings(store.db, ds.id, m!), 'b.png')
    copyFileSync(sharedData(`cxr14/images/${REAL[2]}`), join(dir, 'b.png'))
    // `thumbnails` records the content hash of what it read
    const hash = createHash('sha256')
      .update(readFileSync(join(dir, 'b.png')))
      .digest('hex')
    await setImageFields(store.db, (await imageRow(store.db, 'b.png')).id, { contentHash: hash })
    const r = await embed()
    expect(r).toMatchObject({ computed: 1, cached: 4 })
    const after = await loadEmbeddings(store.db, ds.id, m!)
    expect(row(after, 'b.png')).not.toEqual(before)
    expect(row(after, 'b.png')).toEqual(row(after, 'c.png'))
    expect(await embed()).toMatchObject({ computed: 0, cached: 5 })
  })

  it('[ML7] an image removed from the dataset takes its vector with it', async () => {
    const ds = await findDataset(store.db)
    await deleteImage(store.db, (await imageRow(store.db, 'c.png')).id)
    const [m] = await embeddingModelsOf(store.db, ds.id)
    expect(m!.images).toBe(4)
  })
})
