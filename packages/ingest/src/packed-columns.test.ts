import { describe, expect, it } from 'vitest'
import { CodeColumn, NumberColumn, unpackColumn } from './packed-columns.ts'

/** A column packed row by row and unpacked holds the values given, whatever its kind. */
describe('packed columns', () => {
  const numbers = (values: (number | null)[]) => {
    const c = new NumberColumn(values.length)
    values.forEach((v, i) => c.set(i, v))
    return c.packed()
  }

  it('numbers, nulls and mixes come back as given', () => {
    const cases: (number | null)[][] = [
      [],
      [1.5, 2, -3],
      [null, null, null],
      [null, null, 4, 5],
      [4, null, 5, null],
      [null, 0, null],
      [0, 0, null],
    ]
    for (const values of cases) expect(Array.from(unpackColumn(numbers(values)))).toEqual(values)
  })

  it('sends a column of nulls as its count and one of numbers as a Float64Array', () => {
    expect(numbers([null, null])).toEqual({ kind: 'nulls', length: 2 })
    expect(numbers([1, 2]).kind).toBe('numbers')
    expect(numbers([null, 2]).kind).toBe('plain')
  })

  it('codes come back as given, and too many distinct values make a plain column', () => {
    for (const values of [['M', 'F', 'M', null], Array.from({ length: 300 }, (_, i) => `s${i}`)]) {
      const c = new CodeColumn(values.length)
      values.forEach((v, i) => c.set(i, v))
      expect(c.packed().kind).toBe(values.length > 256 ? 'plain' : 'codes')
      expect(Array.from(unpackColumn(c.packed()))).toEqual(values)
    }
  })
})
