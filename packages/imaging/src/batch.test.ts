import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { buildRenditions, type BatchProgress } from './batch.ts'
import { factsOfRead, imageFacts, type ImageFacts } from './facts.ts'
import { RenditionCache } from './render/rendition-cache.ts'
import { sharedData } from './testing/shared-data.ts'

const imagesDir = sharedData('cxr14/images/')
const tmp = mkdtempSync(join(tmpdir(), 'imaging-batch-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe('[I19] buildRenditions', () => {
  it('makes every thumbnail, reports unreadable images without failing, then finds all cached', async () => {
    // one corrupt file in 100,000 must not abort a night-long thumbnail build
    const good = readdirSync(imagesDir)
      .filter((f) => f.endsWith('.png'))
      .slice(0, 24)
      .map((f) => join(imagesDir, f))
    const bad = join(tmp, 'bad.png')
    writeFileSync(bad, 'text')
    const missing = join(tmp, 'missing.png')
    const outside = '/etc/hostname'
    const cache = new RenditionCache({ dir: join(tmp, 'cache'), roots: [imagesDir, tmp] })
    const progress: BatchProgress[] = []
    const paths = [...good, bad, missing, outside]
    const report = await buildRenditions(paths, {
      cache,
      jobs: 4,
      onProgress: (p) => progress.push(p),
    })
    expect(report.images).toBe(27)
    expect(report.made).toBe(24)
    expect(report.cached).toBe(0)
    expect(report.unreadable).toEqual(
      expect.arrayContaining([
        { image: bad, reason: expect.stringMatching(/^not-an-image: /) },
        { image: missing, reason: expect.stringMatching(/^not-found: /) },
        { image: outside, reason: expect.stringMatching(/^outside-root: /) },
      ]),
    )
    expect(progress).toHaveLength(27)
    expect(progress.at(-1)).toMatchObject({ done: 27, total: 27, made: 24, unreadable: 3 })
    const again = await buildRenditions(paths, { cache, views: true })
    expect(again).toMatchObject({ images: 27, made: 24, cached: 0 })
    const third = await buildRenditions(paths, { cache, views: true })
    expect(third).toMatchObject({ images: 27, made: 0, cached: 24 })
  })

  it('handles an empty list', async () => {
    const cache = new RenditionCache({ dir: join(tmp, 'empty'), roots: [tmp] })
    expect(await buildRenditions([], { cache })).toEqual({
      images: 0,
      made: 0,
      cached: 0,
      unreadable: [],
    })
  })

  it('[I21] hands each readable image, decoded once, to the pixel work with its path', async () => {
    const paths = readdirSync(imagesDir)
      .filter((f) => f.endsWith('.png'))
      .slice(0, 6)
      .map((f) => join(imagesDir, f))
    const bad = join(tmp, 'bad-for-facts.png')
    writeFileSync(bad, 'text')
    const cache = new RenditionCache({ dir: join(tmp, 'cache-facts'), roots: [imagesDir, tmp] })
    const facts = new Map<string, ImageFacts>()
    const report = await buildRenditions([...paths, bad], {
      cache,
      jobs: 3,
      pixels: {
        wants: (image) => image !== paths[0],
        use: async (image, loaded) => {
          facts.set(image, await factsOfRead(loaded))
        },
      },
    })
    expect(report).toMatchObject({ images: 7, made: 6 })
    expect(report.unreadable.map((u) => u.image)).toEqual([bad])
    expect([...facts.keys()].sort()).toEqual(paths.slice(1).sort())
    // the batch's facts are those of the image on its own
    expect(facts.get(paths[1]!)).toEqual(await imageFacts(paths[1]!, { roots: [imagesDir] }))
  })
})
