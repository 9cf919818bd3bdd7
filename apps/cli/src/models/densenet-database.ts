import { importCxr14 } from '@cxr-audit/ingest'
import { openStore, type StoreKind } from '@cxr-audit/store'
import { expect } from 'vitest'
import { sharedData } from '../../../../test-support/shared-data.ts'
import { tempDatabase } from '../../../../test-support/temp-store.ts'
import { runCli } from '../run-cli.ts'

export const PREDICTIONS = sharedData('predictions/densenet121-jrzech-test-preds.csv')
export const METADATA = sharedData('cxr14/Data_Entry_2017_v2020.csv.gz')
export const TEST_LIST = sharedData('cxr14/splits/test_list.txt')
export const TRAIN_LIST = sharedData('cxr14/splits/train_val_list.txt')

/**
 * A test database in `dir` with the real CXR14 metadata and split lists, and the real
 * DenseNet-121 predictions imported by the CLI as model "densenet"; returns its --db argument.
 */
export async function densenetDatabase(kind: StoreKind, dir: string): Promise<string> {
  const db = await tempDatabase(kind, dir, 'cli.sqlite')
  const store = await openStore(db)
  await importCxr14(store, { metadata: METADATA, trainList: TRAIN_LIST, testList: TEST_LIST })
  await store.close()
  const r = runCli([
    'import',
    'predictions',
    '--file',
    PREDICTIONS,
    '--model',
    'densenet',
    '--json',
    '--db',
    db,
  ])
  expect(r.code).toBe(0)
  return db
}
