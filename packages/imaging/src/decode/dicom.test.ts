import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS } from '../limits.ts'
import { toDisplay } from '../pixels/display.ts'
import {
  greyImageElements,
  writeDicom,
  writeImplicitDataset,
  type DicomElement,
} from '../testing/dicom-writer.ts'
import { FIXTURES, sharedData } from '../testing/shared-data.ts'
import { decodeBytes, decodeImage } from './decode-image.ts'

const dicomDir = sharedData('dicom/')
const roots = [FIXTURES, dicomDir]
const tmp = mkdtempSync(join(tmpdir(), 'imaging-dicom-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const decodeWritten = (elements: DicomElement[], ts = '1.2.840.10008.1.2.1') =>
  decodeBytes('test.dcm', writeDicom({ transferSyntax: ts, elements }), DEFAULT_LIMITS)

describe('[I4] every supported transfer syntax gives back the same stored values', () => {
  const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.dcm'))

  it('has a fixture for each codec', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(10)
  })

  it.each(fixtures)('%s', async (name) => {
    // a codec that drops the low bits or swaps bytes of 12-bit data changes every grey level
    const reference = await decodeImage(join(FIXTURES, 'cxr12-explicit-le.dcm'), { roots })
    const image = await decodeImage(join(FIXTURES, name), { roots })
    expect([image.width, image.height, image.bitsStored, image.photometric]).toEqual([
      128,
      128,
      12,
      'MONOCHROME2',
    ])
    let maxDiff = 0
    for (let i = 0; i < reference.pixels.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs((image.pixels[i] ?? 0) - (reference.pixels[i] ?? 0)))
    }
    expect(maxDiff).toBeLessThanOrEqual(name.includes('near') ? 2 : 0)
  })
})

describe('[I20] header fields for import', () => {
  it('reads spacing, view, sex, age, rescale and windows', async () => {
    const image = await decodeImage(join(FIXTURES, 'cxr12-jpeg-ls.dcm'), { roots })
    expect(image.dicom).toMatchObject({
      transferSyntax: '1.2.840.10008.1.2.4.80',
      pixelSpacing: [1.143, 1.144],
      viewPosition: 'AP',
      patientSex: 'F',
      patientAge: '045Y',
      patientAgeYears: 45,
      windows: [
        { center: 1000, width: 2000 },
        { center: 1500, width: 1000 },
      ],
    })
    expect(image.rescale).toEqual({ slope: 1, intercept: -1024 })
    expect(image.window).toEqual({ center: 1000, width: 2000 })
    // [I3] pixels are in Modality units: stored value minus 1024
    const stored = await decodeImage(join(FIXTURES, 'cxr12-explicit-le.dcm'), { roots })
    expect(Math.min(...stored.pixels)).toBeLessThan(0)
  })
})

describe('the real DICOMs in shared/data/dicom', () => {
  it('[I1] the NIH CXR14 file (Implicit VR LE despite its name) decodes to its stored bytes', async () => {
    // the file is the 1024 x 1024 8-bit CXR14 picture; none of the 216 shared PNGs is its
    // source (checked by pixel correlation), so it is compared with its own raw pixel bytes and
    // with a PNG made from them: the PNG it came from would decode identically
    const path = join(dicomDir, 'nih-cxr14-dx-explicit-little-endian.dcm')
    const image = await decodeImage(path, { roots })
    expect([image.width, image.height, image.bitsStored, image.photometric]).toEqual([
      1024,
      1024,
      8,
      'MONOCHROME2',
    ])
    expect(image.dicom?.transferSyntax).toBe('1.2.840.10008.1.2')
    expect(image.dicom).toMatchObject({ patientSex: 'M', patientAge: '81' })
    const bytes = readFileSync(path)
    expect(
      Buffer.from(image.pixels as Uint8Array).equals(bytes.subarray(bytes.length - 1024 * 1024)),
    ).toBe(true)
    const png = await sharp(Buffer.from(image.pixels as Uint8Array), {
      raw: { width: 1024, height: 1024, channels: 1 },
    })
      .png()
      .toBuffer()
    const fromPng = await decodeBytes('same.png', png, DEFAULT_LIMITS)
    expect(
      Buffer.from(fromPng.pixels as Uint8Array).equals(Buffer.from(image.pixels as Uint8Array)),
    ).toBe(true)
  })

  it('[I1] the SIIM JPEG Baseline file decodes with its header fields', async () => {
    const image = await decodeImage(join(dicomDir, 'siim-cxr-jpeg-baseline.dcm'), { roots })
    expect([image.width, image.height, image.photometric]).toEqual([1024, 1024, 'MONOCHROME2'])
    expect(image.dicom).toMatchObject({
      transferSyntax: '1.2.840.10008.1.2.4.50',
      pixelSpacing: [0.168, 0.168],
      viewPosition: 'PA',
      patientSex: 'M',
      patientAgeYears: 62,
      modality: 'CR',
    })
    const mean = (image.pixels as Uint8Array).reduce((a, b) => a + b, 0) / image.pixels.length
    expect(mean).toBeGreaterThan(40)
    expect(mean).toBeLessThan(215)
  })

  it('[I8] the MONOCHROME1 twin displays as 255 minus the MONOCHROME2 display', async () => {
    // the same JPEG stream labelled MONOCHROME1 must show inverted, or bone turns black
    const m2 = await decodeImage(join(dicomDir, 'siim-cxr-jpeg-baseline.dcm'), { roots })
    const m1 = await decodeImage(join(dicomDir, 'siim-cxr-jpeg-baseline-monochrome1.dcm'), {
      roots,
    })
    expect(m1.photometric).toBe('MONOCHROME1')
    const a = toDisplay(m2)
    const b = toDisplay(m1)
    let worst = 0
    for (let i = 0; i < a.length; i++)
      worst = Math.max(worst, Math.abs((a[i] ?? 0) - (255 - (b[i] ?? 0))))
    expect(worst).toBe(0)
  })
})

describe('pixel data details', () => {
  it('[I5] an unsupported transfer syntax is refused, naming it', async () => {
    const elements = greyImageElements({ width: 2, height: 2, bitsAllocated: 8, bitsStored: 8 })
    const bytes = writeDicom({
      transferSyntax: '1.2.840.10008.1.2.4.100',
      elements,
      fragments: [new Uint8Array(8)],
    })
    await expect(decodeBytes('mpeg.dcm', bytes, DEFAULT_LIMITS)).rejects.toMatchObject({
      kind: 'unsupported',
      file: 'mpeg.dcm',
      message: expect.stringContaining('1.2.840.10008.1.2.4.100 (MPEG2 Main Profile)'),
    })
  })

  it('[I3] masks Bits Stored at High Bit and sign-extends signed pixels', async () => {
    // 12 bits stored in the high bits of 16 (High Bit 15), signed: 0xFFF0 is -1, 0x7FF0 is 2047;
    // reading them as plain uint16 gave 65520 and shifted the whole film
    const pixels = new Uint16Array([0xfff0, 0x7ff0, 0x0010, 0x0000])
    const elements = greyImageElements({
      width: 2,
      height: 2,
      bitsAllocated: 16,
      bitsStored: 12,
      signed: true,
      pixels,
    })
    const hb = elements.map((e) => (e.tag[1] === 0x0102 ? { ...e, value: [15] } : e))
    const image = await decodeWritten(hb)
    expect(Array.from(image.pixels)).toEqual([-1, 2047, 1, 0])
  })

  it('[I2] native RGB (interleaved and planar) and YBR_FULL become luma', async () => {
    const rgb = (planar: 0 | 1, data: number[], photometric = 'RGB') =>
      decodeWritten([
        ...greyImageElements({
          width: 2,
          height: 1,
          bitsAllocated: 8,
          bitsStored: 8,
          photometric,
          pixels: new Uint8Array(data),
        }).map((e) => (e.tag[1] === 0x0002 ? { ...e, value: [3] } : e)),
        { tag: [0x0028, 0x0006], vr: 'US', value: [planar] },
      ])
    const interleaved = await rgb(0, [255, 0, 0, 10, 10, 10])
    expect(Array.from(interleaved.pixels)).toEqual([76, 10])
    expect(interleaved.photometric).toBe('RGB')
    expect(interleaved.channels).toBe(3)
    expect(Array.from((await rgb(1, [255, 10, 0, 10, 0, 10])).pixels)).toEqual([76, 10])
    expect(Array.from((await rgb(0, [90, 128, 128, 7, 1, 2], 'YBR_FULL')).pixels)).toEqual([90, 7])
  })

  it('[I9] reads a VOI LUT Sequence and uses it when there is no window', async () => {
    const lutItem: DicomElement[] = [
      { tag: [0x0028, 0x3002], vr: 'US', value: [4, 0, 8] },
      { tag: [0x0028, 0x3006], vr: 'OW', value: new Uint16Array([255, 170, 85, 0]) },
    ]
    const image = await decodeWritten([
      ...greyImageElements({
        width: 4,
        height: 1,
        bitsAllocated: 8,
        bitsStored: 8,
        pixels: new Uint8Array([0, 1, 2, 3]),
      }),
      { tag: [0x0028, 0x3010], vr: 'SQ', value: [lutItem] },
    ])
    expect(image.voiLut?.data.length).toBe(4)
    expect(Array.from(toDisplay(image))).toEqual([255, 170, 85, 0])
  })

  it('[I8] Presentation LUT Shape INVERSE and a MONOCHROME1 window invert the display', async () => {
    const base = {
      width: 2,
      height: 1,
      bitsAllocated: 8 as const,
      bitsStored: 8,
      pixels: new Uint8Array([0, 255]),
    }
    const inverse = await decodeWritten(
      greyImageElements({
        ...base,
        extra: [{ tag: [0x2050, 0x0020], vr: 'CS', value: 'INVERSE' }],
      }),
    )
    expect(Array.from(toDisplay(inverse))).toEqual([255, 0])
    const m1 = await decodeWritten(
      greyImageElements({
        ...base,
        photometric: 'MONOCHROME1',
        extra: [
          { tag: [0x0028, 0x1050], vr: 'DS', value: '128' },
          { tag: [0x0028, 0x1051], vr: 'DS', value: '256' },
        ],
      }),
    )
    expect(Array.from(toDisplay(m1))).toEqual([255, 0])
  })

  it('[I1] reads a bare Implicit VR data set without preamble or meta header', async () => {
    const elements = greyImageElements({
      width: 2,
      height: 1,
      bitsAllocated: 8,
      bitsStored: 8,
      pixels: new Uint8Array([5, 6]),
    })
    const file = join(tmp, 'bare.dcm')
    writeFileSync(file, writeImplicitDataset(elements))
    const image = await decodeImage(file, { roots: [tmp] })
    expect(Array.from(image.pixels)).toEqual([5, 6])
  })
})
