import { describe, expect, it } from 'vitest'
import {
  AGE_BANDS,
  ageBand,
  badSubgroupBy,
  compareGroups,
  labelSubgroupOf,
  modelSubgroupOf,
  parseSubgroupBy,
  subgroupByText,
  type ModelSubgroupImage,
} from './subgroups.ts'

const image: ModelSubgroupImage = { age: 45, sex: 'F', view: 'PA', split: 'test', tags: null }
const tag = (name: string) => ({ kind: 'tag', tag: name }) as const

describe('subgroups', () => {
  it('[L9] [M20] age bands 0-17, 18-39, 40-59, 60-79, 80+ by lower edge; impossible ages unknown', () => {
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
      [79.99, '60-79'],
      [80, '80+'],
      [95, '80+'],
      [120, '80+'],
      // the 2017 release had ages such as 414: an error, not a very old patient
      [412, 'unknown'],
      [414, 'unknown'],
      [null, 'unknown'],
      [-1, 'unknown'],
      [NaN, 'unknown'],
    ]
    for (const [age, band] of cases) expect(ageBand(age), String(age)).toBe(band)
  })

  it('[L9] [M20] --by: sex, view, age-band, split, tag:NAME; others refused', () => {
    expect(parseSubgroupBy(' age-band ')).toEqual({ kind: 'age-band' })
    expect(parseSubgroupBy('tag: chest drain')).toEqual(tag('chest drain'))
    expect(subgroupByText(parseSubgroupBy('tag: chest drain')!)).toBe('tag:chest drain')
    expect(subgroupByText({ kind: 'view' })).toBe('view')
    for (const bad of ['age', 'tag:', 'colour', '']) expect(parseSubgroupBy(bad)).toBeUndefined()
    expect(badSubgroupBy('age')).toBe(
      'cannot split by "age": use sex, view, age-band, split or tag:NAME (e.g. tag:chest drain)',
    )
  })

  it('[L9] the labels area: view upper case, sex M/F else unknown, no split unknown, tagged/untagged', () => {
    const image = { age: 50, sex: 'f', view: 'pa', split: null, tags: ['Chest drain'] }
    expect(labelSubgroupOf({ kind: 'view' }, image)).toBe('PA')
    expect(labelSubgroupOf({ kind: 'sex' }, image)).toBe('F')
    expect(labelSubgroupOf({ kind: 'sex' }, { ...image, sex: 'O' })).toBe('unknown')
    expect(labelSubgroupOf({ kind: 'age-band' }, image)).toBe('40-59')
    expect(labelSubgroupOf({ kind: 'split' }, image)).toBe('unknown')
    expect(labelSubgroupOf({ kind: 'split' }, { ...image, split: 'test' })).toBe('test')
    expect(labelSubgroupOf(tag('chest drain'), image)).toBe('tagged')
    expect(labelSubgroupOf(tag('rotated'), image)).toBe('untagged')
  })

  it('[M20] the model audit: groups from the stored values; blanks are unknown, no split is none', () => {
    expect(modelSubgroupOf({ kind: 'sex' }, image)).toBe('F')
    expect(modelSubgroupOf({ kind: 'view' }, { ...image, view: '' })).toBe('unknown')
    expect(modelSubgroupOf({ kind: 'age-band' }, image)).toBe('40-59')
    expect(modelSubgroupOf({ kind: 'split' }, image)).toBe('test')
    expect(modelSubgroupOf({ kind: 'split' }, { ...image, split: null })).toBe('none')
  })

  it('[M21] tag groups: with and without among reviewed images; unreviewed images are left out', () => {
    // a film nobody looked at has no known tags: counting it as "no chest drain" would hide
    // the drains nobody saw
    expect(modelSubgroupOf(tag('chest drain'), image)).toBeNull()
    expect(modelSubgroupOf(tag('chest drain'), { ...image, tags: new Set(['chest drain']) })).toBe(
      'chest drain',
    )
    expect(modelSubgroupOf(tag('chest drain'), { ...image, tags: new Set() })).toBe(
      'no chest drain',
    )
  })

  it('[L9] [M20] group order: age bands by age, the rest alphabetically, unknown and none last', () => {
    expect(['80+', 'unknown', '0-17', '40-59'].sort(compareGroups)).toEqual([
      '0-17',
      '40-59',
      '80+',
      'unknown',
    ])
    expect(['unknown', 'PA', 'AP'].sort(compareGroups)).toEqual(['AP', 'PA', 'unknown'])
    expect(['none', 'train', 'test'].sort(compareGroups)).toEqual(['test', 'train', 'none'])
  })
})
