import { describe, expect, it } from 'vitest'
import { expectedHalfWidth, plannedSampleSize } from '../stats/index.ts'
import planner from '../stats/golden/planner.json' with { type: 'json' }
import { AuditInputError } from './errors.ts'
import {
  DEFAULT_TAGS,
  matchesFilters,
  normaliseTags,
  parseCount,
  parseFilters,
  parseAuditSeed,
} from './plan.ts'

describe('audit plans', () => {
  it('[W2] a seed is a whole number; anything else is refused', () => {
    expect(parseAuditSeed('42')).toBe(42)
    expect(parseAuditSeed(' 0 ')).toBe(0)
    expect(parseAuditSeed(7)).toBe(7)
    for (const bad of ['abc', '1.5', '-3', '1e3', '', '99999999999999999'])
      expect(() => parseAuditSeed(bad)).toThrow(AuditInputError)
    expect(() => parseAuditSeed('1.5')).toThrow(
      'the seed must be a whole number between 0 and 9007199254740991, got "1.5"',
    )
  })

  it('[W6] counts are whole numbers from 0', () => {
    expect(parseCount('--positives', '100')).toBe(100)
    expect(() => parseCount('--positives', '-1')).toThrow(/--positives must be a whole number/)
    expect(() => parseCount('--positives', 'ten')).toThrow(AuditInputError)
  })

  it('[W5] filters: view, sex, split and age ranges; unknown keys are refused', () => {
    const f = parseFilters(['view=pa', 'sex=F', 'split=Test', 'age=18-65'])
    expect(f).toEqual({ view: 'PA', sex: 'F', split: 'test', ageMin: 18, ageMax: 65 })
    const im = { view: 'PA', sex: 'F', split: 'test', age: 40 }
    expect(matchesFilters(im, f)).toBe(true)
    expect(matchesFilters({ ...im, age: 70 }, f)).toBe(false)
    expect(matchesFilters({ ...im, age: null }, f)).toBe(false)
    expect(matchesFilters({ ...im, view: 'AP' }, f)).toBe(false)
    expect(parseFilters(['age=65-'])).toEqual({ ageMin: 65 })
    expect(() => parseFilters(['colour=red'])).toThrow(/unknown filter/)
    expect(() => parseFilters(['age=old'])).toThrow(AuditInputError)
    expect(() => parseFilters(['age=70-20'])).toThrow(/min above max/)
  })

  it('[W10] tags: trimmed, unique, at most nine; the default set has seven', () => {
    expect(DEFAULT_TAGS).toHaveLength(7)
    expect(normaliseTags([' chest  drain ', 'Chest drain', '', 'image unusable'])).toEqual([
      'chest drain',
    ])
    expect(() => normaliseTags(Array.from({ length: 10 }, (_, i) => `t${i}`))).toThrow(
      AuditInputError,
    )
  })
})

describe('the sample-size planner the workbench shows', () => {
  it('[W1] matches the statsmodels golden grid in both directions', () => {
    for (const c of planner.grid) {
      expect(plannedSampleSize(c)).toBe(c.n)
      expect(expectedHalfWidth({ ...c, n: c.n })).toBeLessThanOrEqual(c.halfWidth)
    }
  })

  it('[W1] the reverse: the half-width n images give matches statsmodels', () => {
    for (const c of planner.halfWidths)
      expect(Math.abs(expectedHalfWidth(c) - c.halfWidth)).toBeLessThan(1e-9)
  })

  it('[W1] 85% expected, +/-5% at 95% (golden n); 80% expected and 245 images give +/-5%', () => {
    const golden = planner.grid.find(
      (c) => c.expected === 0.85 && c.halfWidth === 0.05 && c.confidence === 0.95,
    )
    expect(plannedSampleSize({ expected: 0.85, halfWidth: 0.05 })).toBe(golden?.n)
    expect(plannedSampleSize({ expected: 0.8, halfWidth: 0.05 })).toBe(245)
    expect(expectedHalfWidth({ expected: 0.8, n: 245 })).toBeLessThanOrEqual(0.05)
  })
})
