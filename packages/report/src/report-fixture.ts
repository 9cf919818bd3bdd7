import { readdirSync } from 'node:fs'
import { CXR14_FINDINGS, type Verdict } from '@cxr-audit/core'
import { importCxr14, importLabels, importPredictions } from '@cxr-audit/ingest'
import {
  auditSheetItems,
  createAudit,
  createGalleries,
  ensureReader,
  findDataset,
  listFindings,
  type Store,
} from '@cxr-audit/store'
import { addVerdicts } from '@cxr-audit/store/testing'
import { sharedData } from '../../../test-support/shared-data.ts'
import { GOOGLE, IMAGES, googleSubsetMetadata } from '../../ingest/src/labels-test-fixture.ts'

export const PREDICTIONS = sharedData('predictions/densenet121-jrzech-test-preds.csv')

/** The audits the report tests print: one finding, all fourteen, and (by name) a model. */
export interface ReportFixture {
  /** Effusion, six labelled positives, one reader, not blinded. */
  readonly oneFinding: number
  /** The fourteen CXR14 findings, positives and negatives, two readers, blinded. */
  readonly fourteen: number
}

/**
 * Real CXR14 metadata (Google's images and the shared images on disk), Google's labels as
 * readers `google` and `gr:*`, the DenseNet-121 predictions as model `densenet`, and two audits
 * drawn by the real sampler and marked by people at fixed times (reading time is part of the
 * methods).
 */
export async function buildReportFixture(store: Store, dir: string): Promise<ReportFixture> {
  const onDisk = new Set(readdirSync(IMAGES))
  await importCxr14(store, { metadata: googleSubsetMetadata(dir, 0, onDisk), images: [IMAGES] })
  await importLabels(store, { file: GOOGLE.adjudicated, reader: 'google' })
  await importLabels(store, { file: GOOGLE.readers, reader: 'gr', readerColumn: 'Reader ID' })
  await importPredictions(store, { file: PREDICTIONS, model: 'densenet' })
  const ds = await findDataset(store.db)
  const base = { filters: {}, onePerPatient: true }
  const one = await createAudit(store, {
    datasetId: ds.id,
    name: 'effusion check',
    plan: { ...base, findings: ['Effusion'], positives: 6, negatives: 0, seed: 7, blinded: false },
  })
  const all = await createAudit(store, {
    datasetId: ds.id,
    name: 'all findings',
    plan: {
      ...base,
      findings: [...CXR14_FINDINGS],
      positives: 3,
      negatives: 2,
      seed: 20240601,
      blinded: true,
      filters: { view: 'PA' },
    },
  })
  await mark(store, one.audit.id, ['dr a'], 0)
  await mark(store, all.audit.id, ['dr a', 'dr b'], 1)
  // the model's false positives on Effusion, reviewed by dr a; its true positives not yet
  const galleries = await createGalleries(store, {
    model: 'densenet',
    finding: 'Effusion',
    cells: ['fp', 'tp'],
    size: 6,
    seed: 3,
  })
  await mark(store, galleries.galleries[0]!.audit!.id, ['dr a'], 0)
  return { oneFinding: one.audit.id, fourteen: all.audit.id }
}

/** Every item marked by each reader, 20 s apart, in a pattern that gives red and orange cases. */
async function mark(
  store: Store,
  auditId: number,
  readers: string[],
  shift: number,
): Promise<void> {
  const ds = await findDataset(store.db)
  const findings = await listFindings(store.db, ds.id)
  let t = Date.parse('2026-01-05T09:00:00.000Z')
  for (const [r, name] of readers.entries()) {
    const reader = await ensureReader(store.db, name, 'person')
    const events = []
    for (const f of findings) {
      const items = await auditSheetItems(store.db, auditId, f.id, 0, null)
      for (const [i, it] of items.entries()) {
        const k = i + r + shift
        const verdict: Verdict =
          it.labelled === 1
            ? (['absent', 'present', 'uncertain', 'present'] as const)[k % 4]!
            : k % 3 === 0
              ? 'present'
              : 'absent'
        t += 20_000
        events.push({
          clientEventId: `fixture-${auditId}-${name}-${f.id}-${it.imageId}`,
          readerId: reader.id,
          auditId,
          imageId: it.imageId,
          findingId: f.id,
          verdict,
          createdAt: new Date(t).toISOString(),
        })
      }
    }
    await addVerdicts(store, events)
  }
}
