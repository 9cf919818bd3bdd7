import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  StoreError,
  ensureReader,
  findDataset,
  labelAccuracy,
  listFindings,
  now,
  readerAgreement,
  type FindingAccuracy,
} from '@cxr-audit/store'
import golden from '../../core/src/labels/golden/google-validation.json' with { type: 'json' }
import { importCxr14 } from './cxr14-import.ts'
import { exportLabels } from './labels-export.ts'
import { importLabels } from './labels-import.ts'
import { GOOGLE, METADATA } from './labels-test-fixture.ts'
import { DIALECTS, tempStore } from './test-helpers.ts'
import { imageIdMap } from '@cxr-audit/store'
import { addTags, addVerdicts, insertAudit, positiveImages, reader } from '@cxr-audit/store/testing'

type Golden = (typeof golden.adjudicated)['Pneumothorax']
const FINDINGS = ['Pneumothorax', 'Opacity', 'Nodule/Mass'] as const

const close = (a: number | null | undefined, b: number | null | undefined): void => {
  if (b === null || b === undefined) expect(a).toBeNull()
  else expect(Math.abs((a as number) - b)).toBeLessThanOrEqual(1e-9)
}

/** Every count and proportion of a row against the golden script (Wilson or Clopper-Pearson). */
function expectGolden(row: FindingAccuracy, g: Golden, ci: 'wilson' | 'clopperPearson'): void {
  for (const k of [
    'labelledPositive',
    'present',
    'absent',
    'uncertain',
    'labelledNegative',
    'negativePresent',
    'negativeAbsent',
    'negativeUncertain',
  ] as const)
    expect(row[k], k).toBe(g[k])
  for (const k of ['ppv', 'ppvLenient', 'npv', 'sensitivity', 'specificity'] as const) {
    close(row[k], g[k].value)
    close(row[`${k}Low`], g[k][ci][0])
    close(row[`${k}High`], g[k][ci][1])
  }
}

describe.each(DIALECTS)(
  'label statistics on the real NIH 2020 metadata and Google files (%s)',
  (kind) => {
    let t: Awaited<ReturnType<typeof tempStore>>
    beforeAll(async () => {
      t = await tempStore(kind)
      await importCxr14(t.store, { metadata: METADATA })
      await importLabels(t.store, { file: GOOGLE.adjudicated, reader: 'google' })
      await importLabels(t.store, { file: GOOGLE.readers, reader: 'gr', readerColumn: 'Reader ID' })
    })
    afterAll(async () => t.cleanup())

    it('[L3] [L4] [L5] NIH labels against the adjudicated labels equal the golden script (Wilson)', async () => {
      const r = await labelAccuracy(t.store.db, { reader: reader('google') })
      expect([r.reader, r.ci, r.confidence]).toEqual(['google', 'wilson', 0.95])
      expect(r.findings.map((f) => f.finding)).toEqual([...FINDINGS])
      for (const f of r.findings)
        expectGolden(f, golden.adjudicated[f.finding as (typeof FINDINGS)[number]], 'wilson')
    })

    it('[L5] and with Clopper-Pearson intervals', async () => {
      const r = await labelAccuracy(t.store.db, { reader: reader('google'), ci: 'clopper-pearson' })
      for (const f of r.findings)
        expectGolden(
          f,
          golden.adjudicated[f.finding as (typeof FINDINGS)[number]],
          'clopperPearson',
        )
    })

    it('[L6] [L8] published precision for labelled findings only; Fracture reported as having no counterpart', async () => {
      const r = await labelAccuracy(t.store.db, { reader: reader('google') })
      const [ptx, opacity] = r.findings
      expect([ptx!.publishedPrecision, ptx!.publishedSource]).toEqual([
        0.943,
        expect.stringMatching(/Wang/),
      ])
      expect([opacity!.derived, opacity!.publishedPrecision, opacity!.from]).toEqual([
        true,
        null,
        ['Atelectasis', 'Pneumonia', 'Consolidation', 'Infiltration'],
      ])
      expect(r.noCounterpart).toEqual([
        expect.objectContaining({ finding: 'Fracture', file: 'validation_labels.csv' }),
      ])
    })

    it('[L7] the consensus of the individual readers equals the golden plurality vote', async () => {
      const r = await labelAccuracy(t.store.db, { reader: reader('consensus:gr:*') })
      expect(r.consensus).toBe(true)
      expect(r.readers).toHaveLength(13)
      for (const f of r.findings)
        expectGolden(f, golden.consensus[f.finding as (typeof FINDINGS)[number]], 'wilson')
    })

    it('[L8] --finding narrows (by any spelling); an unknown finding is refused, naming the known', async () => {
      const r = await labelAccuracy(t.store.db, {
        reader: reader('google'),
        findings: ['nodule or mass'],
      })
      expect(r.findings.map((f) => f.finding)).toEqual(['Nodule/Mass'])
      expect(r.noCounterpart).toEqual([])
      const none = await labelAccuracy(t.store.db, {
        reader: reader('google'),
        findings: ['Hernia'],
      })
      expect([none.findings[0]!.judged, none.findings[0]!.ppv]).toEqual([0, null])
      const fracture = await labelAccuracy(t.store.db, {
        reader: reader('google'),
        findings: ['Fracture'],
      })
      expect([fracture.findings, fracture.noCounterpart.map((n) => n.finding)]).toEqual([
        [],
        ['Fracture'],
      ])
      await expect(
        labelAccuracy(t.store.db, { reader: reader('google'), findings: ['Lung cancer'] }),
      ).rejects.toThrow(/unknown finding "Lung cancer" \(known: Atelectasis/)
      await expect(labelAccuracy(t.store.db, { reader: reader('nobody') })).rejects.toThrow(
        StoreError,
      )
    })

    it('[L9] [L10] --by view splits every count, and names the test of difference', async () => {
      const r = await labelAccuracy(t.store.db, { reader: reader('google'), by: { kind: 'view' } })
      expect(r.by).toBe('view')
      for (const f of r.findings) {
        const groups = f.subgroups!
        expect(groups.map((g) => g.group)).toEqual(['AP', 'PA'])
        expect(groups.reduce((s, g) => s + g.labelledPositive, 0)).toBe(f.labelledPositive)
        expect(groups.reduce((s, g) => s + g.negativeAbsent, 0)).toBe(f.negativeAbsent)
        expect(f.subgroupTest!.ppv.method).toBe('fisher-exact')
        expect(f.subgroupTest!.ppv.p).toBeGreaterThan(0)
      }
      const age = await labelAccuracy(t.store.db, {
        reader: reader('google'),
        by: { kind: 'age-band' },
        findings: ['Opacity'],
      })
      expect(age.findings[0]!.subgroups!.map((g) => g.group)).toEqual([
        '0-17',
        '18-39',
        '40-59',
        '60-79',
        '80+',
      ])
      expect(age.findings[0]!.subgroupTest!.ppv).toMatchObject({ method: 'chi-square', df: 4 })
    })

    it('[L9] --by tag:NAME groups the images any reader tagged', async () => {
      const rad = await ensureReader(t.store.db, 'rad', 'person')
      const ds = await findDataset(t.store.db)
      const images = [
        ...(await imageIdMap(t.store.db, ds.id, ['00000119_001.png', '00000134_000.png'])).values(),
      ].map((id) => ({ id }))
      await addTags(
        t.store,
        images.map((im) => ({
          clientEventId: `tag-test-${im.id}`,
          readerId: rad.id,
          auditId: null,
          imageId: im.id,
          tag: 'Chest drain',
          on: true,
          createdAt: now(),
        })),
      )
      const r = await labelAccuracy(t.store.db, {
        reader: reader('google'),
        by: { kind: 'tag', tag: 'chest drain' },
        findings: ['Opacity'],
      })
      const groups = r.findings[0]!.subgroups!
      expect(groups.map((g) => [g.group, g.judged])).toEqual([
        ['tagged', 2],
        ['untagged', 2412],
      ])
    })

    it('[L11] [L12] [L14] agreement of the individual readers through the store equals the golden script', async () => {
      const r = await readerAgreement(t.store.db, { readerPrefix: 'gr:', replicates: 50 })
      expect(r.readers).toEqual(golden.readers.map((id) => `gr:${id}`))
      expect(r.findings.map((f) => f.finding)).toEqual([...FINDINGS])
      for (const f of r.findings) {
        const g = golden.agreement[f.finding as (typeof FINDINGS)[number]]
        close(f.fleissKappa, g.varying.kappa)
        f.pairs.forEach((p, i) => close(p.cohenKappa, g.pairs[i]!.cohenKappa))
      }
      await expect(readerAgreement(t.store.db, { readers: ['google'] })).rejects.toThrow(
        /at least two/,
      )
      await expect(readerAgreement(t.store.db, { readerPrefix: 'zz' })).rejects.toThrow(
        /starts with "zz"/,
      )
    })

    it('[L21] an audit counts only its sample, with the label it drew, and its own verdicts', async () => {
      const ds = await findDataset(t.store.db)
      const ptx = (await listFindings(t.store.db, ds.id)).find((f) => f.name === 'Pneumothorax')!
      const positives = (await positiveImages(t.store.db, ptx.id, { limit: 6 })).map((id) => ({
        id,
      }))
      const audit = {
        id: await insertAudit(t.store.db, {
          datasetId: ds.id,
          name: 'ptx check',
          seed: '42',
          plan: { findings: ['Pneumothorax'], positives: 6 },
          items: positives.map((p) => ({ imageId: p.id, findingId: ptx.id, labelled: 1 })),
        }),
      }
      const readers = [
        await ensureReader(t.store.db, 'ann', 'person'),
        await ensureReader(t.store.db, 'bob', 'person'),
      ]
      const marks = [
        ['present', 'absent', 'uncertain', 'present', 'present'],
        ['present', 'absent', 'absent', 'present', 'absent', 'present'],
      ] as const
      await addVerdicts(
        t.store,
        readers.flatMap((reader, r) =>
          marks[r]!.map((verdict, i) => ({
            clientEventId: `audit-test-${r}-${i}`,
            readerId: reader.id,
            auditId: audit.id,
            imageId: positives[i]!.id,
            findingId: ptx.id,
            verdict,
            createdAt: now(),
          })),
        ),
      )
      // ann leaves the sixth film unusable, so both pages are finished and count [L25]
      await addTags(t.store, [
        {
          clientEventId: 'audit-test-ann-unusable',
          readerId: readers[0]!.id,
          auditId: audit.id,
          imageId: positives[5]!.id,
          tag: 'image unusable',
          on: true,
          createdAt: now(),
        },
      ])
      const ann = await labelAccuracy(t.store.db, { auditId: audit.id, reader: reader('ann') })
      expect(ann.audit).toMatchObject({
        id: audit.id,
        name: 'ptx check',
        seed: '42',
        readers: ['ann', 'bob'],
      })
      expect(
        ann.findings.map((f) => [f.finding, f.labelledPositive, f.present, f.absent, f.uncertain]),
      ).toEqual([['Pneumothorax', 5, 3, 1, 1]])
      // without --reader: the consensus of the audit's readers; images 2 and 4 are ties
      // (uncertain), image 5 has only bob's read
      const both = await labelAccuracy(t.store.db, { auditId: audit.id })
      expect(both.reader).toBe('consensus:ann,bob')
      expect([
        both.findings[0]!.present,
        both.findings[0]!.absent,
        both.findings[0]!.uncertain,
      ]).toEqual([3, 1, 2])
      const agreement = await readerAgreement(t.store.db, { auditId: audit.id, replicates: 50 })
      expect(agreement.readers).toEqual(['ann', 'bob'])
      expect(agreement.findings[0]!).toMatchObject({
        finding: 'Pneumothorax',
        images: 5,
        reads: 10,
      })
      await expect(labelAccuracy(t.store.db, { auditId: 9999 })).rejects.toThrow(/no audit 9999/)
    })

    it('[L16] the long export re-imports to the same statistics', async () => {
      const out = join(t.dir, 'consensus-long.csv')
      const e = await exportLabels(t.store, {
        reader: reader('consensus:gr:*'),
        out,
        format: 'long',
      })
      expect(e.rows).toBe(3 * 2414)
      await importLabels(t.store, { file: out, reader: 'copy' })
      const strip = (r: Awaited<ReturnType<typeof labelAccuracy>>) => r.findings
      expect(strip(await labelAccuracy(t.store.db, { reader: reader('copy') }))).toEqual(
        strip(await labelAccuracy(t.store.db, { reader: reader('consensus:gr:*') })),
      )
      expect(readFileSync(out, 'utf8').split('\n')[0]).toBe(
        'Image Index,Finding,Reader,Verdict,Label,Tags,Time',
      )
    })

    it('[L15] the cxr14 export rewrites Finding Labels and re-imports as a dataset with those labels', async () => {
      const out = join(t.dir, 'google-cxr14.csv')
      const e = await exportLabels(t.store, { reader: reader('google'), out, format: 'cxr14' })
      expect([e.rows, e.derivedColumns]).toEqual([112120, ['Opacity', 'Nodule/Mass']])
      const g = golden.adjudicated
      // every NIH positive the experts judged absent is removed; Pneumothorax positives they found are added
      expect(e.changes['Pneumothorax']).toEqual({
        added: g.Pneumothorax.negativePresent,
        removed: g.Pneumothorax.absent,
      })
      const again = await importCxr14(t.store, { metadata: out, name: 'relabelled' })
      expect(again.findings).toEqual(e.positives)
      expect(again.images).toBe(112120)
      const lines = readFileSync(out, 'utf8').split('\n')
      // an image nobody judged keeps its line as NIH wrote it
      expect(lines[1]).toBe(
        '00000001_000.png,Cardiomegaly,0,1,57,M,PA,2682,2749,0.14300000000000002,0.14300000000000002,,',
      )
      // 00000134_000.png: NIH Infiltration; Google: airspace opacity present, so it stays
      expect(lines.find((l) => l.startsWith('00000134_000.png'))).toMatch(
        /^00000134_000\.png,Infiltration,.*,1,0$/,
      )
    })
  },
)
