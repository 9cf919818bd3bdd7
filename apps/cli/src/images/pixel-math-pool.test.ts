import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  buildRenditions,
  DEFAULT_LIMITS,
  factsOfRead,
  previewStats,
  readImage,
  RenditionCache,
  resizeSquare,
  sha256,
  type ImageFacts,
  type PixelMathPool,
} from '@cxr-audit/imaging'
import { sharedData } from '../../../../test-support/shared-data.ts'
import { startPixelMath } from './pixel-math-pool.ts'

const IMAGES = sharedData('cxr14/images')
const FILMS = readdirSync(IMAGES)
  .filter((f) => f.endsWith('.png'))
  .sort()
  .slice(0, 12)

/** Every file under `dir`, by relative path, with its bytes. */
const filesOf = (dir: string): Map<string, Buffer> =>
  new Map(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => [relative(dir, join(e.parentPath, e.name)), readFileSync(join(e.parentPath, e.name))]),
  )

/** The pixel math of `thumbnails` on worker threads (docs/decisions/049): the same bits as here. */
describe('pixel math on worker threads', () => {
  let pool: PixelMathPool
  let dir: string
  const previews: { width: number; height: number; pixels: Uint8Array }[] = []
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cxr-pixel-math-'))
    // the real entry, two threads so that jobs are spread
    pool = startPixelMath(2)
    for (const film of FILMS) {
      const file = join(IMAGES, film)
      const bytes = readFileSync(file)
      previews.push(await readImage(file, bytes, sha256(bytes), DEFAULT_LIMITS).preview())
    }
    // a preview that is not square, from a cropped film
    const { data, info } = await sharp(join(IMAGES, FILMS[0]!))
      .extract({ left: 100, top: 0, width: 700, height: 1024 })
      .resize({ width: 256, height: 256, fit: 'inside' })
      .toColourspace('b-w')
      .raw()
      .toBuffer({ resolveWithObject: true })
    previews.push({ width: info.width, height: info.height, pixels: new Uint8Array(data) })
  })
  afterAll(async () => {
    await pool.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('gives the model inputs and pixel facts computed on this thread, bit for bit', async () => {
    expect(previews.at(-1)!.width).toBeLessThan(256)
    // all at once, as a batch sends them; enlarging (300) as well as shrinking
    const results = await Promise.all(
      previews.flatMap((p) => [
        pool.resizeSquare(p, 224),
        pool.resizeSquare(p, 64),
        pool.resizeSquare(p, 300),
        pool.stats(p),
      ]),
    )
    previews.forEach((p, i) => {
      expect(results[i * 4]).toEqual(resizeSquare(p, 224))
      expect(results[i * 4 + 1]).toEqual(resizeSquare(p, 64))
      expect(results[i * 4 + 2]).toEqual(resizeSquare(p, 300))
      expect(results[i * 4 + 3]).toEqual(previewStats(p))
    })
    // the caller's pixels are untouched (a copy is transferred, not the preview's buffer)
    expect(previews[0]!.pixels.length).toBe(256 * 256)
  })

  it('rejects a bad request with its error and keeps serving', async () => {
    await expect(pool.resizeSquare(previews[0]!, 0)).rejects.toThrow(/whole number from 1/)
    expect(await pool.stats(previews[1]!)).toEqual(previewStats(previews[1]!))
  })

  it('a batch with the pool writes the same files and facts as one without, and lists a corrupt film', async () => {
    const bytes = readFileSync(join(IMAGES, FILMS[0]!))
    writeFileSync(join(dir, 'truncated.png'), bytes.subarray(0, bytes.length / 3))
    const paths = [...FILMS.map((f) => join(IMAGES, f)), join(dir, 'truncated.png')]
    const run = async (name: string, math?: PixelMathPool) => {
      const cache = new RenditionCache({
        dir: join(dir, name),
        roots: [IMAGES, dir],
        ...(math ? { math } : {}),
      })
      const facts = new Map<string, ImageFacts>()
      const report = await buildRenditions(paths, {
        cache,
        jobs: 4,
        pixels: {
          wants: () => true,
          use: async (path, read) => void facts.set(path, await factsOfRead(read, math)),
        },
      })
      return { report, facts, files: filesOf(join(dir, name)) }
    }
    const here = await run('here')
    const there = await run('there', pool)
    expect(there.report).toEqual(here.report)
    expect(here.report.made).toBe(FILMS.length)
    expect(there.report.unreadable.map((u) => u.image)).toEqual([join(dir, 'truncated.png')])
    expect(there.facts).toEqual(here.facts)
    expect(there.facts.size).toBeGreaterThanOrEqual(FILMS.length)
    // thumbnails and model inputs (PGM), byte for byte
    expect(there.files.size).toBe(FILMS.length * 2)
    expect(there.files).toEqual(here.files)
  })
})
