import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { parseCsv } from '@cxr-audit/core'
import { importCxr14 } from '@cxr-audit/ingest'
import { deriveFinding, openStore } from '@cxr-audit/store'
import { sharedData } from '../../../../test-support/shared-data.ts'
import { runCli } from '../run-cli.ts'

export const METADATA = sharedData('cxr14/Data_Entry_2017_v2020.csv.gz')
export const PREDICTIONS = sharedData('predictions/densenet121-jrzech-test-preds.csv')

/** A film's NIH metadata, read straight from the file (no database). */
export interface MetaRow {
  readonly labels: readonly string[]
  readonly patient: string
}

let meta: Map<string, MetaRow> | undefined

/** The NIH metadata of every film, by image name. */
export function metadata(): Map<string, MetaRow> {
  meta ??= new Map(
    parseCsv(gunzipSync(readFileSync(METADATA)).toString('utf8'))
      .slice(1)
      .map((r) => [r.fields[0]!, { labels: r.fields[1]!.split('|'), patient: r.fields[3]! }]),
  )
  return meta
}

/**
 * A database with the full ChestX-ray14 metadata, the 216 shared films on disk, Opacity
 * derived, the films embedded by the real `cxr-audit embed` (ImageNet MobileNetV2) and the
 * DenseNet-121 predictions imported: what the learnability commands run on.
 */
export async function labDatabase(): Promise<{ dir: string; db: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'cxr-lab-'))
  const db = join(dir, 'lab.sqlite')
  const store = await openStore(db)
  try {
    const r = await importCxr14(store, { metadata: METADATA, images: [sharedData('cxr14/images')] })
    await deriveFinding(store.db, r.datasetId, 'Opacity', [
      'Atelectasis',
      'Pneumonia',
      'Consolidation',
      'Infiltration',
    ])
  } finally {
    await store.close()
  }
  for (const args of [
    ['embed', '--json'],
    ['import', 'predictions', '--file', PREDICTIONS, '--model', 'densenet', '--json'],
  ]) {
    const r = runCli([...args, '--db', db])
    if (r.code !== 0) throw new Error(`${args[0]} failed: ${r.stderr}`)
  }
  return { dir, db }
}
