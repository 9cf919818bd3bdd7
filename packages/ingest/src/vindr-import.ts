import { resolve } from 'node:path'
import {
  ProblemList,
  majorityVerdict,
  parseVindr,
  type Problem,
  type Verdict,
} from '@cxr-audit/core'
import {
  datasetItemKind,
  syncBoxes,
  syncReaderBoxes,
  StoreError,
  type BoxRow,
  type ReaderBoxRow,
  type Store,
} from '@cxr-audit/store'
import { BadRowsError, asFileError, listSkippedRows } from './cxr14-read.ts'
import { filesSha256, writeSourceReaders, type SourceRead } from './dataset-readers.ts'
import { readText, scanImageFolders } from './files.ts'
import { writeLabelledItems, type LabelledRecord } from './labelled-items.ts'

export const DEFAULT_VINDR_DATASET = 'VinDr-CXR'

export interface VindrImportOptions {
  /** `annotations_train.csv` (boxes) or `image_labels_train.csv` (0/1 per film and reader). */
  readonly file: string
  /** Folders of `<image_id>.dicom` (or .dcm, .png, .jpg). */
  readonly images?: readonly string[] | undefined
  readonly name?: string | undefined
  /** Readers are `<prefix>:<rad_id>`; default the dataset name. */
  readonly readerPrefix?: string | undefined
  readonly skipBadRows?: boolean | undefined
}

/** What `cxr-audit import vindr --json` prints [DS10]. */
export interface VindrImportSummary {
  readonly dataset: string
  readonly datasetId: number
  readonly layout: 'boxes' | 'labels'
  readonly images: number
  readonly readers: string[]
  /** Films read, summed over readers (a radiologist with any row for a film read it). */
  readonly reads: number
  /** Films where a majority of their readers found the class. */
  readonly findings: Record<string, number>
  /** Films where the readers tie on the class (stored as uncertain). */
  readonly uncertain: Record<string, number>
  readonly boxes: number
  /** Verdicts written for the readers (every class of every film each one read). */
  readonly verdicts: number
  readonly imagesOnDisk: number
  readonly skippedRows: number
  readonly problems: Problem[]
}

const VALUE: Record<Verdict, number> = { present: 1, absent: 0, uncertain: -1 }

/**
 * Reads, checks and writes a VinDr-CXR import [DS10]: each radiologist becomes reader
 * `<prefix>:<rad_id>` who read the whole film (present for each class they marked, absent for
 * the others) with their boxes; the original labels are the majority of each film's readers
 * (a tie is uncertain). Everything is written in one transaction, or nothing.
 */
export async function importVindr(
  store: Store,
  o: VindrImportOptions,
): Promise<VindrImportSummary> {
  let table
  try {
    table = parseVindr(o.file, await readText(o.file))
  } catch (e) {
    throw asFileError(e)
  }
  if (table.errors.length > 0 && o.skipBadRows !== true) throw new BadRowsError(table.errors)
  const problems = new ProblemList()
  listSkippedRows(problems, table.errors)
  for (const d of table.duplicates) problems.add('duplicate-row', 'a row repeated (kept once)', d)
  for (const c of table.unknownClasses)
    problems.add('unknown-class', "a class that is not one of VinDr-CXR's (imported)", c)
  for (const c of table.contradictions)
    problems.add('no-finding-and-finding', 'a reader gave No finding and a finding on one film', c)
  if (table.films.length === 0)
    throw new BadRowsError([{ file: o.file, line: 2, column: null, message: 'no film to import' }])
  const name = o.name ?? DEFAULT_VINDR_DATASET
  const prefix = o.readerPrefix ?? name
  const findings = table.findings
  const zero = (): Record<string, number> => Object.fromEntries(findings.map((f) => [f, 0]))
  const counts = zero()
  const uncertain = zero()
  const reads: SourceRead[] = []
  let readCount = 0
  const records: LabelledRecord[] = table.films.map((film, i) => {
    const labels = new Map<string, number>()
    for (const f of findings) {
      const verdicts: Verdict[] = []
      for (const [rad, classes] of film.reads) {
        const verdict: Verdict = classes.has(f) ? 'present' : 'absent'
        verdicts.push(verdict)
        reads.push({ reader: `${prefix}:${rad}`, record: i, finding: f, verdict })
      }
      const v = majorityVerdict(verdicts)!
      labels.set(f, VALUE[v])
      if (v === 'present') counts[f]!++
      if (v === 'uncertain') uncertain[f]!++
    }
    readCount += film.reads.size
    return {
      name: film.image,
      patient: film.image,
      study: null,
      split: null,
      age: null,
      sex: '',
      view: '',
      followUp: null,
      width: null,
      height: null,
      spacingX: null,
      spacingY: null,
      labels,
      rawLabels: [...new Set([...film.reads.values()].flatMap((c) => [...c]))],
      line: film.line,
    }
  })
  let files: Map<string, string> | null = null
  let roots: string[] = []
  if (o.images !== undefined && o.images.length > 0) {
    const scan = await scanImageFolders(o.images)
    roots = scan.roots
    files = new Map()
    for (const [file, path] of scan.files)
      files.set(file.replace(/\.(dicom|dcm|png|jpe?g)$/i, ''), path)
  }
  const kind = await datasetItemKind(store.db, name)
  if (kind !== null && kind !== 'film')
    throw new StoreError(`the dataset "${name}" holds ${kind}s; VinDr-CXR's items are films`)
  const sha256 = await filesSha256([o.file])
  const index = new Map(records.map((r, i) => [r.name, i]))
  const datasetId = await writeLabelledItems(
    store,
    {
      kind: 'film',
      findings,
      records,
      errors: table.errors,
      ignoredColumns: [],
      files,
      roots,
      problems,
    },
    {
      name,
      sourceFormat: 'vindr',
      sources: { labels: resolve(o.file), ...(files === null ? {} : { images: roots }) },
      also: async (tx, written) => {
        let changes = await writeSourceReaders(store, tx, written, {
          reads,
          names: records.map((r) => r.name),
          files: [o.file],
          sha256,
        })
        const at = (b: { image: string; finding: string }): [number, number] => [
          written.imageIds[index.get(b.image)!]!,
          written.findingIds.get(b.finding)!,
        ]
        changes += await syncBoxes(
          store,
          tx,
          written.datasetId,
          table.boxes.map((b): BoxRow => [...at(b), b.x, b.y, b.w, b.h]),
        )
        changes += await syncReaderBoxes(
          store,
          tx,
          written.datasetId,
          table.boxes.map((b): ReaderBoxRow => [
            `${prefix}:${b.reader}`,
            ...at(b),
            b.x,
            b.y,
            b.w,
            b.h,
          ]),
        )
        return changes
      },
    },
  )
  return {
    dataset: name,
    datasetId,
    layout: table.layout,
    images: records.length,
    readers: [...new Set(reads.map((r) => r.reader))].sort(),
    reads: readCount,
    findings: counts,
    uncertain,
    boxes: table.boxes.length,
    verdicts: reads.length,
    imagesOnDisk: files === null ? 0 : records.filter((r) => files!.has(r.name)).length,
    skippedRows: table.errors.length,
    problems: problems.list(),
  }
}
