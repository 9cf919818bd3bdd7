import { createHash } from 'node:crypto'
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import { greyImageElements, writeDicom } from '../testing/dicom-writer.ts'
import { FIXTURES, sharedData } from '../testing/shared-data.ts'
import type { ReadImage } from '../read-image.ts'
import { encodeThumbnail } from './render.ts'
import { RenditionCache } from './rendition-cache.ts'
import { decodePgm, encodePgm, MODEL_INPUT_SIZE, modelInputOf } from './model-input.ts'

const imagesDir = sharedData('cxr14/images/')
const dicomDir = sharedData('dicom/')
const png = join(imagesDir, '00000075_000.png')
const base = mkdtempSync(join(tmpdir(), 'imaging-cache-'))
const work = join(base, 'images')
mkdirSync(work)
afterAll(() => rmSync(base, { recursive: true, force: true }))
let n = 0
const newCache = (): RenditionCache =>
  new RenditionCache({
    dir: join(base, `cache-${n++}`),
    roots: [imagesDir, dicomDir, FIXTURES, work],
  })
const filesIn = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name)
const greyRaw = async (file: string): Promise<Buffer> =>
  sharp(file).extractChannel(0).toColourspace('b-w').raw().toBuffer()

describe('[I16] renditions', () => {
  it('makes a 256 px grey JPEG thumbnail once, then serves it from the cache', async () => {
    const cache = newCache()
    const first = await cache.thumbnail(png)
    expect(first).toMatchObject({ contentType: 'image/jpeg', cached: false })
    expect(first.hash).toBe(createHash('sha256').update(readFileSync(png)).digest('hex'))
    const meta = await sharp(first.file).metadata()
    expect([meta.format, meta.width, meta.height, meta.channels]).toEqual(['jpeg', 256, 256, 1])
    const second = await cache.thumbnail(png)
    expect(second).toMatchObject({ cached: true, file: first.file, hash: first.hash })
  })

  it('never enlarges a small image', async () => {
    const meta = await sharp(
      (await newCache().thumbnail(join(FIXTURES, 'cxr12-j2k.dcm'))).file,
    ).metadata()
    expect([meta.width, meta.height]).toEqual([128, 128])
  })

  it('view: full resolution PNG; default is the identity for 8-bit, invert gives 255 - v', async () => {
    // the viewer must show exactly the stored grey levels of an 8-bit film by default
    const cache = newCache()
    const original = await greyRaw(png)
    const plain = await cache.view(png)
    expect(plain.contentType).toBe('image/png')
    expect((await greyRaw(plain.file)).equals(original)).toBe(true)
    const inverted = await greyRaw((await cache.view(png, { invert: true })).file)
    expect(inverted.every((v, i) => v === 255 - (original[i] ?? 0))).toBe(true)
    const lung = await cache.view(png, { preset: 'lung' })
    const windowed = await cache.view(png, { center: 100, width: 50 })
    expect(
      new Set([plain.key, lung.key, windowed.key, (await cache.view(png, { invert: true })).key])
        .size,
    ).toBe(4)
  })

  it('[I8] the MONOCHROME1 DICOM renders as the inverse of its MONOCHROME2 twin', async () => {
    const cache = newCache()
    const m2 = await greyRaw(
      (await cache.thumbnail(join(dicomDir, 'siim-cxr-jpeg-baseline.dcm'))).file,
    )
    const m1 = await greyRaw(
      (await cache.thumbnail(join(dicomDir, 'siim-cxr-jpeg-baseline-monochrome1.dcm'))).file,
    )
    let diff = 0
    for (let i = 0; i < m2.length; i++) diff += Math.abs((m2[i] ?? 0) - (255 - (m1[i] ?? 0)))
    expect(diff / m2.length).toBeLessThan(1.5)
  })
})

describe('[I14] a changed file never shows a stale picture', () => {
  it('re-renders when the content changes, even at the same size and mtime', async () => {
    const file = join(work, 'same-size.dcm')
    const make = (fill: number): Uint8Array =>
      writeDicom({
        transferSyntax: '1.2.840.10008.1.2.1',
        elements: greyImageElements({
          width: 64,
          height: 64,
          bitsAllocated: 8,
          bitsStored: 8,
          pixels: new Uint8Array(4096).fill(fill),
        }),
      })
    writeFileSync(file, make(10))
    const { mtime } = statSync(file)
    const cache = newCache()
    const before = await cache.thumbnail(file)
    writeFileSync(file, make(240))
    utimesSync(file, mtime, mtime)
    const after = await cache.thumbnail(file)
    expect(after.cached).toBe(false)
    expect(after.hash).not.toBe(before.hash)
    expect((await greyRaw(after.file))[0]).toBeGreaterThan(200)
    expect((await greyRaw(before.file))[0]).toBeLessThan(50)
  })

  it('keys renditions by content, so a copy elsewhere hits the cache', async () => {
    const cache = newCache()
    const made = await cache.thumbnail(png)
    const copy = join(work, 'copy.png')
    copyFileSync(png, copy)
    expect(await cache.thumbnail(copy)).toMatchObject({ cached: true, file: made.file })
  })
})

describe('[I15] writes are atomic and made once', () => {
  it('concurrent requests for one rendition make one file and leave no temporary file', async () => {
    const cache = newCache()
    const results = await Promise.all(Array.from({ length: 8 }, () => cache.thumbnail(png)))
    expect(new Set(results.map((r) => r.file)).size).toBe(1)
    expect(filesIn(cache.dir)).toHaveLength(1)
    expect(filesIn(cache.dir).some((f) => f.endsWith('.tmp'))).toBe(false)
  })

  it('an unreadable image throws an ImageError and writes nothing', async () => {
    const bad = join(work, 'bad.png')
    writeFileSync(bad, 'not a png')
    const cache = newCache()
    await expect(cache.thumbnail(bad)).rejects.toMatchObject({ kind: 'not-an-image', file: bad })
    expect(() => readdirSync(cache.dir)).toThrow()
  })
})

describe('[I21] one read and one decode per image', () => {
  it('makes the thumbnail, the view and the pixel work from one load, then skips what is done', async () => {
    // decoding every film twice (renditions, then facts) doubled the night-long batch
    const cache = newCache()
    const loads: ReadImage[] = []
    const facts = {
      wants: (): boolean => true,
      use: async (loaded: ReadImage): Promise<void> => {
        loads.push(loaded)
      },
    }
    const first = await cache.prepare(png, { views: true, pixels: facts })
    expect(first.used).toBe(true)
    expect(first.renditions.map((r) => [r.contentType, r.cached])).toEqual([
      ['image/jpeg', false],
      ['image/png', false],
      ['image/x-portable-graymap', false],
    ])
    const [loaded] = loads
    expect(loaded?.contentHash).toBe(first.hash)
    // the thumbnail is the loaded image's preview encoded, the view its display
    const preview = await loaded!.preview()
    expect(
      readFileSync(first.renditions[0]!.file).equals(await encodeThumbnail(png, preview)),
    ).toBe(true)
    expect((await greyRaw(first.renditions[1]!.file)).equals(await greyRaw(png))).toBe(true)
    // [I26] the model input, from the same decode, kept losslessly for `embed`
    const input = await modelInputOf(loaded!, MODEL_INPUT_SIZE)
    expect(readFileSync(first.renditions[2]!.file)).toEqual(Buffer.from(encodePgm(input)))
    expect(decodePgm('x', encodePgm(input))).toEqual(input)
    expect(() => decodePgm('bad.pgm', new Uint8Array([80, 53, 10]))).toThrow(/bad\.pgm/)
    // the same files as the one-at-a-time requests
    expect((await newCache().thumbnail(png)).key).toBe(first.renditions[0]!.key)
    expect(await cache.view(png)).toMatchObject({ cached: true, file: first.renditions[1]!.file })

    const asked: string[] = []
    const again = await cache.prepare(png, {
      views: true,
      pixels: { wants: (hash) => (asked.push(hash), false), use: facts.use },
    })
    expect(again).toMatchObject({ used: false, hash: first.hash })
    expect(again.renditions.every((r) => r.cached)).toBe(true)
    expect(asked).toEqual([first.hash])
    // renditions cached but the pixel work wanted (a new database): decoded for it alone
    const forFacts = await cache.prepare(png, { pixels: facts })
    expect(forFacts.used).toBe(true)
    expect(forFacts.renditions[0]?.cached).toBe(true)
    expect(loads).toHaveLength(2)
  })

  it('refuses a file outside the roots before reading it', async () => {
    await expect(
      new RenditionCache({ dir: join(base, 'refuse'), roots: [work] }).prepare(png),
    ).rejects.toMatchObject({ kind: 'outside-root' })
  })
})
