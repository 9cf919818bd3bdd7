import { describe, expect, it } from 'vitest'
import {
  AGE_BANDS,
  ModelSpecError,
  ageBand,
  compareGroups,
  parseSubgroupKey,
  subgroupOf,
  type SubgroupImage,
} from './subgroups.ts'

const image: SubgroupImage = { age: 45, sex: 'F', view: 'PA', split: 'test', tags: null }

describe('subgroups', () => {
  it('[M20] age bands 0-17, 18-39, 40-59, 60-79, 80+ by lower edge', () => {
    expect(AGE_BANDS).toEqual(['0-17', '18-39', '40-59', '60-79', '80+'])
    const cases: [number | null, string][] = [
      [0, '0-17'],
      [17.9, '0-17'],
      [18, '18-39'],
      [39, '18-39'],
      [40, '40-59'],
      [59.99, '40-59'],
      [60, '60-79'],
      [79, '60-79'],
      [80, '80+'],
      [95, '80+'],
      [120, '80+'],
      [412, 'unknown'],
      [null, 'unknown'],
      [-1, 'unknown'],
      [NaN, 'unknown'],
    ]
    for (const [age, band] of cases) expect(ageBand(age)).toBe(band)
  })

  it('[M20] keys: sex, view, age-band, split, tag:NAME; others refused', () => {
    expect(parseSubgroupKey(' age-band ')).toBe('age-band')
    expect(parseSubgroupKey('tag: chest drain')).toBe('tag:chest drain')
    for (const bad of ['age', 'tag:', 'colour', ''])
      expect(() => parseSubgroupKey(bad)).toThrow(ModelSpecError)
  })

  it('[M20] groups from the stored values; blanks are unknown, no split is none', () => {
    expect(subgroupOf('sex', image)).toBe('F')
    expect(subgroupOf('view', { ...image, view: '' })).toBe('unknown')
    expect(subgroupOf('age-band', image)).toBe('40-59')
    expect(subgroupOf('split', image)).toBe('test')
    expect(subgroupOf('split', { ...image, split: null })).toBe('none')
  })

  it('[M21] tag groups: with and without among reviewed images; unreviewed images are left out', () => {
    // a film nobody looked at has no known tags: counting it as "no chest drain" would hide
    // the drains nobody saw
    expect(subgroupOf('tag:chest drain', image)).toBeNull()
    expect(subgroupOf('tag:chest drain', { ...image, tags: new Set(['chest drain']) })).toBe(
      'chest drain',
    )
    expect(subgroupOf('tag:chest drain', { ...image, tags: new Set() })).toBe('no chest drain')
  })

  it('[M20] group order: age bands by age, unknown and none last', () => {
    expect(['80+', 'unknown', '0-17', '40-59'].sort(compareGroups)).toEqual([
      '0-17',
      '40-59',
      '80+',
      'unknown',
    ])
    expect(['none', 'train', 'test'].sort(compareGroups)).toEqual(['test', 'train', 'none'])
  })
})
