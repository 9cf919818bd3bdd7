import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import { decodeImage } from './decode/decode-image.ts'
import { factsOf, imageFacts, looksInverted } from './facts.ts'
import { hammingDistance } from './pixels/phash.ts'
import { sharedData } from './testing/shared-data.ts'

const imagesDir = sharedData('cxr14/images/')
const names = readdirSync(imagesDir).filter((f) => f.endsWith('.png'))
const tmp = mkdtempSync(join(tmpdir(), 'imaging-facts-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))
const roots = [imagesDir, tmp]

describe('[I17] image facts', () => {
  it('reports size, depth, channels, intensities, phash and the content hash', async () => {
    const path = join(imagesDir, names[0] ?? '')
    const facts = await imageFacts(path, { roots })
    expect(facts).toMatchObject({
      width: 1024,
      height: 1024,
      bitDepth: 8,
      channels: 1,
      format: 'png',
    })
    for (const key of [
      'mean',
      'borderMean',
      'centreMean',
      'lungMean',
      'mediastinumMean',
    ] as const) {
      expect(facts[key]).toBeGreaterThan(0)
      expect(facts[key]).toBeLessThan(1)
    }
    expect(facts.phash).toMatch(/^[0-9a-f]{16}$/)
    expect(facts.contentHash).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'))
  })

  it('finds exact and near duplicates but not different films', async () => {
    // a re-exported JPEG copy of a film is the same film for label auditing; two patients' films
    // must not collapse into one "duplicate"
    const [a, b] = names
    const original = join(imagesDir, a ?? '')
    const copy = join(tmp, 'copy.png')
    const reencoded = join(tmp, 'reencoded.jpg')
    writeFileSync(copy, readFileSync(original))
    await sharp(original).resize(800).jpeg({ quality: 80 }).toFile(reencoded)
    const [fo, fc, fr, fb] = await Promise.all(
      [original, copy, reencoded, join(imagesDir, b ?? '')].map((p) => imageFacts(p, { roots })),
    )
    expect(fc?.contentHash).toBe(fo?.contentHash)
    expect(fc?.phash).toBe(fo?.phash)
    expect(fr?.contentHash).not.toBe(fo?.contentHash)
    expect(hammingDistance(fo?.phash ?? '', fr?.phash ?? '')).toBeLessThanOrEqual(4)
    expect(hammingDistance(fo?.phash ?? '', fb?.phash ?? '')).toBeGreaterThan(10)
  })
})

describe('[I18] looksInverted', () => {
  it('flags the two inverted CXR14 films and every other film once inverted', async () => {
    // CXR14 holds a few films stored with inverted photometry (00017625_000, 00017999_000:
    // bright lungs, dark wires and bones); a reader shown them unflagged reads them as negatives
    const flagged: string[] = []
    const missedWhenInverted: string[] = []
    for (const name of names) {
      const image = await decodeImage(join(imagesDir, name), { roots })
      if (looksInverted(await factsOf(image, ''))) flagged.push(name)
      const inverted = await factsOf({ ...image, photometric: 'MONOCHROME1' }, '')
      if (!looksInverted(inverted)) missedWhenInverted.push(name)
    }
    expect(flagged).toEqual(['00017625_000.png', '00017999_000.png'])
    expect(missedWhenInverted).toEqual(flagged)
  })
})
