import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FindingReport } from '@cxr-audit/core'
import { evaluateModel, listModels, type Store } from '@cxr-audit/store'
import { asWritten } from '@cxr-audit/store/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sharedData } from '../../../test-support/shared-data.ts'
import { importCxr14 } from './cxr14-import.ts'
import { BadRowsError } from './cxr14-read.ts'
import { InputFileError } from './files.ts'
import { DIALECTS, tempStore } from './test-helpers.ts'
import { importPredictions, type PredictionsImportSummary } from './predictions-import.ts'
import sklearn from './golden/models-sklearn.json' with { type: 'json' }
import proc from './golden/models-proc.json' with { type: 'json' }

const PREDICTIONS = sharedData('predictions/densenet121-jrzech-test-preds.csv')

const near = (a: number | null | undefined, b: number | null, tolerance: number): void => {
  expect(a).not.toBeNull()
  expect(b).not.toBeNull()
  expect(Math.abs(a! - b!)).toBeLessThanOrEqual(tolerance)
}
const byName = (findings: readonly FindingReport[], name: string): FindingReport =>
  findings.find((f) => f.finding === name)!

describe.each(DIALECTS)('%s', (kind) => {
  let dir: string
  let store: Store
  let summary: PredictionsImportSummary
  let cleanup: () => Promise<void>

  beforeAll(async () => {
    ;({ store, dir, cleanup } = await tempStore(kind))
    await importCxr14(store, { metadata: sharedData('cxr14/Data_Entry_2017_v2020.csv.gz') })
    summary = await importPredictions(store, { file: PREDICTIONS, model: 'densenet' })
  })

  afterAll(() => cleanup())

  describe('the real DenseNet-121 predictions', () => {
    it('[M1] imports 22,433 images with 14 findings, every image known', () => {
      expect(summary).toMatchObject({
        model: 'densenet',
        dataset: 'ChestX-ray14',
        images: 22433,
        unknownImages: 0,
        unknownFindings: [],
        ignoredColumns: [],
        replaced: false,
        predictions: 22433 * 14,
      })
      expect(summary.findings).toHaveLength(14)
      expect(summary.columns['prob_Pleural_Thickening']).toBe('Pleural_Thickening')
    })

    it('[M10] [M13] [M14] [M20] AUCs and more against the NIH labels equal scikit-learn to 1e-12', async () => {
      const r = await evaluateModel(
        store,
        asWritten({ model: 'densenet', by: ['sex', 'view', 'age-band'] }),
      )
      const sens = await evaluateModel(
        store,
        asWritten({ model: 'densenet', threshold: 'sens:0.9' }),
      )
      expect(r.images).toBe(sklearn.images)
      expect(r.findings.map((f) => f.finding)).toEqual(sklearn.findings.map((f) => f.finding))
      for (const want of sklearn.findings) {
        const got = byName(r.findings, want.finding)
        expect(got.n).toBe(want.n)
        expect(got.positives).toBe(want.positives)
        near(got.auc, want.auc, 1e-12)
        near(got.averagePrecision, want.averagePrecision, 1e-12)
        near(got.calibration.brierScore, want.brierScore, 1e-12)
        expect(got.operatingPoint).toMatchObject(want.youden)
        expect(byName(sens.findings, want.finding).operatingPoint).toMatchObject(want.sensitivity90)
        for (const s of got.subgroups!) {
          const groups = (
            want.subgroups as Record<
              string,
              Record<string, { n: number; positives: number; auc: number | null }>
            >
          )[s.by]!
          expect(s.groups.map((g) => g.group).sort()).toEqual(Object.keys(groups).sort())
          for (const g of s.groups) {
            expect(g.n).toBe(groups[g.group]!.n)
            expect(g.positives).toBe(groups[g.group]!.positives)
            if (groups[g.group]!.auc === null) expect(g.auc).toBeNull()
            else near(g.auc, groups[g.group]!.auc, 1e-12)
          }
        }
      }
    })

    it('[M11] [M22] DeLong intervals and subgroup tests equal R pROC to 1e-9', async () => {
      const r = await evaluateModel(store, asWritten({ model: 'densenet', by: ['view', 'sex'] }))
      expect(r.methods.subgroupTest).toMatch(/pROC roc.test paired = FALSE/)
      for (const want of proc.findings) {
        const got = byName(r.findings, want.finding)
        near(got.auc, want.all.auc, 1e-12)
        near(got.variance, want.all.variance, 1e-9)
        near(got.aucLow, want.all.aucLow, 1e-9)
        near(got.aucHigh, want.all.aucHigh, 1e-9)
        const [view, sex] = got.subgroups!
        const pa = view!.groups.find((g) => g.group === 'PA')!
        expect(pa.n).toBe(want.pa.n)
        near(pa.variance, want.pa.variance, 1e-9)
        near(pa.aucLow, want.pa.aucLow, 1e-9)
        near(pa.aucHigh, want.pa.aucHigh, 1e-9)
        for (const [test, gold] of [
          [view!.tests[0]!, want.apVsPa],
          [sex!.tests[0]!, want.femaleVsMale],
        ] as const) {
          near(test.D, gold.D, 1e-9)
          near(test.df, gold.df, 1e-6)
          near(test.p, gold.p, 1e-9)
        }
        expect(view!.tests[0]).toMatchObject({ a: 'AP', b: 'PA' })
        expect(sex!.tests[0]).toMatchObject({ a: 'F', b: 'M' })
      }
    })

    it('[M15] published AUCs beside each labelled finding', async () => {
      const r = await evaluateModel(store, { model: 'densenet', findings: ['Hernia', 'Opacity'] })
      expect(r.findings[0]!.publishedAuc).toEqual({
        wang2017: 0.767,
        yao2017: 0.914,
        chexnet2017: 0.9164,
        wang2017_official_split: 0.8717,
      })
      expect(r.findings[1]!.publishedAuc).toBeNull()
    })
  })

  describe('bad prediction files', () => {
    const file = (name: string, text: string): string => {
      const path = join(dir, name)
      writeFileSync(path, text)
      return path
    }
    const models = async (): Promise<string[]> => (await listModels(store.db)).map((m) => m.name)

    it('[M4] a NaN or non-number score stops the import with file, line and column; nothing is stored', async () => {
      const bad = file(
        'nan.csv',
        'Image Index,prob_Mass,prob_Edema\n00000001_000.png,0.1,0.2\n00000001_001.png,NaN,0.3\n00000002_000.png,0.5,high\n',
      )
      const e = await importPredictions(store, { file: bad, model: 'bad' }).catch((x: unknown) => x)
      expect(e).toBeInstanceOf(BadRowsError)
      expect((e as BadRowsError).errors).toEqual([
        { file: bad, line: 3, column: 'prob_Mass', message: '"NaN" is not a finite number' },
        { file: bad, line: 4, column: 'prob_Edema', message: '"high" is not a finite number' },
      ])
      expect(await models()).toEqual(['densenet'])
      const skipped = await importPredictions(store, { file: bad, model: 'bad', skipBadRows: true })
      expect(skipped).toMatchObject({ images: 1, skippedRows: 2 })
    })

    it('[M3] [M5] unknown finding columns are listed and unknown images counted, not fatal', async () => {
      const r = await importPredictions(store, {
        file: file(
          'extra.csv',
          'Image Index,prob_Mass,prob_COVID-19,note\n00000001_000.png,0.1,0.9,x\nnot-an-image.png,0.2,0.1,y\n',
        ),
        model: 'extra',
      })
      expect(r).toMatchObject({
        images: 1,
        findings: ['Mass'],
        unknownFindings: ['prob_COVID-19'],
        ignoredColumns: ['note'],
        unknownImages: 1,
        unknownImageExamples: ['not-an-image.png'],
      })
    })

    it('[M5] a repeated image is refused with both lines; no known image at all is refused', async () => {
      const dup = file(
        'dup.csv',
        'Image Index,prob_Mass\n00000001_000.png,0.1\n00000001_001.png,0.2\n00000001_000.png,0.3\n',
      )
      await expect(importPredictions(store, { file: dup, model: 'dup' })).rejects.toThrow(
        /00000001_000.png \(lines 2 and 4\)/,
      )
      await expect(
        importPredictions(store, { file: dup, model: 'dup', skipBadRows: true }),
      ).rejects.toThrow(InputFileError)
      await expect(
        importPredictions(store, {
          file: file('none.csv', 'Image Index,prob_Mass\nx.png,0.1\n'),
          model: 'none',
        }),
      ).rejects.toThrow(/none of its 1 images is in the dataset/)
      await expect(
        importPredictions(store, { file: join(dir, 'missing.csv'), model: 'x' }),
      ).rejects.toThrow(/no such file/)
      expect(await models()).not.toContain('dup')
    })

    it('[M7] the same model name is refused unless --replace, which swaps the scores', async () => {
      const one = file(
        'one.csv',
        'Image Index,prob_Mass\n00000001_000.png,0.1\n00000001_001.png,0.2\n',
      )
      await expect(importPredictions(store, { file: one, model: 'extra' })).rejects.toThrow(
        /--replace/,
      )
      const r = await importPredictions(store, { file: one, model: 'extra', replace: true })
      expect(r).toMatchObject({ replaced: true, images: 2, predictions: 2 })
      const e = await evaluateModel(store, { model: 'extra' })
      expect(e.images).toBe(2)
      expect(e.findings.map((f) => f.finding)).toEqual(['Mass'])
    })
  })
})
