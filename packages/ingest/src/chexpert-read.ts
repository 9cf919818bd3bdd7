import { ChexpertParser, ProblemList, type ChexpertRecord, type RowError } from '@cxr-audit/core'
import { asFileError } from './cxr14-read.ts'
import { InputFileError, scanImagesByKey, streamText } from './files.ts'

/** Everything read from CheXpert label files, checked, before anything is written. */
export interface ChexpertInput {
  readonly kind: 'film' | 'study'
  readonly findings: string[]
  readonly records: ChexpertRecord[]
  readonly errors: RowError[]
  readonly ignoredColumns: string[]
  /** item name -> absolute path, or null when no image folder was given. */
  readonly files: Map<string, string> | null
  readonly roots: string[]
  readonly problems: ProblemList
}

/**
 * Reads one or more CheXpert label files of the same kind (e.g. train.csv and valid.csv, one
 * dataset with two splits) [DS1]. An item in two rows or two files keeps its first row.
 */
export async function readChexpert(
  files: readonly string[],
  images: readonly string[] | undefined,
  onProgress?: (stage: string, done: number, total: number) => void,
): Promise<ChexpertInput> {
  const problems = new ProblemList()
  const records: ChexpertRecord[] = []
  const errors: RowError[] = []
  const ignored = new Set<string>()
  const findings: string[] = []
  const seen = new Set<string>()
  let kind: 'film' | 'study' | null = null
  for (const file of files) {
    const parser = new ChexpertParser(file)
    let table
    try {
      await streamText(
        file,
        (t) => parser.push(t),
        (d, t) => onProgress?.('labels', d, t),
      )
      table = parser.end()
    } catch (e) {
      throw asFileError(e)
    }
    if (kind !== null && table.kind !== kind)
      throw new InputFileError(file, `its items are ${table.kind}s, the other file's ${kind}s`)
    kind = table.kind
    for (const f of table.findings) if (!findings.includes(f)) findings.push(f)
    for (const c of table.ignoredColumns) ignored.add(c)
    errors.push(...table.errors)
    for (const d of table.duplicates) listDuplicate(problems, d)
    for (const r of table.records) {
      if (files.length > 1 && seen.has(r.name)) {
        listDuplicate(problems, `${r.name} (${file}, line ${r.line})`)
        continue
      }
      if (files.length > 1) seen.add(r.name)
      records.push(r)
    }
  }
  listIgnoredColumns(problems, [...ignored])
  let found: Map<string, string> | null = null
  let roots: string[] = []
  if (images !== undefined && images.length > 0) {
    const scan = await scanChexpertImages(images)
    found = scan.files
    roots = scan.roots
  }
  return {
    kind: kind ?? 'film',
    findings,
    records,
    errors,
    ignoredColumns: [...ignored],
    files: found,
    roots,
    problems,
  }
}

/** A later row of an item already read (the first row is kept). */
export function listDuplicate(problems: ProblemList, where: string): void {
  problems.add('duplicate-image', 'the same item in two rows (the first row is kept)', where)
}

/** Columns that are neither metadata nor an observation, each once. */
export function listIgnoredColumns(problems: ProblemList, ignored: readonly string[]): void {
  if (ignored.length > 0)
    problems.addMany(
      'ignored-column',
      'a column that is neither metadata nor a CheXpert observation (not imported)',
      ignored.length,
      ignored,
    )
}

/**
 * The films under the given folders by their CheXpert name (`patientN/studyN/viewN_x.jpg`):
 * file names repeat across studies, so the path below the patient folder is the key.
 */
export async function scanChexpertImages(
  folders: readonly string[],
): Promise<{ files: Map<string, string>; roots: string[] }> {
  return scanImagesByKey(folders, (path) => {
    const m = /(patient\d+)[/\\](study\d+)[/\\]([^/\\]+)$/.exec(path)
    return m === null ? undefined : `${m[1]}/${m[2]}/${m[3]}`
  })
}
