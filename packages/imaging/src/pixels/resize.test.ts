import { describe, expect, it } from 'vitest'
import { resample, resizeSquare } from './resize.ts'
import type { GreyImage } from './types.ts'

const grey = (width: number, height: number, values: readonly number[]): GreyImage => ({
  width,
  height,
  pixels: Uint8Array.from(values),
})
const arr = (a: ArrayLike<number>): number[] => Array.from(a, (v) => Math.round(v * 1000) / 1000)

describe('[I22] resample and resizeSquare', () => {
  it('shrinks by whole factors to the mean of each block', () => {
    // a 64 x 64 statistics grid must average every source pixel once; sampling one pixel per
    // block (nearest) made the lung means depend on where the vessels happened to fall
    const image = grey(4, 4, [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150])
    expect(arr(resample(image, 2, 2))).toEqual([25, 45, 105, 125])
    expect(arr(resample(image, 1, 1))).toEqual([75])
  })

  it('weights partly covered source pixels by their overlap', () => {
    // 3 -> 2: output 0 covers [0, 1.5), output 1 covers [1.5, 3)
    expect(arr(resample(grey(3, 1, [0, 90, 180]), 2, 1))).toEqual([30, 150])
  })

  it('enlarges by linear interpolation between pixel centres, clamped at the edges', () => {
    expect(arr(resample(grey(2, 1, [0, 255]), 4, 1))).toEqual([0, 63.75, 191.25, 255])
    expect(arr(resample(grey(1, 1, [77]), 3, 2))).toEqual([77, 77, 77, 77, 77, 77])
  })

  it('keeps the same size unchanged and a flat image flat at any size', () => {
    const image = grey(3, 2, [1, 2, 3, 4, 5, 6])
    expect(arr(resample(image, 3, 2))).toEqual([1, 2, 3, 4, 5, 6])
    const flat = { width: 1000, height: 800, pixels: new Uint8Array(800_000).fill(77) }
    expect(new Set(resizeSquare(flat, 224))).toEqual(new Set([77]))
  })

  it('keeps the mean: area averages move intensity, they do not make or lose it', () => {
    // the facts' mean intensity and a model's input must describe the same film
    const pixels = Uint8Array.from({ length: 1000 * 700 }, (_, i) => (i * 7919) % 256)
    const image = { width: 1000, height: 700, pixels }
    const mean = pixels.reduce((a, b) => a + b, 0) / pixels.length
    const out = resample(image, 224, 224)
    expect(out.reduce((a, b) => a + b, 0) / out.length).toBeCloseTo(mean, 3)
  })

  it('gives rounded bytes, or floats from 0 to 1, stretched to a square', () => {
    const image = grey(4, 2, [0, 0, 255, 255, 0, 0, 255, 255])
    expect(Array.from(resizeSquare(image, 2))).toEqual([0, 255, 0, 255])
    const f = resizeSquare(image, 2, { as: 'float32' })
    expect(f).toBeInstanceOf(Float32Array)
    expect(Array.from(f)).toEqual([0, 1, 0, 1])
    expect(Array.from(resizeSquare(grey(3, 1, [0, 90, 181]), 1))).toEqual([90])
  })

  it('refuses impossible sizes and mismatched rasters', () => {
    const image = grey(2, 2, [0, 1, 2, 3])
    expect(() => resizeSquare(image, 0)).toThrow(RangeError)
    expect(() => resizeSquare(image, 2.5)).toThrow(RangeError)
    expect(() => resample(grey(3, 3, [1, 2]), 2, 2)).toThrow(RangeError)
  })
})
