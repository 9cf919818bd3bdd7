import { describe, expect, it } from 'vitest'
import { isSorted, NameIndex } from './name-index.ts'

describe('NameIndex', () => {
  it('finds names by binary search in a sorted list and by map in any other order', () => {
    const sorted = ['00000001_000.png', '00000001_001.png', '00000002_000.png', 'a.png', 'b.png']
    for (const names of [sorted, [...sorted].reverse(), ['b.png', 'a.png', '00000002_000.png']]) {
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

  it('calls a list with a repeated name unsorted', () => {
    expect(isSorted(['a', 'b', 'c'])).toBe(true)
    expect(isSorted(['a', 'b', 'b'])).toBe(false)
    expect(isSorted(['b', 'a'])).toBe(false)
    expect(isSorted([])).toBe(true)
  })
})
