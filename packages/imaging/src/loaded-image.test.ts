import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadImage } from './loaded-image.ts'
import { resizeSquare } from './pixels/resize.ts'
import { sharedData } from './testing/shared-data.ts'

const imagesDir = sharedData('cxr14/images/')
const dicomDir = sharedData('dicom/')
const roots = [imagesDir, dicomDir]
const png = join(imagesDir, '00000075_000.png')
const mean = (a: ArrayLike<number>): number => {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i] ?? 0
  return s / a.length
}

describe('[I21] an image loaded once', () => {
  it('holds its content hash, its pixels, its display without a copy and one preview', async () => {
    const loaded = await loadImage(png, { roots })
    expect(loaded.contentHash).toBe(createHash('sha256').update(readFileSync(png)).digest('hex'))
    expect([loaded.display.width, loaded.display.height]).toEqual([1024, 1024])
    expect(loaded.display.pixels).toBe(loaded.image.pixels)
    const preview = await loaded.preview()
    expect([preview.width, preview.height]).toEqual([256, 256])
    expect(await loaded.preview()).toBe(preview)
    expect(Math.abs(mean(preview.pixels) - mean(loaded.display.pixels))).toBeLessThan(1)
  })

  it('[I22] gives a model input of the display the reader sees, MONOCHROME1 inverted', async () => {
    // a network fed the stored values of a MONOCHROME1 film sees a negative: bone black
    const m2 = await loadImage(join(dicomDir, 'siim-cxr-jpeg-baseline.dcm'), { roots })
    const m1 = await loadImage(join(dicomDir, 'siim-cxr-jpeg-baseline-monochrome1.dcm'), { roots })
    const a = resizeSquare(m2.display, 224, { as: 'float32' })
    const b = resizeSquare(m1.display, 224, { as: 'float32' })
    expect(a).toHaveLength(224 * 224)
    let worst = 0
    for (let i = 0; i < a.length; i++)
      worst = Math.max(worst, Math.abs((a[i] ?? 0) - (1 - (b[i] ?? 0))))
    expect(worst).toBeLessThan(1e-5)
    expect(mean(a) * 255).toBeCloseTo(mean(m2.display.pixels), 2)
    // the stored values are not inverted: inversion is a display step [I3]
    expect(mean(m1.image.pixels)).toBeCloseTo(mean(m2.image.pixels), 6)
  })

  it('[I12] refuses a file outside the roots', async () => {
    await expect(loadImage(png, { roots: [dicomDir] })).rejects.toMatchObject({
      kind: 'outside-root',
    })
  })
})
