import { delong, obuchowski } from '@cxr-audit/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS, tempStore } from '../../../test-support/temp-store.ts'
import { evaluateModel } from './model-eval.ts'
import { FIXTURE_FINDINGS, makeModelFixture, type ModelFixture } from './model-fixture.ts'
import { writePredictions } from './model-predictions.ts'
import type { Store } from './store.ts'

describe.each(DIALECTS)('evaluateModel with patients as clusters (%s)', (kind) => {
  let store: Store
  let fx: ModelFixture
  let cleanup: () => Promise<void>
  // the fixture has two films per patient (img00, img01 are p0's); model "even" scores one each
  const even = Array.from({ length: 20 }, (_, k) => 2 * k)

  beforeAll(async () => {
    ;({ store, cleanup } = await tempStore(kind))
    fx = await makeModelFixture(store)
    await writePredictions(store, {
      datasetId: fx.datasetId,
      model: 'even',
      findingIds: FIXTURE_FINDINGS.map((f) => fx.finding[f]!),
      rows: even.map((i) => ({
        imageId: fx.image[i]!,
        scores: FIXTURE_FINDINGS.map((f) => fx.scores[f]![i]!),
      })),
      replace: false,
      source: {
        file: 'even.csv',
        idColumn: 'Image Index',
        prefix: 'prob_',
        columns: {},
        unknownFindings: [],
        ignoredColumns: [],
        rows: even.length,
        unknownImages: 0,
        skippedRows: 0,
      },
    })
  })
  afterAll(() => cleanup())

  it("[M44] cluster 'patient' gives Obuchowski's interval over each finding's patients", async () => {
    const r = await evaluateModel(store, { model: 'm', findings: ['Mass'], cluster: 'patient' })
    expect(r).toMatchObject({ cluster: 'patient', clusters: 20, patientsWithSeveralFilms: 20 })
    expect(r.warning).toBeUndefined()
    const patients = fx.image.map((_, i) => `p${Math.floor(i / 2)}`)
    const want = obuchowski(fx.labels['Mass']!, fx.scores['Mass']!, patients)
    expect(r.findings[0]).toMatchObject({
      clusters: 20,
      auc: want.auc,
      aucLow: want.low,
      aucHigh: want.high,
      variance: want.variance,
    })
    expect(r.methods.interval).toMatch(/Obuchowski/)
  })

  it('[M44] without it, a warning says how many patients have more than one film', async () => {
    const r = await evaluateModel(store, { model: 'm', findings: ['Mass'] })
    expect(r).toMatchObject({ cluster: null, clusters: 20, patientsWithSeveralFilms: 20 })
    expect(r.warning).toMatch(/^20 of the 20 patients have more than one film among the 40 scored/)
    expect(r.findings[0]!.clusters).toBeUndefined()
    const split = await evaluateModel(store, { model: 'm', findings: ['Mass'], split: 'test' })
    expect(split).toMatchObject({ clusters: 5, patientsWithSeveralFilms: 5 })
  })

  it("[M44] one film per patient: no warning, and the clustered interval is DeLong's", async () => {
    const plain = await evaluateModel(store, { model: 'even', findings: ['Mass'] })
    expect(plain).toMatchObject({ clusters: 20, patientsWithSeveralFilms: 0 })
    expect(plain.warning).toBeUndefined()
    const clustered = await evaluateModel(store, {
      model: 'even',
      findings: ['Mass'],
      cluster: 'patient',
    })
    const d = delong(
      even.map((i) => fx.labels['Mass']![i]!),
      even.map((i) => fx.scores['Mass']![i]!),
    )
    expect(Math.abs(clustered.findings[0]!.variance! - d.variance)).toBeLessThan(1e-15)
    expect(Math.abs(clustered.findings[0]!.aucLow! - plain.findings[0]!.aucLow!)).toBeLessThan(
      1e-12,
    )
  })
})
