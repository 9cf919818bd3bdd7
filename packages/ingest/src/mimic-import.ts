import { resolve } from 'node:path'
import {
  ProblemList,
  mimicFilmName,
  mimicKey,
  parseMimicLabels,
  parseMimicMetadata,
  parseMimicSplit,
  type ChexpertRecord,
  type RowError,
} from '@cxr-audit/core'
import { datasetItemKind, StoreError, type Store } from '@cxr-audit/store'
import type { ChexpertImportSummary } from './chexpert-import.ts'
import { BadRowsError, asFileError, listSkippedRows } from './cxr14-read.ts'
import { readText, scanImagesByKey } from './files.ts'
import { summariseLabelledItems, writeLabelledItems } from './labelled-items.ts'

export const DEFAULT_MIMIC_DATASET = 'MIMIC-CXR'

export interface MimicImportOptions {
  /** `mimic-cxr-2.0.0-metadata.csv(.gz)`: one row per film. */
  readonly metadata: string
  /** `mimic-cxr-2.0.0-chexpert.csv(.gz)` or `-negbio.csv(.gz)`: one row per study. */
  readonly labels: string
  /** `mimic-cxr-2.0.0-split.csv(.gz)`: train / validate / test per film. */
  readonly split?: string | undefined
  readonly images?: readonly string[] | undefined
  readonly name?: string | undefined
  readonly skipBadRows?: boolean | undefined
}

/**
 * What `cxr-audit import mimic --json` prints [DS8]: the fields of `import chexpert` [DS1]
 * counted per film (a study's labels count once for each of its films), and `labelledStudies`,
 * the studies of the label file that the metadata has.
 */
export interface MimicImportSummary extends ChexpertImportSummary {
  readonly labelledStudies: number
}

async function parse<T>(file: string, read: (file: string, text: string) => T): Promise<T> {
  try {
    return read(file, await readText(file))
  } catch (e) {
    throw asFileError(e)
  }
}

/**
 * Reads, checks and writes a MIMIC-CXR-JPG import [DS8]: the films of the metadata, each with
 * its study's labels (a study's labels apply to each of its films) and its split. Nothing is
 * written when a file has a bad row (unless --skip-bad-rows).
 */
export async function importMimic(
  store: Store,
  o: MimicImportOptions,
): Promise<MimicImportSummary> {
  const meta = await parse(o.metadata, parseMimicMetadata)
  const labels = await parse(o.labels, parseMimicLabels)
  const split = o.split === undefined ? null : await parse(o.split, parseMimicSplit)
  const errors: RowError[] = [...meta.errors, ...labels.errors, ...(split?.errors ?? [])]
  const problems = new ProblemList()
  const films = new Map(meta.rows.map((f) => [f.dicomId, f]))
  // a study's subject in the label file must be the subject the metadata gives it
  const subjectOf = new Map(meta.rows.map((f) => [f.study, f.subject]))
  for (const [study, s] of labels.rows) {
    const subject = subjectOf.get(study)
    if (subject !== undefined && subject !== s.subject)
      errors.push({
        file: o.labels,
        line: s.line,
        column: 'subject_id',
        message: `study ${study} is subject ${subject}'s in the metadata, not ${s.subject}'s`,
      })
  }
  if (errors.length > 0 && o.skipBadRows !== true) throw new BadRowsError(errors)
  listSkippedRows(problems, errors)
  for (const d of meta.duplicates)
    problems.add('duplicate-image', 'a dicom_id in two metadata rows (the first is kept)', d)
  for (const d of labels.duplicates)
    problems.add('duplicate-study', 'a study in two label rows (the first is kept)', d)
  for (const d of split?.duplicates ?? [])
    problems.add('duplicate-split-row', 'a dicom_id in two split rows (kept once)', d)
  for (const study of labels.rows.keys())
    if (!subjectOf.has(study))
      problems.add('unknown-study', 'a labelled study the metadata does not have (skipped)', study)
  for (const id of split?.rows.keys() ?? [])
    if (!films.has(id))
      problems.add('split-unknown-image', 'a split row for a film the metadata lacks', id)
  if (meta.rows.length === 0)
    throw new BadRowsError([
      { file: o.metadata, line: 2, column: null, message: 'no film to import' },
    ])
  const none = new Map<string, number>()
  const records: ChexpertRecord[] = meta.rows.map((f) => {
    const study = labels.rows.get(f.study)
    if (study === undefined)
      problems.add('unlabelled-study', 'a film whose study has no label row', f.dicomId)
    const splitOf = split?.rows.get(f.dicomId) ?? null
    if (split !== null && splitOf === null)
      problems.add('missing-split', 'a film the split file does not list', f.dicomId)
    const values = study?.labels ?? none
    return {
      name: mimicFilmName(f.subject, f.study, f.dicomId),
      patient: f.subject,
      study: f.study,
      split: splitOf,
      age: null,
      sex: '',
      view: f.view,
      followUp: null,
      width: f.width,
      height: f.height,
      spacingX: null,
      spacingY: null,
      labels: values,
      rawLabels: [...values].filter(([, v]) => v === 1).map(([k]) => k),
      line: f.line,
    }
  })
  let files: Map<string, string> | null = null
  let roots: string[] = []
  if (o.images !== undefined && o.images.length > 0) {
    const scan = await scanImagesByKey(o.images, (path) => {
      const key = mimicKey(path)
      return key?.kind === 'film' ? key.name : undefined
    })
    files = scan.files
    roots = scan.roots
  }
  const name = o.name ?? DEFAULT_MIMIC_DATASET
  const kind = await datasetItemKind(store.db, name)
  if (kind !== null && kind !== 'film')
    throw new StoreError(`the dataset "${name}" holds ${kind}s; MIMIC-CXR-JPG's items are films`)
  const input = {
    kind: 'film' as const,
    findings: labels.findings,
    records,
    errors,
    ignoredColumns: labels.ignoredColumns,
    files,
    roots,
    problems,
  }
  const datasetId = await writeLabelledItems(store, input, {
    name,
    sourceFormat: 'mimic',
    sources: {
      metadata: resolve(o.metadata),
      labels: resolve(o.labels),
      ...(o.split === undefined ? {} : { split: resolve(o.split) }),
      ...(files === null ? {} : { images: roots }),
    },
  })
  const studies = new Set(meta.rows.map((f) => f.study))
  return {
    ...summariseLabelledItems(input, name, datasetId),
    labelledStudies: [...labels.rows.keys()].filter((s) => studies.has(s)).length,
  }
}
