import { importCxr14, importLabels, importPredictions } from '@cxr-audit/ingest'
import { openStore, type Store, type StoreKind } from '@cxr-audit/store'
import type { FastifyInstance } from 'fastify'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sharedData } from '../../../../test-support/shared-data.ts'
import { tempDatabase } from '../../../../test-support/temp-store.ts'
import { buildApp } from '../app.ts'

export const PREDICTIONS = 'predictions/densenet121-jrzech-test-preds.csv'
export const GOOGLE_ADJUDICATED = 'expert/google-four-findings/validation_labels.csv'
export const GOOGLE_READERS = 'expert/google-four-findings/validation_individual_readers.csv'

export interface ModelTestApp {
  readonly app: FastifyInstance
  readonly store: Store
  close(): Promise<void>
}

/**
 * The real thing in a database (a SQLite file or a `postgres://` URL): all of ChestX-ray14's 2020 metadata with the shared images
 * in place, the DenseNet-121 predictions as model "densenet", Google's adjudicated labels as
 * reader "google" and its radiologists as "google-reader:<id>".
 */
export async function buildModelStore(file: string): Promise<void> {
  const store = await openStore(file)
  try {
    await importCxr14(store, {
      metadata: sharedData('cxr14/Data_Entry_2017_v2020.csv.gz'),
      images: [sharedData('cxr14/images')],
    })
    await importPredictions(store, { file: sharedData(PREDICTIONS), model: 'densenet' })
    await importLabels(store, { file: sharedData(GOOGLE_ADJUDICATED), reader: 'google' })
    await importLabels(store, {
      file: sharedData(GOOGLE_READERS),
      reader: 'google-reader',
      readerColumn: 'Reader ID',
    })
  } finally {
    await store.close()
  }
}

/** That store behind a real app, driven with `inject`. */
export async function openModelTestApp(kind: StoreKind = 'sqlite'): Promise<ModelTestApp> {
  const dir = await mkdtemp(join(tmpdir(), 'cxr-wb-models-'))
  const file = await tempDatabase(kind, dir, 'models.sqlite')
  await buildModelStore(file)
  const store = await openStore(file)
  const app = await buildApp({ store, cacheDir: join(dir, 'cache'), loopbackOnly: true })
  return {
    app,
    store,
    async close() {
      await app.close()
      await store.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
