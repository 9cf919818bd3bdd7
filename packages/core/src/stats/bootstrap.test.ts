import { describe, expect, it } from 'vitest'
import { createRng } from '../random.ts'
import { bootstrapInterval } from './bootstrap.ts'
import { UndefinedStatisticError } from './errors.ts'
import { cohenKappa } from './kappa.ts'
import { mean } from './descriptives.ts'

const values = Array.from({ length: 40 }, (_, i) => ((i * 37) % 23) / 4)

describe('bootstrapInterval', () => {
  it('[S9] the same seed gives the same interval', () => {
    const a = bootstrapInterval(values, mean, { rng: createRng('boot'), replicates: 200 })
    const b = bootstrapInterval(values, mean, { rng: createRng('boot'), replicates: 200 })
    expect(a).toEqual(b)
    expect(a.estimate).toBe(mean(values))
    expect(a.replicates).toBe(200)
    expect(a.low).toBeLessThan(a.estimate)
    expect(a.high).toBeGreaterThan(a.estimate)
  })

  it('[S9] pins the interval for a fixed seed', () => {
    const result = bootstrapInterval(values, mean, { rng: createRng(11), replicates: 500 })
    expect(result).toEqual({
      estimate: 2.7,
      low: 2.15,
      high: 3.25625,
      replicates: 500,
      undefinedReplicates: 0,
    })
  })

  it('[S9] the mean interval is close to the normal-theory one', () => {
    const result = bootstrapInterval(values, mean, { rng: createRng('normal'), replicates: 4000 })
    const m = mean(values)
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1))
    const half = (1.96 * sd) / Math.sqrt(values.length)
    expect(Math.abs(result.low - (m - half))).toBeLessThan(0.15 * half)
    expect(Math.abs(result.high - (m + half))).toBeLessThan(0.15 * half)
  })

  it('[S9] resamples where the statistic is undefined are counted, not used', () => {
    // Pairs of verdicts; a resample with a single category for both readers has no kappa.
    const pairs = [
      ['present', 'present'],
      ['present', 'present'],
      ['absent', 'present'],
      ['absent', 'absent'],
    ] as const
    const kappa = (sample: readonly (readonly [string, string])[]): number =>
      cohenKappa(
        sample.map((p) => p[0]),
        sample.map((p) => p[1]),
      )
    const result = bootstrapInterval(pairs, kappa, { rng: createRng('k'), replicates: 300 })
    expect(result.undefinedReplicates).toBeGreaterThan(0)
    expect(result.replicates + result.undefinedReplicates).toBe(300)
  })

  it('[S9] throws when the statistic is undefined everywhere', () => {
    const undefinedEverywhere = (): number => {
      throw new UndefinedStatisticError('empty', 'nothing')
    }
    expect(() => bootstrapInterval([1, 2], undefinedEverywhere, { rng: createRng(1) })).toThrow(
      UndefinedStatisticError,
    )
    expect(() => bootstrapInterval([], mean, { rng: createRng(1) })).toThrow(
      UndefinedStatisticError,
    )
  })
})
