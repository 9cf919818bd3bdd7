import { describe, expect, it } from 'vitest'
import { createRng } from '@cxr-audit/core'
import { NameIndex, NameIndexBuilder } from './name-index.ts'

describe('NameIndex', () => {
  it('finds every name at its position, whatever the order of the list', () => {
    const sorted = ['00000001_000.png', '00000001_001.png', '00000002_000.png', 'a.png', 'b.png']
    const nearly = ['00000001_000.png', '00000003_000.png', '00000002_000.png', 'a.png', '0.png']
    for (const names of [
      sorted,
      [...sorted].reverse(),
      ['b.png', 'a.png', '00000002_000.png'],
      nearly,
    ]) {
      const index = new NameIndex(names)
      names.forEach((n, i) => expect(index.get(n)).toBe(i))
      expect(index.has('00000001_002.png')).toBe(false)
      expect(index.get('')).toBeUndefined()
      expect(index.get('zzz')).toBeUndefined()
      expect([...index.keys()]).toEqual(names)
      expect(index.size).toBe(names.length)
    }
    expect(new NameIndex([]).has('a')).toBe(false)
  })

  it('tells a repeated name apart whether it came in order or not, and keeps the first', () => {
    const built = new NameIndexBuilder()
    const added = ['b', 'c', 'a', 'c', 'a', 'b', 'd', 'a'].map((n) => built.add(n))
    expect(added).toEqual([true, true, true, false, false, false, true, false])
    const index = new NameIndex(['b', 'c', 'a', 'd'], built)
    expect(['a', 'b', 'c', 'd'].map((n) => index.get(n))).toEqual([2, 0, 1, 3])
  })

  it('agrees with a map on a shuffled list of many names', () => {
    const names = Array.from({ length: 5000 }, (_, i) => `${String(i).padStart(8, '0')}_000.png`)
    // mostly in order, with every 7th name moved back, as in the 2020 CXR14 file
    for (let i = 7; i < names.length; i += 7) [names[i - 3], names[i]] = [names[i]!, names[i - 3]!]
    const index = new NameIndex(names)
    const map = new Map(names.map((n, i) => [n, i]))
    for (const [n, i] of map) expect(index.get(n)).toBe(i)
    expect(index.get('00009999_000.png')).toBeUndefined()
  })

  it('tells repeats apart as a set does, for names repeated near and far from the end', () => {
    const rng = createRng(52)
    const pool = Array.from({ length: 3000 }, (_, i) => `${String(i).padStart(8, '0')}_000.png`)
    // mostly ascending, with names from a little or a long way back, and some never seen
    const names = pool.map((n, i) => {
      const r = rng.next()
      if (r < 0.1) return pool[Math.max(0, i - 1 - rng.int(8))]!
      if (r < 0.15) return pool[rng.int(i + 1)]!
      if (r < 0.2) return pool[Math.min(pool.length - 1, i + 1 + rng.int(40))]!
      return n
    })
    const built = new NameIndexBuilder()
    const seen = new Set<string>()
    for (const n of names) {
      expect(built.add(n), n).toBe(!seen.has(n))
      seen.add(n)
    }
    const kept = [...seen]
    const index = new NameIndex(kept, built)
    kept.forEach((n, i) => expect(index.get(n)).toBe(i))
  })
})
