import { DEFAULT_TAGS, cellOf, drawGallery, gallerySeedText } from '@cxr-audit/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS, tempStore } from '../../../test-support/temp-store.ts'
import { listAudits } from './audits.ts'
import { createGalleries, type GalleryPlan } from './model-gallery.ts'
import { makeModelFixture, type ModelFixture } from './model-fixture.ts'
import type { Store } from './store.ts'

describe.each(DIALECTS)('error galleries (%s)', (kind) => {
  let store: Store
  let fx: ModelFixture
  let cleanup: () => Promise<void>

  beforeAll(async () => {
    ;({ store, cleanup } = await tempStore(kind))
    fx = await makeModelFixture(store)
  })

  afterAll(() => cleanup())

  const name = (i: number): string => `img${String(i).padStart(2, '0')}.png`

  /** The images of a cell at a threshold, by the definition [M30], on disk (0-19) unless all. */
  function cell(c: string, threshold: number, all = false): number[] {
    return fx.image
      .map((_, i) => i)
      .filter(
        (i) =>
          (all || i < 20) &&
          cellOf(fx.labels['Mass']![i]!, fx.scores['Mass']![i]!, threshold) === c,
      )
  }

  describe('error galleries as audits', () => {
    it('[M30] [M31] [M32] each cell becomes an audit of its seeded draw, in drawn order', async () => {
      const r = await createGalleries(store, {
        model: 'm',
        finding: 'mass',
        threshold: { rule: 'fixed', value: 0.5 },
        seed: 4,
        size: 3,
      })
      expect(r).toMatchObject({ model: 'm', finding: 'Mass', seed: 4, size: 3, onDiskOnly: true })
      expect(r.threshold).toMatchObject({ rule: 'fixed', threshold: 0.5 })
      expect(r.galleries.map((g) => g.cell)).toEqual(['tp', 'fp', 'tn', 'fn'])
      for (const g of r.galleries) {
        const population = cell(g.cell, 0.5)
        expect(g.population).toBe(population.length)
        const want = drawGallery(population, name, 3, gallerySeedText(4, 'm', 'Mass', g.cell))
        expect(g.images.map((im) => im.image)).toEqual(want.map(name))
        expect(g.images.map((im) => im.labelled)).toEqual(want.map((i) => fx.labels['Mass']![i]))
      }
      const audits = await listAudits(store.db, fx.datasetId)
      const tp = r.galleries[0]!
      const audit = audits.find((a) => a.id === tp.audit!.id)!
      expect(audit.name).toBe('m Mass TP @0.5 seed 4')
      expect(audit.tags).toEqual([...DEFAULT_TAGS])
      expect(audit.blinded).toBe(false)
      expect(audit.findings).toEqual([expect.objectContaining({ name: 'Mass', items: tp.drawn })])
      const plan = audit.plan as unknown as {
        kind: string
        gallery: GalleryPlan
        findings: string[]
        positives: number
      }
      expect(plan.kind).toBe('model-gallery')
      expect(plan.findings).toEqual(['Mass'])
      expect(plan.positives).toBe(tp.drawn)
      expect(plan.gallery).toMatchObject({
        model: 'm',
        finding: 'Mass',
        cell: 'tp',
        size: 3,
        threshold: { rule: 'fixed', value: 0.5 },
      })
      expect(plan.gallery.scores).toEqual(tp.images.map((im) => im.score))
      const items = await store.db
        .selectFrom('audit_item')
        .select(['position', 'image_id', 'finding_id', 'labelled'])
        .where('audit_id', '=', tp.audit!.id)
        .orderBy('position')
        .execute()
      expect(items).toEqual(
        tp.images.map((im, position) => ({
          position,
          image_id: im.imageId,
          finding_id: fx.finding['Mass'],
          labelled: 1,
        })),
      )
    })

    it('[M32] the same gallery again returns the audit as it is; another gallery under the name is refused', async () => {
      const again = await createGalleries(store, {
        model: 'm',
        finding: 'Mass',
        threshold: { rule: 'fixed', value: 0.5 },
        seed: 4,
        size: 3,
        cells: ['tn'],
      })
      expect(again.galleries[0]!.audit).toMatchObject({
        name: 'm Mass TN @0.5 seed 4',
        created: false,
      })
      await createGalleries(store, {
        model: 'm',
        finding: 'Mass',
        cells: ['fn'],
        seed: 1,
        name: 'my sheet',
      })
      await expect(
        createGalleries(store, {
          model: 'm',
          finding: 'Mass',
          cells: ['fn'],
          seed: 2,
          name: 'my sheet',
        }),
      ).rejects.toThrow(/already exists: choose another --name/)
    })

    it('[M31] fewer images than the size: all of them, with a note; --include-missing widens the pool', async () => {
      const r = await createGalleries(store, {
        model: 'm',
        finding: 'Mass',
        threshold: { rule: 'fixed', value: 0.5 },
        cells: ['tp'],
        preview: true,
      })
      const tp = r.galleries[0]!
      expect(tp.population).toBe(cell('tp', 0.5).length)
      expect(tp.drawn).toBe(tp.population)
      expect(tp.notes[0]).toMatch(/only \d+ true positives: all of them/)
      expect(tp.audit).toBeNull()
      const wide = await createGalleries(store, {
        model: 'm',
        finding: 'Mass',
        threshold: { rule: 'fixed', value: 0.5 },
        cells: ['tp'],
        preview: true,
        includeMissing: true,
      })
      expect(wide.galleries[0]!.population).toBe(cell('tp', 0.5, true).length)
      expect(wide.onDiskOnly).toBe(false)
    })

    it('[M32] --preview creates nothing; an empty cell gets no audit; all empty is refused', async () => {
      const before = (await listAudits(store.db, fx.datasetId)).length
      await createGalleries(store, { model: 'm', finding: 'Mass', seed: 9, preview: true })
      expect((await listAudits(store.db, fx.datasetId)).length).toBe(before)
      // at a threshold above every score nothing is called positive: no tp, no fp
      const r = await createGalleries(store, {
        model: 'm',
        finding: 'Mass',
        threshold: { rule: 'fixed', value: 2 },
        cells: ['tp', 'tn'],
      })
      expect(r.galleries[0]).toMatchObject({ population: 0, audit: null })
      expect(r.galleries[0]!.notes[0]).toMatch(/no true positives on disk/)
      expect(r.galleries[1]!.audit?.created).toBe(true)
      await expect(
        createGalleries(store, {
          model: 'm',
          finding: 'Mass',
          threshold: { rule: 'fixed', value: 2 },
          cells: ['fp'],
        }),
      ).rejects.toThrow(/no false positives on disk/)
    })

    it('[M30] the threshold rule is placed against the original labels; bad input is refused', async () => {
      const r = await createGalleries(store, {
        model: 'm',
        finding: 'Mass',
        threshold: { rule: 'sensitivity', target: 1 },
        cells: ['fn'],
        preview: true,
      })
      expect(r.threshold).toMatchObject({ rule: 'sensitivity', sensitivity: 1, fn: 0 })
      expect(r.galleries[0]!.population).toBe(0)
      await expect(
        createGalleries(store, { model: 'm', finding: 'Hernia', preview: true }),
      ).rejects.toThrow(/cannot place the threshold for Hernia/)
      await expect(
        createGalleries(store, { model: 'm', finding: 'Mass', seed: -1 }),
      ).rejects.toThrow(/seed/)
      await expect(
        createGalleries(store, { model: 'm', finding: 'Mass', size: 0 }),
      ).rejects.toThrow(/size/)
    })
  })
})
