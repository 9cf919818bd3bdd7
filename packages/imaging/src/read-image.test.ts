import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { resolveLimits } from './limits.ts'
import { loadBytes, sha256 } from './loaded-image.ts'
import { readImage } from './read-image.ts'
import { writePng } from './testing/png-writer.ts'
import { sharedData } from './testing/shared-data.ts'

const imagesDir = sharedData('cxr14/images/')
const limits = resolveLimits({})
const films = readdirSync(imagesDir)
  .filter((f) => f.endsWith('.png'))
  .sort()

/** The preview, header and facts-relevant fields of the full decode, for comparison. */
async function fromFullDecode(file: string, bytes: Uint8Array) {
  const loaded = await loadBytes(file, bytes, sha256(bytes), limits)
  const { format, width, height, bitsStored, channels, photometric } = loaded.image
  const header = { file, format, width, height, bitsStored, channels, photometric }
  return { preview: await loaded.preview(), header }
}

describe('[I21] an image read once, decoded only as far as asked', () => {
  it('gives a grey PNG the preview of its full decode, byte for byte, straight from the file', async () => {
    // every 12th shared film (18 films), and a grey + alpha PNG
    const picks = films.filter((_, i) => i % 12 === 0).map((f) => join(imagesDir, f))
    expect(picks.length).toBeGreaterThan(10)
    const cases: [string, Uint8Array][] = picks.map((p) => [p, readFileSync(p)])
    const { data, info } = await sharp(cases[0]![1])
      .resize(300, 280, { fit: 'fill' })
      .joinChannel(Buffer.alloc(300 * 280, 200), { raw: { width: 300, height: 280, channels: 1 } })
      .png()
      .toBuffer({ resolveWithObject: true })
    expect(info.channels).toBe(2)
    cases.push(['grey-alpha.png', data])
    for (const [file, bytes] of cases) {
      const read = readImage(file, bytes, sha256(bytes), limits)
      const direct = await read.preview()
      const expected = await fromFullDecode(file, bytes)
      expect([direct.width, direct.height]).toEqual([
        expected.preview.width,
        expected.preview.height,
      ])
      expect(Buffer.from(direct.pixels).equals(Buffer.from(expected.preview.pixels))).toBe(true)
      expect(await read.header()).toEqual(expected.header)
      // the full decode is still there when asked, once
      expect(await read.loaded()).toBe(await read.loaded())
    }
  })

  it('keeps a small PNG as it is, and reduces a 16-bit one from its full decode', async () => {
    const small = writePng({
      width: 3,
      height: 2,
      bitDepth: 8,
      colourType: 0,
      samples: [0, 50, 100, 150, 200, 250],
    })
    const preview = await readImage('small.png', small, sha256(small), limits).preview()
    expect([preview.width, preview.height, [...preview.pixels]]).toEqual([
      3,
      2,
      [0, 50, 100, 150, 200, 250],
    ])
    const deep = writePng({
      width: 2,
      height: 2,
      bitDepth: 16,
      colourType: 0,
      samples: [0, 1000, 2000, 4095],
    })
    const read = readImage('deep.png', deep, sha256(deep), limits)
    expect(await read.header()).toMatchObject({ bitsStored: 16 })
    expect(await read.preview()).toEqual((await fromFullDecode('deep.png', deep)).preview)
  })

  it('[I11] refuses a truncated or oversized PNG with the same reason as the full decode', async () => {
    const real = readFileSync(join(imagesDir, films[0]!))
    const truncated = real.subarray(0, Math.floor(real.length / 2))
    await expect(
      readImage('cut.png', truncated, sha256(truncated), limits).preview(),
    ).rejects.toMatchObject({ kind: 'truncated', file: 'cut.png' })
    const tight = resolveLimits({ maxPixels: 1000 })
    await expect(readImage('big.png', real, sha256(real), tight).preview()).rejects.toMatchObject({
      kind: 'too-large',
    })
  })
})
