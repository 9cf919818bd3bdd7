import { describe, expect, it } from 'vitest'
import { badSeed, createRng, parseSeed, sampleWithoutReplacement, shuffle } from './random.ts'

describe('createRng', () => {
  it('[R1] pins the stream of a numeric seed forever', () => {
    // Audits store their seed; changing these numbers would redraw every stored sample.
    const rng = createRng(42)
    expect([rng.next(), rng.next(), rng.next()]).toEqual([
      0.6115452743355373, 0.6087404677707471, 0.18668818775581808,
    ])
  })

  it('[R1] pins the stream of a string seed, and int(n)', () => {
    const rng = createRng('audit-2026')
    expect(Array.from({ length: 8 }, () => rng.int(10))).toEqual([7, 3, 4, 8, 2, 1, 9, 7])
    const zero = createRng(0)
    expect([zero.int(2 ** 32), zero.int(1), zero.int(3)]).toEqual([2187164012, 0, 0])
  })

  it('[R1] a number seed and its decimal text give the same stream', () => {
    const a = createRng(123456789)
    const b = createRng('123456789')
    for (let i = 0; i < 20; i++) expect(a.next()).toBe(b.next())
  })

  it('[R1] different seeds give different streams', () => {
    expect(createRng('a').next()).not.toBe(createRng('b').next())
    expect(createRng(1).next()).not.toBe(createRng(2).next())
  })

  it('[R1] rejects seeds that are not safe integers', () => {
    expect(() => createRng(1.5)).toThrow(RangeError)
    expect(() => createRng(2 ** 60)).toThrow(RangeError)
  })

  it('[R2] next() is in [0, 1) and int(n) is unbiased enough to pass a chi-square check', () => {
    const rng = createRng('uniform')
    const counts = new Array<number>(6).fill(0)
    let outside = 0
    for (let i = 0; i < 60000; i++) {
      const u = rng.next()
      if (!(u >= 0 && u < 1)) outside++
      const k = rng.int(6)
      counts[k] = (counts[k] ?? 0) + 1
    }
    expect(outside).toBe(0)
    const statistic = counts.reduce((sum, c) => sum + (c - 10000) ** 2 / 10000, 0)
    expect(statistic).toBeLessThan(20.5) // chi-square(5) 0.999 quantile
  })

  it('[R2] int(n) rejects n outside [1, 2^32]', () => {
    const rng = createRng(1)
    expect(() => rng.int(0)).toThrow(RangeError)
    expect(() => rng.int(2.5)).toThrow(RangeError)
    expect(() => rng.int(2 ** 32 + 1)).toThrow(RangeError)
  })
})

describe('shuffle and sampleWithoutReplacement', () => {
  it('[R3] pins a shuffle and a sample', () => {
    expect(shuffle([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], createRng(7))).toEqual([
      1, 6, 8, 5, 2, 9, 7, 0, 3, 4,
    ])
    expect(
      sampleWithoutReplacement(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], 3, createRng('x')),
    ).toEqual(['a', 'd', 'g'])
  })

  it('[R3] leaves the input alone and returns a permutation', () => {
    const items = Array.from({ length: 50 }, (_, i) => i)
    const copy = items.slice()
    const shuffled = shuffle(items, createRng('perm'))
    expect(items).toEqual(copy)
    expect(shuffled.slice().sort((a, b) => a - b)).toEqual(items)
  })

  it('[R3] a sample of k is the first k of the shuffle, so a larger k extends a smaller one', () => {
    const items = Array.from({ length: 30 }, (_, i) => `image-${i}`)
    const full = shuffle(items, createRng('plan'))
    for (const k of [0, 1, 5, 29, 30]) {
      expect(sampleWithoutReplacement(items, k, createRng('plan'))).toEqual(full.slice(0, k))
    }
  })

  it('[R3] rejects k outside [0, n]', () => {
    expect(() => sampleWithoutReplacement([1, 2], 3, createRng(1))).toThrow(RangeError)
    expect(() => sampleWithoutReplacement([1, 2], -1, createRng(1))).toThrow(RangeError)
  })

  it('[R3] every item is equally likely to be drawn first', () => {
    const rng = createRng('first')
    const counts = [0, 0, 0, 0]
    for (let i = 0; i < 8000; i++) {
      const first = sampleWithoutReplacement([0, 1, 2, 3], 1, rng)[0] as number
      counts[first] = (counts[first] as number) + 1
    }
    for (const count of counts) expect(Math.abs(count - 2000)).toBeLessThan(200)
  })
})

describe('bulk draws', () => {
  it('[R4] fillInts gives exactly the draws of repeated int(n), in order', () => {
    for (const n of [1, 7, 2414, 1000003]) {
      const a = createRng(`bulk-${n}`)
      const b = createRng(`bulk-${n}`)
      const out = new Int32Array(5000)
      a.fillInts(n, out)
      expect(Array.from(out)).toEqual(Array.from({ length: 5000 }, () => b.int(n)))
      // the streams stay in step afterwards
      expect(a.next()).toBe(b.next())
    }
    expect(() => createRng(1).fillInts(0, new Int32Array(1))).toThrow(RangeError)
  })
})

describe('parseSeed', () => {
  it('[W2] [M31] a sampling seed is a whole number from 0 in decimal digits; typos are refused', () => {
    expect(parseSeed('42')).toBe(42)
    expect(parseSeed(' 0 ')).toBe(0)
    expect(parseSeed(7)).toBe(7)
    expect(parseSeed(String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER)
    for (const bad of ['abc', '1.5', '-3', '1e3', '', '99999999999999999'])
      expect(parseSeed(bad), bad).toBeUndefined()
    expect(badSeed('abc')).toBe(
      'the seed must be a whole number between 0 and 9007199254740991, got "abc"',
    )
  })

  it('[L12] a bootstrap seed may be any text; a whole number, signed, is that number', () => {
    expect(parseSeed('7', { anyText: true })).toBe(7)
    expect(parseSeed(' -3 ', { anyText: true })).toBe(-3)
    expect(parseSeed('audit 2017', { anyText: true })).toBe('audit 2017')
    expect(parseSeed('99999999999999999', { anyText: true })).toBe('99999999999999999')
    expect(parseSeed('  ', { anyText: true })).toBeUndefined()
  })
})
