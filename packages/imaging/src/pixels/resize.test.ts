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

  it('gives bit for bit what the plain two-pass loops give (the faster loops and block sums)', () => {
    // the reference: per-axis taps, rows then columns, float64 sums stored in float32 arrays,
    // written as plainly as possible; facts and model inputs are contracts (decision 046)
    const reference = (image: GreyImage, width: number, height: number): Float32Array => {
      const taps = (from: number, to: number): [number, number][][] =>
        Array.from({ length: to }, (_, i) => {
          const scale = from / to
          if (to >= from) {
            const x = Math.min(from - 1, Math.max(0, (i + 0.5) * scale - 0.5))
            const lo = Math.min(Math.floor(x), Math.max(0, from - 2))
            return from > 1
              ? [
                  [lo, 1 - (x - lo)],
                  [lo + 1, x - lo],
                ]
              : [[0, 1]]
          }
          const [start, end] = [i * scale, i * scale + scale]
          const out: [number, number][] = []
          for (let s = Math.floor(start); s < Math.min(from, Math.ceil(end)); s++)
            out.push([s, (Math.min(end, s + 1) - Math.max(start, s)) / scale])
          return out
        })
      const [xt, yt] = [taps(image.width, width), taps(image.height, height)]
      const rows = new Float32Array(image.height * width)
      for (let y = 0; y < image.height; y++)
        for (let i = 0; i < width; i++)
          rows[y * width + i] = xt[i]!.reduce(
            (a, [s, w]) => a + image.pixels[y * image.width + s]! * w,
            0,
          )
      const out = new Float32Array(width * height)
      for (let j = 0; j < height; j++)
        for (const [s, w] of yt[j]!)
          for (let i = 0; i < width; i++) out[j * width + i]! += rows[s * width + i]! * w
      return out
    }
    let seed = 46
    const random = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32
    const sizes = [
      [256, 256],
      [512, 512],
      [256, 200],
      [300, 257],
      [37, 5],
      [1, 1],
      [8, 512],
    ]
    for (const [w, h] of sizes) {
      const image = {
        width: w!,
        height: h!,
        pixels: Uint8Array.from({ length: w! * h! }, () => random() * 256),
      }
      for (const [tw, th] of [
        [224, 224],
        [64, 64],
        [32, 32],
        [w! / 4, h! / 2],
        [w! * 2, 3],
        [1, 1],
        [w!, h!],
      ]) {
        if (!Number.isInteger(tw) || !Number.isInteger(th) || tw! < 1 || th! < 1) continue
        const [got, want] = [resample(image, tw!, th!), reference(image, tw!, th!)]
        // the first value that differs in any bit, or -1 (a deep equal of 50,000 floats is slow)
        const differs = got.findIndex((v, k) => !Object.is(v, want[k]))
        expect([differs, got.length], `${w} x ${h} to ${tw} x ${th}`).toEqual([-1, want.length])
        if (tw !== th) continue
        // the bytes (model inputs, facts' grids) are those floats rounded, made in the same loops
        const bytes = resizeSquare(image, tw!)
        const wrong = bytes.findIndex((v, k) => v !== Math.min(255, Math.round(want[k]!)))
        expect(wrong, `${w} x ${h} to ${tw} bytes`).toBe(-1)
      }
    }
  })

  it('refuses impossible sizes and mismatched rasters', () => {
    const image = grey(2, 2, [0, 1, 2, 3])
    expect(() => resizeSquare(image, 0)).toThrow(RangeError)
    expect(() => resizeSquare(image, 2.5)).toThrow(RangeError)
    expect(() => resample(grey(3, 3, [1, 2]), 2, 2)).toThrow(RangeError)
  })
})
