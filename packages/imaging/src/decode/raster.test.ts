import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS } from '../limits.ts'
import { writePng } from '../testing/png-writer.ts'
import { sharedData } from '../testing/shared-data.ts'
import { decodeBytes, decodeImage } from './decode-image.ts'

const imagesDir = sharedData('cxr14/images/')
const pngs = readdirSync(imagesDir).filter((f) => f.endsWith('.png'))
const first = join(imagesDir, pngs[0] ?? '')

async function greyOf(path: string): Promise<Buffer> {
  return sharp(path).extractChannel(0).toColourspace('b-w').raw().toBuffer()
}

describe('[I1] PNG and JPEG', () => {
  it('decodes all 216 shared CXR14 PNGs to 1024 x 1024 grey', async () => {
    // the README says two of them are RGBA; this copy has 216 8-bit grey files (IHDR colour
    // type 0), so RGBA is tested below on files made from a real one
    expect(pngs).toHaveLength(216)
    const failures: string[] = []
    for (const name of pngs) {
      const image = await decodeImage(join(imagesDir, name), { roots: [imagesDir] }).catch(
        (e: Error) => e,
      )
      if (image instanceof Error) failures.push(image.message)
      else if (
        image.width !== 1024 ||
        image.height !== 1024 ||
        image.pixels.length !== 1024 * 1024
      ) {
        failures.push(`${name}: ${image.width} x ${image.height}`)
      }
    }
    expect(failures).toEqual([])
  })

  it('[I2] RGB and RGBA files with equal channels give back exactly the grey values', async () => {
    // converting RGBA with a colour-managed or alpha-flattening path darkened the two RGBA
    // CXR14 films and changed their duplicates' hashes; luma of equal channels is exact
    const grey = await greyOf(first)
    const interleave = (channels: number, alpha?: number): Uint8Array => {
      const out = new Uint8Array(grey.length * channels)
      for (let i = 0; i < grey.length; i++) {
        out.fill(grey[i] ?? 0, i * channels, (i + 1) * channels)
        if (alpha !== undefined) out[(i + 1) * channels - 1] = alpha
      }
      return out
    }
    const rgb = writePng({
      width: 1024,
      height: 1024,
      bitDepth: 8,
      colourType: 2,
      samples: interleave(3),
    })
    const rgba = writePng({
      width: 1024,
      height: 1024,
      bitDepth: 8,
      colourType: 6,
      samples: interleave(4, 255),
    })
    const ga = writePng({
      width: 1024,
      height: 1024,
      bitDepth: 8,
      colourType: 4,
      samples: interleave(2, 128),
    })
    for (const [bytes, channels] of [
      [rgb, 3],
      [rgba, 4],
      [ga, 2],
    ] as const) {
      const image = await decodeBytes('x.png', bytes, DEFAULT_LIMITS)
      expect(image.channels).toBe(channels)
      expect(Buffer.from(image.pixels as Uint8Array).equals(grey)).toBe(true)
    }
  })

  it('[I1] 16-bit grey PNG keeps all 16 bits', async () => {
    // reading a 16-bit PNG through an 8-bit path throws away the low byte (banding in lungs)
    const png = writePng({
      width: 2,
      height: 2,
      bitDepth: 16,
      colourType: 0,
      samples: [0, 1, 4095, 65535],
    })
    const image = await decodeBytes('x.png', png, DEFAULT_LIMITS)
    expect(image.format).toBe('png')
    expect(image.bitsStored).toBe(16)
    expect(image.pixels).toBeInstanceOf(Uint16Array)
    expect(Array.from(image.pixels)).toEqual([0, 1, 4095, 65535])
  })

  it('[I1] decodes JPEG, and reads the format from the bytes not the name', async () => {
    const jpeg = await sharp(readFileSync(first)).jpeg({ quality: 95 }).toBuffer()
    const image = await decodeBytes('actually-a-jpeg.png', jpeg, DEFAULT_LIMITS)
    expect(image.format).toBe('jpeg')
    const grey = await greyOf(first)
    let diff = 0
    for (let i = 0; i < grey.length; i++) diff += Math.abs((image.pixels[i] ?? 0) - (grey[i] ?? 0))
    expect(diff / grey.length).toBeLessThan(2)
  })
})
