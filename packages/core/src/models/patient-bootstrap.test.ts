import { describe, expect, it } from 'vitest'
import { createRng, delong, obuchowski } from '../stats/index.ts'
import { compareLabelings } from './compare.ts'
import { subgroupAnalysis } from './stratification.ts'
import { clusterMembers, patientBootstrapContrasts } from './patient-bootstrap.ts'

/** Seeded labels and scores with some signal, n films. */
function data(n: number): { reader: Uint8Array; original: Uint8Array; scores: Float64Array } {
  const rng = createRng('patient-bootstrap-test')
  const reader = new Uint8Array(n)
  const original = new Uint8Array(n)
  const scores = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    reader[i] = rng.int(3) === 0 ? 1 : 0
    original[i] = rng.int(10) === 0 ? 1 - reader[i]! : reader[i]!
    scores[i] = reader[i]! * 0.3 + rng.int(1000) / 1000
  }
  return { reader, original, scores }
}

describe('patient bootstrap [M50]', () => {
  it('[M50] with one film per patient, resampling patients is resampling films: the same interval to the last digit', () => {
    const { reader, original, scores } = data(300)
    const films = compareLabelings(reader, original, scores, { seed: 5, replicates: 200 })
    const ids = Array.from({ length: 300 }, (_, i) => `p${i}`)
    const patients = compareLabelings(reader, original, scores, {
      seed: 5,
      replicates: 200,
      clusters: ids,
    })
    expect(patients.method).toMatch(/over patients/)
    expect(films.method).toMatch(/over images/)
    expect([patients.difference, patients.low, patients.high]).toEqual([
      films.difference,
      films.low,
      films.high,
    ])
  })

  it('[M50] films of one patient stay together: every film twice under its own patient gives a wider interval than the copies counted as independent films', () => {
    const { reader, original, scores } = data(200)
    const twice = <T extends Uint8Array | Float64Array>(a: T): T => {
      const out = new (a.constructor as new (n: number) => T)(a.length * 2)
      out.set(a)
      out.set(a, a.length)
      return out
    }
    const ids = Array.from({ length: 400 }, (_, i) => `p${i % 200}`)
    const width = (clusters?: string[]) => {
      const r = compareLabelings(twice(reader), twice(original), twice(scores), {
        seed: 9,
        replicates: 400,
        ...(clusters === undefined ? {} : { clusters }),
      })
      return r.high! - r.low!
    }
    expect(width(ids)).toBeGreaterThan(1.2 * width())
  })

  it('[M50] clusterMembers keeps first-appearance order; a contrast undefined on the data says why', () => {
    expect(clusterMembers(['b', 'a', 'b', 'c']).map((m) => Array.from(m))).toEqual([
      [0, 2],
      [1],
      [3],
    ])
    const labels = [1, 0, 1, 0, 1, 1]
    const scores = [0.9, 0.1, 0.8, 0.3, 0.7, 0.6]
    const all = Uint8Array.from([1, 1, 1, 1, 1, 1])
    const positivesOnly = Uint8Array.from([1, 0, 1, 0, 1, 1])
    const [r] = patientBootstrapContrasts(
      labels,
      scores,
      ['a', 'a', 'b', 'b', 'c', 'c'],
      [{ a: all, b: positivesOnly }],
      { seed: 1, replicates: 20 },
    )
    expect(r).toMatchObject({ D: null, p: null, replicates: 0, reason: 'no-negatives' })
  })

  it("[M50] subgroupAnalysis with patients: the groups' intervals are Obuchowski's over their patients, the tests patient bootstraps", () => {
    const { reader, scores } = data(400)
    const patients = Array.from({ length: 400 }, (_, i) => `p${Math.floor(i / 3)}`)
    const groupOf = Array.from({ length: 400 }, (_, i) => (i % 2 === 0 ? 'AP' : 'PA'))
    const clustered = subgroupAnalysis('view', reader, scores, groupOf, null, {
      clusters: patients,
      seed: 3,
      replicates: 200,
    })
    const plain = subgroupAnalysis('view', reader, scores, groupOf, null)
    const ap = Array.from({ length: 200 }, (_, k) => 2 * k)
    const l = Uint8Array.from(ap, (i) => reader[i]!)
    const s = Float64Array.from(ap, (i) => scores[i]!)
    const o = obuchowski(
      l,
      s,
      ap.map((i) => patients[i]!),
    )
    const d = delong(l, s)
    expect(clustered.report.groups[0]).toMatchObject({
      group: 'AP',
      aucLow: o.low,
      aucHigh: o.high,
    })
    expect(plain.report.groups[0]).toMatchObject({ group: 'AP', aucLow: d.low, aucHigh: d.high })
    expect(clustered.report.method).toMatch(/patient bootstrap/)
    expect(clustered.report.tests[0]!.df).toBeNull()
    expect(clustered.rows[0]!.restLow).not.toBe(plain.rows[0]!.restLow)
  })
})
