import { describe, expect, it } from 'vitest'
import { smdBinary } from '../stats/descriptives.ts'
import { tagsBySplit } from './tags-by-split.ts'
import type { CheckImage } from './types.ts'

const image = (
  name: string,
  split: string | null,
  readerTags: readonly string[] | null,
): CheckImage => ({
  name,
  patient: name,
  age: 50,
  sex: 'M',
  view: 'PA',
  split,
  onDisk: true,
  positives: [],
  rawLabels: [],
  readerTags,
})

describe('tagsBySplit [K7]', () => {
  it('[K7] shares among reviewed films only, tags ignoring case, SMD of two proportions, flagged above 0.1', () => {
    const images = [
      image('a', 'test', ['Chest drain']),
      image('b', 'test', []),
      image('c', 'train', ['chest drain', 'CHEST DRAIN']),
      image('d', 'train', []),
      image('e', 'train', []),
      image('f', 'train', []),
      image('g', 'train', null), // nobody reviewed it: in no denominator
      image('h', null, ['rotated']), // no split: not compared
    ]
    const t = tagsBySplit(images)
    expect(t.compared).toEqual(['train', 'test'])
    expect(t.reviewed).toEqual({ train: 4, test: 2 })
    expect(t.rows).toHaveLength(1)
    const [drain] = t.rows
    expect(drain!.level).toBe('Chest drain')
    expect(drain!.values).toEqual({ train: { value: 0.25, n: 1 }, test: { value: 0.5, n: 1 } })
    expect(drain!.smd).toBe(smdBinary(0.25, 0.5))
    expect(drain!.flag).toBe(true)
  })

  it('[K7] one split compares nothing; a split without reviewed films has no share and no SMD', () => {
    expect(tagsBySplit([image('a', 'train', ['x'])]).compared).toBeNull()
    const t = tagsBySplit([image('a', 'train', ['x']), image('b', 'test', null)])
    expect(t.reviewed).toEqual({ train: 1, test: 0 })
    expect(t.rows[0]!.values.test).toEqual({ value: null, n: 0 })
    expect(t.rows[0]!.smd).toBeNull()
    expect(t.rows[0]!.flag).toBe(false)
  })
})
