import { describe, expect, it } from 'vitest'
import { autoWindow, minMax, windowForRange } from './auto-window.ts'
import { chooseVoi, defaultWindow, toDisplay } from './display.ts'
import { presetWindow } from './presets.ts'
import { applyModalityLut, applyRescale, lookUp } from './rescale.ts'
import { applyVoiLut, applyWindow, isIdentityWindow8 } from './window.ts'

const arr = (a: ArrayLike<number>): number[] => Array.from(a)

describe('window/level (PS3.3 C.11.2.1.2.1)', () => {
  it('[I6] LINEAR 128/256 on 8-bit data is the identity', () => {
    // the "-0.5" and "(w-1)" terms matter: the naive (x - c)/w + 0.5 shifts every grey level by
    // half a step, so an 8-bit film shown "as is" was silently altered
    const px = new Uint8Array([0, 1, 127, 128, 254, 255])
    expect(arr(applyWindow(px, { center: 128, width: 256 }))).toEqual([0, 1, 127, 128, 254, 255])
  })

  it('[I6] LINEAR 40/400 clips at c - 0.5 -/+ (w-1)/2 exactly, on signed data', () => {
    // a window applied to signed pixels read as unsigned turns air (-1000) white
    const px = new Int16Array([-1000, -160, -159, 40, 239, 240, 1000])
    expect(arr(applyWindow(px, { center: 40, width: 400 }))).toEqual([0, 0, 1, 128, 255, 255, 255])
  })

  it('[I6] LINEAR with width 1 is a threshold at c - 0.5', () => {
    // width 1 divides by zero in the general formula; DICOM defines it as a step
    expect(arr(applyWindow(new Uint16Array([99, 100, 101]), { center: 100, width: 1 }))).toEqual([
      0, 255, 255,
    ])
  })

  it('[I6] LINEAR_EXACT uses c -/+ w/2 without the half-step terms (C.11.2.1.3.2)', () => {
    // a file asking for LINEAR_EXACT (common for 16-bit DX) shown with LINEAR is off by one level
    const px = new Uint16Array([0, 50, 100, 200, 201])
    expect(arr(applyWindow(px, { center: 100, width: 200 }, { fn: 'LINEAR_EXACT' }))).toEqual([
      0, 64, 128, 255, 255,
    ])
  })

  it('[I6] SIGMOID follows 255 / (1 + exp(-4 (x - c) / w)) (C.11.2.1.3.1)', () => {
    // sigmoid VOI is what many CR vendors expect; treating it as LINEAR burns out the mediastinum
    const px = new Uint16Array([0, 100, 200])
    expect(arr(applyWindow(px, { center: 100, width: 200 }, { fn: 'SIGMOID' }))).toEqual([
      30, 128, 225,
    ])
  })

  it('[I8] invert gives 255 - y after windowing', () => {
    // MONOCHROME1 shown without inversion makes bone black and lungs white
    const px = new Uint8Array([0, 100, 255])
    expect(arr(applyWindow(px, { center: 128, width: 256 }, { invert: true }))).toEqual([
      255, 155, 0,
    ])
  })

  it('[I6] Float32 Modality values are windowed directly', () => {
    // fractional rescale output (slope 0.5) must not be truncated before windowing
    const px = new Float32Array([-0.5, 0.25, 254.75])
    expect(arr(applyWindow(px, { center: 128, width: 256 }))).toEqual([0, 0, 255])
  })

  it('refuses widths the standard forbids', () => {
    expect(() => applyWindow(new Uint8Array(1), { center: 1, width: 0.5 })).toThrow(RangeError)
    expect(() =>
      applyWindow(new Uint8Array(1), { center: 1, width: 0 }, { fn: 'LINEAR_EXACT' }),
    ).toThrow(RangeError)
  })
})

describe('Modality LUT (PS3.3 C.11.1)', () => {
  it('[I3] Rescale Slope/Intercept gives slope * stored + intercept', () => {
    // a CT-style intercept of -1024 ignored puts the window 1024 units off: water shows as bone
    expect(
      arr(applyRescale(new Uint16Array([0, 512, 1000]), { slope: 2, intercept: -1024 })),
    ).toEqual([-1024, 0, 976])
  })

  it('[I3] the identity rescale returns the same array (no copy)', () => {
    const px = new Uint16Array([1, 2])
    expect(applyRescale(px, { slope: 1, intercept: 0 })).toBe(px)
  })

  it('[I3] a LUT clamps inputs below the first mapped value and past the last entry', () => {
    // values outside the LUT must clamp, not read neighbouring memory (undefined -> 0 -> black)
    const lut = { firstMapped: 10, bits: 8, data: new Uint16Array([0, 100, 200, 255]) }
    expect([5, 10, 11, 13, 100].map((v) => lookUp(lut, v))).toEqual([0, 0, 100, 255, 255])
    expect(arr(applyModalityLut(new Uint8Array([9, 12]), lut))).toEqual([0, 200])
  })
})

describe('VOI LUT (PS3.3 C.11.2.1.1)', () => {
  it('[I9] scales the LUT output range 0..2^bits-1 to 0..255', () => {
    // a 12-bit VOI LUT sent straight to an 8-bit display wraps around and posterises the film
    const lut = { firstMapped: 0, bits: 12, data: new Uint16Array([0, 1365, 2730, 4095]) }
    expect(arr(applyVoiLut(new Uint16Array([0, 1, 2, 3, 9]), lut))).toEqual([0, 85, 170, 255, 255])
  })

  it('[I9] a table whose entries exceed the declared bits is scaled by its real range', () => {
    // descriptor says 8 bits but entries reach 4095: without this the display saturates
    const lut = { firstMapped: 0, bits: 8, data: new Uint16Array([0, 4095]) }
    expect(arr(applyVoiLut(new Uint16Array([0, 1]), lut))).toEqual([0, 255])
  })
})

describe('automatic window and presets', () => {
  it('[I7] windowForRange maps low to 0 and high to 255 (0..255 is 128/256)', () => {
    expect(windowForRange(0, 255)).toEqual({ center: 128, width: 256 })
    const w = windowForRange(1000, 2000)
    expect(arr(applyWindow(new Uint16Array([1000, 2000]), w))).toEqual([0, 255])
  })

  it('[I7] percentiles ignore a burned-in label that min/max would stretch over', () => {
    // a white text label at 4095 on a 12-bit film made a min/max window flatten the lungs
    const px = new Uint16Array(1000)
    for (let i = 0; i < px.length; i++) px[i] = 1000 + (i % 1001)
    px.fill(4095, 997)
    expect(minMax(px)).toEqual([1000, 4095])
    const w = autoWindow(px)
    const top = w.center - 0.5 + (w.width - 1) / 2
    expect(top).toBeLessThan(2100)
    expect(top).toBeGreaterThan(1900)
    expect(autoWindow(px, { lowPercentile: 0, highPercentile: 100 })).toEqual(
      windowForRange(1000, 4095),
    )
  })

  it('[I10] presets are fractions of the default window, mirrored for MONOCHROME1', () => {
    // a lung preset fixed in stored values would show the bones of an inverted film
    expect(presetWindow('lung', { center: 128, width: 256 })).toEqual({
      center: 89.6,
      width: 153.6,
    })
    expect(presetWindow('lung', { center: 128, width: 256 }, true).center).toBeCloseTo(166.4, 6)
    expect(presetWindow('default', { center: 2048, width: 4096 })).toEqual({
      center: 2048,
      width: 4096,
    })
    expect(presetWindow('lung', { center: 2048, width: 4096 })).toEqual({
      center: 1433.6,
      width: 2457.6,
    })
  })
})

describe('choosing the VOI step', () => {
  const voiLut = { firstMapped: 0, bits: 8, data: new Uint16Array([255, 0]) }

  it('[I7] 8-bit data without a window is shown as is; wider data gets the auto window', () => {
    expect(
      defaultWindow({ pixels: new Uint8Array([3, 9]), bitsStored: 8, photometric: 'MONOCHROME2' }),
    ).toEqual({
      center: 128,
      width: 256,
    })
    const wide = { pixels: new Uint16Array([100, 200]), bitsStored: 12, photometric: 'MONOCHROME2' }
    expect(defaultWindow(wide)).toEqual(windowForRange(100, 200))
  })

  it('[I7] the file window wins over a VOI LUT; the VOI LUT is used when there is no window', () => {
    const image = {
      pixels: new Uint8Array([0, 1]),
      bitsStored: 8,
      photometric: 'MONOCHROME2',
      voiLut,
    }
    expect(chooseVoi(image).kind).toBe('voi-lut')
    expect(arr(toDisplay(image))).toEqual([255, 0])
    expect(chooseVoi({ ...image, window: { center: 1, width: 2 } }).kind).toBe('window')
  })

  it('[I7] explicit center/width win over presets; a missing one comes from the default', () => {
    const image = { pixels: new Uint8Array([0]), bitsStored: 8, photometric: 'MONOCHROME2' }
    expect(chooseVoi(image, { width: 100, preset: 'bone' })).toMatchObject({
      window: { center: 128, width: 100 },
    })
  })

  it('[I8] MONOCHROME1 and Presentation LUT Shape INVERSE invert; the invert option toggles', () => {
    // inverting MONOCHROME1 twice (photometric and INVERSE shape) showed DX films as negatives
    const m1 = { pixels: new Uint8Array([0, 255]), bitsStored: 8, photometric: 'MONOCHROME1' }
    expect(arr(toDisplay(m1))).toEqual([255, 0])
    expect(arr(toDisplay({ ...m1, dicom: { presentationInverse: true } }))).toEqual([255, 0])
    expect(arr(toDisplay(m1, { invert: true }))).toEqual([0, 255])
    expect(arr(toDisplay({ ...m1, photometric: 'MONOCHROME2' }, { invert: true }))).toEqual([
      255, 0,
    ])
  })

  it('[I21] an 8-bit film shown as stored is displayed without a copy; any change makes one', () => {
    // the display of a 1024 x 1024 8-bit PNG is its stored bytes: copying them through a table
    // for every image was a tenth of a thumbnail batch's time
    const pixels = Uint8Array.from({ length: 256 }, (_, i) => i)
    const plain = { pixels, bitsStored: 8, photometric: 'MONOCHROME2' }
    expect(toDisplay(plain)).toBe(pixels)
    expect(isIdentityWindow8({ center: 128, width: 256 })).toBe(true)
    expect(isIdentityWindow8({ center: 127, width: 256 })).toBe(false)
    expect(isIdentityWindow8({ center: 128, width: 256 }, 'SIGMOID')).toBe(false)
    const inverted = toDisplay(plain, { invert: true })
    expect(inverted).not.toBe(pixels)
    expect(inverted[0]).toBe(255)
    const windowed = toDisplay(plain, { preset: 'lung' })
    expect(windowed).not.toBe(pixels)
    expect(Array.from(pixels)).toEqual(Array.from({ length: 256 }, (_, i) => i))
  })
})
