import { describe, expect, it } from 'vitest'
import { logGamma, normalTwoSidedP, studentTwoSidedP, zCritical } from './distributions.ts'

describe('distributions', () => {
  it('[S1] the 95% critical value is 1.959963984540054 (not 1.95716)', () => {
    // simple-statistics gives 1.95716 and would shift every interval
    expect(Math.abs(zCritical(0.95) - 1.959963984540054)).toBeLessThan(1e-15)
  })

  it('[S1] normal two-sided p-values (scipy 2 * norm.sf)', () => {
    expect(Math.abs(normalTwoSidedP(1.959963984540054) - 0.05)).toBeLessThan(1e-15)
    expect(Math.abs(normalTwoSidedP(-3) - 0.0026997960632601866)).toBeLessThan(1e-15)
    expect(normalTwoSidedP(0)).toBe(1)
    expect(normalTwoSidedP(Infinity)).toBe(0)
  })

  it('[S1] Student t two-sided p-values (scipy 2 * t.sf), fractional df', () => {
    // scipy.stats.t.sf(2.0, 5) * 2 = 0.10193947882985828; t.sf(1.3, 35.7) * 2 = 0.20196...
    expect(Math.abs(studentTwoSidedP(2, 5) - 0.10193947882985828)).toBeLessThan(1e-13)
    expect(Math.abs(studentTwoSidedP(-0.5, 1) - 0.7048327646991336)).toBeLessThan(1e-13)
    expect(Math.abs(studentTwoSidedP(4, 2000) - 6.564676494309224e-5)).toBeLessThan(1e-13)
    expect(studentTwoSidedP(0, 10)).toBe(1)
  })

  it('[S1] log-gamma (Lanczos) matches known values', () => {
    expect(Math.abs(logGamma(0.5) - Math.log(Math.sqrt(Math.PI)))).toBeLessThan(1e-14)
    expect(Math.abs(logGamma(10) - Math.log(362880))).toBeLessThan(1e-13)
    expect(Math.abs(logGamma(1000) - 5905.220423209181)).toBeLessThan(1e-9)
  })
})
