import { auc, delong, delongUnpairedTest } from '@cxr-audit/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS, tempStore } from '../../../test-support/temp-store.ts'
import { evaluateModel } from './model-eval.ts'
import { giveTags, giveVerdicts, makeModelFixture, type ModelFixture } from './model-fixture.ts'
import { findModel, listModels, writePredictions } from './model-predictions.ts'
import { StoreError, type Store } from './store.ts'
import { asWritten } from './testing.ts'

describe.each(DIALECTS)('model evaluation (%s)', (kind) => {
  let store: Store
  let fx: ModelFixture
  let cleanup: () => Promise<void>

  beforeAll(async () => {
    ;({ store, cleanup } = await tempStore(kind))
    fx = await makeModelFixture(store)
    // ann judged Mass on images 0-19: 0-9 as the original label says, 10-15 flipped, 16-17
    // uncertain, 18 given then withdrawn, 19 changed her mind (latest counts)
    await giveVerdicts(store, fx, 'ann', [
      ...Array.from({ length: 16 }, (_, i): [number, string, 'present' | 'absent'] => {
        const positive = fx.labels['Mass']![i] === 1
        return [i, 'Mass', (i < 10 ? positive : !positive) ? 'present' : 'absent']
      }),
      [16, 'Mass', 'uncertain'],
      [17, 'Mass', 'uncertain'],
      [18, 'Mass', 'present'],
      [18, 'Mass', null],
      [19, 'Mass', 'present'],
      [19, 'Mass', 'absent'],
    ])
    await giveVerdicts(store, fx, 'bob', [
      [0, 'Mass', 'present'],
      [1, 'Mass', 'present'],
      [2, 'Mass', 'absent'],
    ])
    await giveVerdicts(store, fx, 'cid', [
      [0, 'Mass', 'present'],
      [1, 'Mass', 'absent'],
      [2, 'Mass', 'present'],
    ])
    await giveTags(store, fx, 'ann', [
      [0, 'chest drain', true],
      [3, 'Chest Drain', true],
      [5, 'chest drain', true],
      [5, 'chest drain', false],
    ])
  })

  afterAll(() => cleanup())

  const pick = <T>(xs: readonly T[], idx: readonly number[]): T[] => idx.map((i) => xs[i]!)
  const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)

  describe('evaluateModel against the original labels', () => {
    it('[M10] [M11] per finding n, positives, AUC and DeLong interval over every scored image', async () => {
      const r = await evaluateModel(store, { model: 'm' })
      expect(r).toMatchObject({
        model: 'm',
        dataset: 'fixture',
        against: 'original',
        readers: [],
        images: 40,
      })
      expect(r.findings.map((f) => f.finding)).toEqual([
        'Mass',
        'Nodule',
        'Pneumothorax',
        'Hernia',
        'Nodule/Mass',
      ])
      const mass = r.findings[0]!
      const d = delong(fx.labels['Mass']!, fx.scores['Mass']!)
      expect(mass).toMatchObject({
        n: 40,
        positives: 10,
        excludedUncertain: 0,
        scoreSource: 'model',
      })
      expect(mass.auc).toBe(d.auc)
      expect(mass.aucLow).toBe(d.low)
      expect(mass.aucHigh).toBe(d.high)
      expect(mass.publishedAuc?.chexnet2017).toBe(0.8676)
      expect(mass.operatingPoint?.rule).toBe('youden')
      expect(mass.calibration.bins).toHaveLength(10)
    })

    it('[M8] original labels that are uncertain (-1) are left out and counted', async () => {
      const r = await evaluateModel(store, { model: 'm', findings: ['pneumothorax'] })
      const f = r.findings[0]!
      expect(f).toMatchObject({ finding: 'Pneumothorax', n: 39, excludedUncertain: 1, judged: 40 })
      const keep = range(40).filter((i) => i !== 7)
      expect(f.auc).toBe(
        auc(pick(fx.labels['Pneumothorax']!, keep), pick(fx.scores['Pneumothorax']!, keep)),
      )
    })

    it('[M9] a derived finding scores the maximum of its parts, labelled by their union', async () => {
      const r = await evaluateModel(store, { model: 'm', findings: ['Nodule/Mass'] })
      const f = r.findings[0]!
      const labels = range(40).map((i) =>
        Math.max(fx.labels['Mass']![i]!, fx.labels['Nodule']![i]!),
      )
      const scores = range(40).map((i) =>
        Math.max(fx.scores['Mass']![i]!, fx.scores['Nodule']![i]!),
      )
      expect(f).toMatchObject({
        scoreSource: 'max-of-parts',
        derivedFrom: ['Nodule', 'Mass'],
        publishedAuc: null,
      })
      expect(f.positives).toBe(labels.filter((v) => v === 1).length)
      expect(f.auc).toBe(auc(labels, scores))
    })

    it('[M10] a finding without positives: auc null with a reason, the rest still reported', async () => {
      const r = await evaluateModel(store, { model: 'm', findings: ['Hernia'], curves: true })
      expect(r.findings[0]).toMatchObject({
        n: 40,
        positives: 0,
        auc: null,
        aucLow: null,
        reason: 'no-positives',
        operatingPoint: null,
        averagePrecision: null,
      })
      expect(r.findings[0]!.curves).toBeUndefined()
      expect(r.findings[0]!.calibration.brierScore).not.toBeNull()
    })

    it('[M12] --curves adds ROC and PR points', async () => {
      const r = await evaluateModel(store, { model: 'm', findings: ['Mass'], curves: true })
      expect(r.findings[0]!.curves!.roc.fpr).toHaveLength(41)
    })

    it('[M20] [M22] [M23] by sex: per group, the test between them, the group-vs-rest table', async () => {
      const r = await evaluateModel(
        store,
        asWritten({
          model: 'm',
          findings: ['Mass'],
          by: ['sex', 'age-band'],
        }),
      )
      const sex = r.findings[0]!.subgroups![0]!
      expect(sex.by).toBe('sex')
      expect(sex.groups.map((g) => [g.group, g.n])).toEqual([
        ['F', 20],
        ['M', 20],
      ])
      const f = range(40).filter((i) => i % 2 === 0)
      const y = fx.labels['Mass']!
      const s = fx.scores['Mass']!
      // Mass is on every 4th image: all on women, so the men's AUC is undefined
      expect(sex.groups[1]).toMatchObject({ positives: 0, auc: null, reason: 'no-positives' })
      expect(sex.groups[0]!.auc).toBe(auc(pick(y, f), pick(s, f)))
      expect(sex.tests[0]).toMatchObject({ a: 'F', b: 'M', p: null, reason: 'no-positives' })
      const age = r.findings[0]!.subgroups![1]!
      expect(age.groups.map((g) => g.group)).toEqual([
        '0-17',
        '18-39',
        '40-59',
        '60-79',
        '80+',
        'unknown',
      ])
      const rows = r.hiddenStratification.filter((h) => h.by === 'age-band')
      expect(rows).toHaveLength(6)
      const band = range(40).filter((i) => i >= 15 && i < 25) // ages 40-58
      const rest = range(40).filter((i) => !(i >= 15 && i < 25))
      const t = delongUnpairedTest(
        { labels: pick(y, band), scores: pick(s, band) },
        { labels: pick(y, rest), scores: pick(s, rest) },
      )
      const row = rows.find((h) => h.group === '40-59')!
      expect(row).toMatchObject({ finding: 'Mass', n: 10, restN: 30 })
      expect(row.p).toBe(t.p)
      expect(row.flagged).toBe(t.p < 0.05)
      expect(row.pHolm).toBeGreaterThanOrEqual(row.p!)
      expect(r.methods.subgroupTest).toMatch(/roc.test paired = FALSE/)
    })
    it('[M23] with two groups, each against the rest is one test, counted once by Holm', async () => {
      const r = await evaluateModel(
        store,
        asWritten({ model: 'm', findings: ['Nodule'], by: ['sex'] }),
      )
      const [f, m] = r.hiddenStratification
      expect(f!.p).not.toBeNull()
      expect(m!.p).toBeCloseTo(f!.p!, 15)
      expect(f!.pHolm).toBe(f!.p)
      expect(m!.pHolm).toBe(f!.p)
      expect(f!.difference).toBeCloseTo(-m!.difference!, 15)
    })
  })

  describe('evaluateModel against a reader', () => {
    it('[M8] only the images the reader judged count; uncertain and withdrawn are left out', async () => {
      const r = await evaluateModel(store, asWritten({ model: 'm', against: 'ann' }))
      expect(r.readers).toEqual(['ann'])
      expect(r.findings.map((f) => f.finding)).toEqual(['Mass'])
      const f = r.findings[0]!
      // judged: 0-17 and 19 (18 withdrawn); 16 and 17 uncertain
      expect(f).toMatchObject({ judged: 19, excludedUncertain: 2, n: 17, notPredicted: 0 })
      const idx = [...range(16), 19]
      const truth = idx.map((i) =>
        i === 19 ? 0 : i < 10 ? fx.labels['Mass']![i]! : 1 - fx.labels['Mass']![i]!,
      )
      expect(f.positives).toBe(truth.filter((v) => v === 1).length)
      expect(f.auc).toBe(auc(truth, pick(fx.scores['Mass']!, idx)))
    })

    it('[M16] --compare-original: the original labels on the same images, and the difference', async () => {
      const r = await evaluateModel(
        store,
        asWritten({
          model: 'm',
          against: 'ann',
          compareOriginal: true,
          replicates: 200,
        }),
      )
      const f = r.findings[0]!
      const idx = [...range(16), 19]
      expect(f.original).toMatchObject({ n: 17, excludedUncertain: 0 })
      expect(f.original!.auc).toBe(
        auc(pick(fx.labels['Mass']!, idx), pick(fx.scores['Mass']!, idx)),
      )
      expect(f.comparison!.difference).toBeCloseTo(f.auc! - f.original!.auc!, 15)
      expect(f.comparison!.replicates + f.comparison!.undefinedReplicates).toBe(200)
    })

    it('[M8] consensus:A,B,C: the majority per image, ties uncertain', async () => {
      const r = await evaluateModel(
        store,
        asWritten({ model: 'm', against: 'consensus:bob,cid,ann' }),
      )
      const f = r.findings[0]!
      expect(r.readers).toEqual(['bob', 'cid', 'ann'])
      // image 0: present x3; 1: bob present, cid absent, ann (label 0) absent -> absent;
      // 2: bob absent, cid present, ann absent -> absent; the rest ann alone
      expect(f.judged).toBe(19)
      const two = await evaluateModel(
        store,
        asWritten({ model: 'm', against: 'consensus:bob,cid' }),
      )
      // 0 present; 1 and 2 ties -> uncertain
      expect(two.findings[0]).toMatchObject({ judged: 3, excludedUncertain: 2, n: 1, auc: null })
      // a member ending in * stands for every reader whose name starts with what precedes it
      const star = await evaluateModel(
        store,
        asWritten({ model: 'm', against: 'consensus:bo*,ci*' }),
      )
      expect(star.readers).toEqual(['bob', 'cid'])
      expect(star.findings[0]).toMatchObject({ judged: 3, excludedUncertain: 2 })
      await expect(
        evaluateModel(store, asWritten({ model: 'm', against: 'consensus:zz*' })),
      ).rejects.toThrow(/no reader matches/)
    })

    it('[M21] tag:NAME splits reviewed images by whether any reader has the tag on now', async () => {
      const r = await evaluateModel(
        store,
        asWritten({
          model: 'm',
          findings: ['Mass'],
          by: ['tag:chest drain'],
        }),
      )
      const s = r.findings[0]!.subgroups![0]!
      // reviewed: images with a current verdict (0-17, 19) or tag; tagged now: 0 and 3 (5 was
      // untagged)
      expect(s.groups.map((g) => [g.group, g.n])).toEqual([
        ['chest drain', 2],
        ['no chest drain', 17],
      ])
      // image 18's only verdict was withdrawn: nobody has a judgement on it now
      expect(s.leftOut).toBe(21)
    })

    it('[M6] bad names are StoreErrors (exit 2), naming what exists', async () => {
      // the option grammar (threshold, by, against) is parsed at the edge: core's parseModelOptions
      const nope = evaluateModel(store, { model: 'nope' })
      await expect(nope).rejects.toThrow(StoreError)
      await expect(nope).rejects.toThrow(/no model "nope" \(there is "m"\)/)
      await expect(evaluateModel(store, asWritten({ model: 'm', against: 'zed' }))).rejects.toThrow(
        /no reader "zed"/,
      )
      await expect(evaluateModel(store, { model: 'm', findings: ['Edema'] })).rejects.toThrow(
        /unknown finding "Edema"/,
      )
      await expect(evaluateModel(store, { model: 'm', compareOriginal: true })).rejects.toThrow(
        /--against READER/,
      )
      await expect(
        evaluateModel(store, asWritten({ model: 'm', against: 'bob', findings: ['Nodule'] })),
      ).resolves.toMatchObject({
        findings: [{ finding: 'Nodule', n: 0, auc: null, reason: 'empty' }],
      })
    })
  })

  describe('storing predictions', () => {
    it('[M7] the same model name is refused without replace; replace keeps the id and swaps the scores', async () => {
      const { model } = await findModel(store.db, 'm')
      const input = {
        datasetId: fx.datasetId,
        model: 'm',
        findingIds: [fx.finding['Mass']!],
        rows: fx.image.map((imageId, i) => ({ imageId, scores: [1 - fx.scores['Mass']![i]!] })),
        source: { ...model.source!, file: 'other.csv' },
      }
      await expect(writePredictions(store, { ...input, replace: false })).rejects.toThrow(
        /--replace/,
      )
      const other = await makeModelFixture(store, 'second')
      const { model: first } = await findModel(store.db, 'm', 'second')
      const replaced = await writePredictions(store, {
        ...input,
        datasetId: other.datasetId,
        findingIds: [other.finding['Mass']!],
        rows: other.image.map((imageId, i) => ({
          imageId,
          scores: [1 - other.scores['Mass']![i]!],
        })),
        replace: true,
      })
      expect(replaced.modelId).toBe(first.id)
      expect(replaced.replaced).toBe(true)
      await expect(findModel(store.db, 'm')).rejects.toThrow(/several datasets have a model "m"/)
      const { model: again } = await findModel(store.db, 'm', 'second')
      expect(again.source?.file).toBe('other.csv')
      expect((await listModels(store.db)).map((x) => x.dataset)).toEqual(['fixture', 'second'])
      const r = await evaluateModel(store, { model: 'm', dataset: 'second' })
      expect(r.findings.map((f) => f.finding)).toEqual(['Mass'])
      expect(r.findings[0]!.auc).toBeCloseTo(
        1 - auc(other.labels['Mass']!, other.scores['Mass']!),
        12,
      )
    })

    it('[M7] a failed write leaves the predictions as they were', async () => {
      const before = await evaluateModel(store, {
        model: 'm',
        dataset: 'fixture',
        findings: ['Mass'],
      })
      await expect(
        writePredictions(store, {
          datasetId: fx.datasetId,
          model: 'm',
          findingIds: [fx.finding['Mass']!],
          rows: [{ imageId: 999_999, scores: [0.5] }],
          replace: true,
          source: before as never,
        }),
      ).rejects.toThrow()
      const after = await evaluateModel(store, {
        model: 'm',
        dataset: 'fixture',
        findings: ['Mass'],
      })
      expect(after.findings[0]!.auc).toBe(before.findings[0]!.auc)
    })
  })
})
