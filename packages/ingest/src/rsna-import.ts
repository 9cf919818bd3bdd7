import { resolve } from 'node:path'
import {
  ProblemList,
  RSNA_FINDING,
  parseRsnaClassInfo,
  parseRsnaLabels,
  type ImageRecord,
  type Problem,
} from '@cxr-audit/core'
import {
  ensureFindings,
  LabelRows,
  markDatasetChanged,
  openDatasetImport,
  syncBoxes,
  syncImages,
  syncImportProblems,
  syncLabels,
  type BoxRow,
  type Store,
} from '@cxr-audit/store'
import { BadRowsError, asFileError, listSkippedRows } from './cxr14-read.ts'
import { readText, scanImageFolders } from './files.ts'

export const DEFAULT_RSNA_DATASET = 'RSNA Pneumonia'
const NOT_NORMAL = 'No Lung Opacity / Not Normal'
const NORMAL = 'Normal'

export interface RsnaImportOptions {
  /** `stage_2_train_labels.csv` (plain or .gz). */
  readonly labels: string
  /** `stage_2_detailed_class_info.csv`: adds the findings Normal and Not Normal. */
  readonly classInfo?: string | undefined
  /** Folders of `<patientId>.dcm`. */
  readonly images?: readonly string[] | undefined
  readonly name?: string | undefined
  readonly skipBadRows?: boolean | undefined
}

/** What `cxr-audit import rsna --json` prints [DS7]. */
export interface RsnaImportSummary {
  readonly dataset: string
  readonly datasetId: number
  readonly images: number
  readonly patients: number
  /** Films with a box (Target 1), per finding; with --class-info also Normal and Not Normal. */
  readonly findings: Record<string, number>
  readonly boxes: number
  readonly imagesOnDisk: number
  readonly skippedRows: number
  readonly problems: Problem[]
}

/** Reads, checks and writes an RSNA Pneumonia import in one transaction [DS7]. */
export async function importRsna(store: Store, o: RsnaImportOptions): Promise<RsnaImportSummary> {
  let table
  try {
    table = parseRsnaLabels(o.labels, await readText(o.labels))
  } catch (e) {
    throw asFileError(e)
  }
  const problems = new ProblemList()
  const errors = [...table.errors]
  let classes: Map<string, string> | null = null
  if (o.classInfo !== undefined) {
    try {
      const info = parseRsnaClassInfo(o.classInfo, await readText(o.classInfo))
      classes = info.classes
      errors.push(...info.errors)
    } catch (e) {
      throw asFileError(e)
    }
  }
  if (errors.length > 0 && o.skipBadRows !== true) throw new BadRowsError(errors)
  listSkippedRows(problems, errors)
  for (const d of table.duplicates) problems.add('duplicate-row', 'a row repeated (kept once)', d)
  let records: ImageRecord[] = table.records
  const findings = [RSNA_FINDING]
  if (classes !== null) {
    findings.push(NOT_NORMAL, NORMAL)
    const known = new Set(records.map((r) => r.name))
    for (const p of classes.keys())
      if (!known.has(p))
        problems.add('class-info-unknown-image', 'class info for a film the labels lack', p)
    records = records.map((r) => {
      const cls = classes!.get(r.name)
      if (cls === undefined) return r
      if ((cls === RSNA_FINDING) !== (r.labels.get(RSNA_FINDING) === 1))
        problems.add(
          'class-info-disagrees',
          'the class says Lung Opacity and the Target does not (or the reverse)',
          `${r.name} (${cls})`,
        )
      const labels = new Map(r.labels)
      labels.set(NOT_NORMAL, cls === NOT_NORMAL ? 1 : 0)
      labels.set(NORMAL, cls === NORMAL ? 1 : 0)
      return { ...r, labels, rawLabels: [...r.rawLabels, ...(cls === RSNA_FINDING ? [] : [cls])] }
    })
  }
  let files: Map<string, string> | null = null
  let roots: string[] = []
  if (o.images !== undefined && o.images.length > 0) {
    const scan = await scanImageFolders(o.images)
    roots = scan.roots
    files = new Map()
    for (const [file, path] of scan.files) files.set(file.replace(/\.(dcm|dicom)$/i, ''), path)
  }
  const name = o.name ?? DEFAULT_RSNA_DATASET
  const datasetId = await store.db.transaction().execute(async (tx) => {
    const dataset = await openDatasetImport(tx, {
      name,
      sourceFormat: 'rsna',
      sources: {
        labels: resolve(o.labels),
        ...(o.classInfo === undefined ? {} : { classInfo: resolve(o.classInfo) }),
        ...(files === null ? {} : { images: roots }),
      },
      roots: files === null ? null : roots,
    })
    const ids = await ensureFindings(tx, dataset.id, findings, [])
    const images = await syncImages(
      store,
      tx,
      dataset.id,
      { records, splits: null, files },
      dataset.fresh,
    )
    const labels = new LabelRows()
    records.forEach((r, i) => {
      for (const [f, v] of r.labels) labels.push(images.ids[i]!, ids.get(f)!, v)
    })
    const index = new Map(records.map((r, i) => [r.name, i]))
    const boxes = table.boxes.map((b): BoxRow => [
      images.ids[index.get(b.image)!]!,
      ids.get(RSNA_FINDING)!,
      b.x,
      b.y,
      b.w,
      b.h,
    ])
    let changes = images.changes
    changes += await syncLabels(store, tx, dataset.id, labels, dataset.fresh)
    changes += await syncBoxes(store, tx, dataset.id, boxes)
    changes += await syncImportProblems(store, tx, dataset.id, problems.list())
    if (!dataset.fresh && changes > 0) await markDatasetChanged(tx, dataset.id)
    return dataset.id
  })
  const counts: Record<string, number> = Object.fromEntries(findings.map((f) => [f, 0]))
  for (const r of records) for (const [f, v] of r.labels) if (v === 1) counts[f] = counts[f]! + 1
  return {
    dataset: name,
    datasetId,
    images: records.length,
    patients: records.length,
    findings: counts,
    boxes: table.boxes.length,
    imagesOnDisk: files === null ? 0 : records.filter((r) => files!.has(r.name)).length,
    skippedRows: errors.length,
    problems: problems.list(),
  }
}
