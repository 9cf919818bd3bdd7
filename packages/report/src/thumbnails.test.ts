import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import { sharedData } from '../../../test-support/shared-data.ts'
import { THUMBNAIL_SIZE, thumbnailDataUri } from './thumbnails.ts'

const dicomDir = sharedData('dicom')
const imagesDir = sharedData('cxr14/images')
const tmp = mkdtempSync(join(tmpdir(), 'report-thumbs-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** The grey pixels and size of a data-URI JPEG. */
async function pixelsOf(
  uri: string | null,
): Promise<{ data: Buffer; width: number; height: number }> {
  expect(uri).toMatch(/^data:image\/jpeg;base64,/)
  const { data, info } = await sharp(Buffer.from(uri!.split(',')[1]!, 'base64'))
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true })
  return { data, width: info.width, height: info.height }
}

describe('[L19] report thumbnails go through @cxr-audit/imaging', () => {
  it('shows a DICOM MONOCHROME1 film inverted, as the workbench does', async () => {
    // sharp alone cannot read DICOM (no thumbnail), and reading MONOCHROME1 stored values as
    // they are shows bone black: the contact sheet must show what the reader saw
    const m2 = await pixelsOf(
      await thumbnailDataUri(join(dicomDir, 'siim-cxr-jpeg-baseline.dcm'), [dicomDir]),
    )
    const m1 = await pixelsOf(
      await thumbnailDataUri(join(dicomDir, 'siim-cxr-jpeg-baseline-monochrome1.dcm'), [dicomDir]),
    )
    expect([m1.width, m1.height]).toEqual([THUMBNAIL_SIZE, THUMBNAIL_SIZE])
    let inverted = 0
    let same = 0
    for (let i = 0; i < m1.data.length; i++) {
      inverted += Math.abs((m1.data[i] ?? 0) - (255 - (m2.data[i] ?? 0)))
      same += Math.abs((m1.data[i] ?? 0) - (m2.data[i] ?? 0))
    }
    expect(inverted / m1.data.length).toBeLessThan(1.5)
    expect(same / m1.data.length).toBeGreaterThan(40)
  })

  it('refuses an image outside the dataset roots instead of embedding it', async () => {
    // a database row pointing at another folder must not leak that file into a shared report
    const elsewhere = join(tmp, 'elsewhere')
    const root = join(tmp, 'root')
    mkdirSync(elsewhere)
    mkdirSync(root)
    const outside = join(elsewhere, 'film.png')
    copyFileSync(join(imagesDir, '00000075_000.png'), outside)
    expect(await thumbnailDataUri(outside, [root])).toBeNull()
    expect(await thumbnailDataUri('../elsewhere/film.png', [root])).toBeNull()
    expect(await thumbnailDataUri(outside, [])).toBeNull()
    const inside = await pixelsOf(await thumbnailDataUri(outside, [elsewhere]))
    expect([inside.width, inside.height]).toEqual([THUMBNAIL_SIZE, THUMBNAIL_SIZE])
  })
})
