import { CXR14_FINDINGS, DEFAULT_DERIVED, NO_FINDING } from '@cxr-audit/core'
import {
  ensureFindings,
  LabelRows,
  markDatasetChanged,
  recordSourceFiles,
  openDatasetImport,
  syncBoxes,
  syncImages,
  syncImportProblems,
  syncLabels,
  type BoxRow,
  type Store,
  type Tx,
} from '@cxr-audit/store'
import type { Cxr14Input, Cxr14ImportOptions } from './cxr14-read.ts'
import { laps } from './laps.ts'
import { hashSourceFiles } from './source-hashes.ts'

/**
 * Writes a read CXR14 import in one transaction. Re-importing the same files leaves the database
 * as it was: images are matched by name and updated in place (their ids, and so every verdict,
 * stay); labels and boxes are replaced; a source not given this time (split lists, image
 * folders, boxes) keeps what an earlier import stored.
 */
export async function writeCxr14(
  store: Store,
  input: Cxr14Input,
  o: Cxr14ImportOptions,
  datasetName: string,
): Promise<{ datasetId: number; fresh: boolean }> {
  const lap = laps(o.onTiming)
  const files = await hashSourceFiles({
    metadata: o.metadata,
    bbox: o.bbox,
    trainList: o.trainList,
    testList: o.testList,
  })
  lap('write: hash sources')
  const written = await store.db.transaction().execute(async (tx) => {
    const dataset = await openDatasetImport(tx, {
      name: datasetName,
      sourceFormat: 'cxr14',
      sources: sourcesOf(o),
      roots: input.files === null ? null : input.roots,
    })
    await recordSourceFiles(tx, dataset.id, files)
    const findingIds = await cxr14Findings(tx, dataset.id)
    lap('write: dataset and findings')
    const images = await syncImages(store, tx, dataset.id, input, dataset.fresh)
    lap('write: images')
    const labels = new LabelRows()
    input.records.forEach((r, i) => {
      for (const [f, v] of r.labels) labels.push(images.ids[i]!, findingIds.get(f)!, v)
    })
    let changes = images.changes
    changes += await syncLabels(store, tx, dataset.id, labels, dataset.fresh)
    lap('write: labels')
    if (input.boxes !== null) {
      const boxes = input.boxes.map((b): BoxRow => [
        images.ids[input.indexOf.get(b.image)!]!,
        findingIds.get(b.finding)!,
        b.x,
        b.y,
        b.w,
        b.h,
      ])
      changes += await syncBoxes(store, tx, dataset.id, boxes)
      lap('write: boxes')
    }
    changes += await syncImportProblems(store, tx, dataset.id, input.problems.list())
    // a re-import that changed nothing keeps its date (caches key on imported_at)
    if (!dataset.fresh && changes > 0) await markDatasetChanged(tx, dataset.id)
    lap('write: problems')
    return { datasetId: dataset.id, fresh: dataset.fresh }
  })
  lap('write: commit')
  return written
}

/** The ids of a CXR14 dataset's findings by name, made where missing. */
export async function cxr14Findings(tx: Tx, datasetId: number): Promise<Map<string, number>> {
  const findingIds = await ensureFindings(tx, datasetId, CXR14_FINDINGS, DEFAULT_DERIVED)
  // after the derived ones, where migration 011 puts it in older databases
  for (const [n, id] of await ensureFindings(tx, datasetId, [NO_FINDING], [])) findingIds.set(n, id)
  return findingIds
}

export function sourcesOf(o: Cxr14ImportOptions): Record<string, unknown> {
  const s: Record<string, unknown> = { metadata: o.metadata }
  if (o.bbox !== undefined) s['bbox'] = o.bbox
  if (o.trainList !== undefined) s['trainList'] = o.trainList
  if (o.testList !== undefined) s['testList'] = o.testList
  if (o.images !== undefined && o.images.length > 0) s['images'] = o.images
  return s
}
