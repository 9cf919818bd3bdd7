import {
  CXR14_FINDINGS,
  Cxr14MetadataParser,
  FindingNames,
  InputFormatError,
  NO_FINDING,
  ProblemList,
  parseBboxList,
  parseSplitList,
  type BoxRecord,
  type ImageRecord,
  type RowError,
} from '@cxr-audit/core'
import { basename } from 'node:path'
import { InputFileError, readText, scanImageFolders, streamText } from './files.ts'
import { laps, type OnTiming } from './laps.ts'
import { NameIndex, NameIndexBuilder } from './name-index.ts'
import type { Cxr14Source } from './cxr14-stream.ts'

export interface Cxr14ImportOptions {
  readonly metadata: string
  readonly bbox?: string | undefined
  readonly images?: readonly string[] | undefined
  readonly trainList?: string | undefined
  readonly testList?: string | undefined
  readonly name?: string | undefined
  readonly skipBadRows?: boolean | undefined
  readonly onProgress?: ((stage: string, done: number, total: number) => void) | undefined
  /** Stage timings (read, write, summary), for the benchmark. */
  readonly onTiming?: OnTiming | undefined
  /**
   * A read of these files already under way (the CLI's, in a worker thread), used when the
   * dataset is new and stopped otherwise. Without it a new dataset is read in this thread.
   */
  readonly source?: Cxr14Source | undefined
  /** False: read everything before writing, as a re-import always does (default true). */
  readonly stream?: boolean | undefined
}

/** Malformed rows found while reading; nothing was written. */
export class BadRowsError extends Error {
  override readonly name = 'BadRowsError'
  constructor(readonly errors: readonly RowError[]) {
    super(`${errors.length} malformed row${errors.length === 1 ? '' : 's'}`)
  }
}

/** Everything read from the user's files, checked, before anything is written. */
export interface Cxr14Input {
  readonly records: ImageRecord[]
  readonly boxes: BoxRecord[] | null
  /** image name -> split, or null when no split list was given (keep what is stored). */
  readonly splits: Map<string, string> | null
  /** file name -> absolute path, or null when no image folder was given. */
  readonly files: Map<string, string> | null
  readonly roots: string[]
  /** image name -> its index in `records`. */
  readonly indexOf: NameIndex
  readonly skipped: RowError[]
  readonly problems: ProblemList
}

/** Reads and checks every input file of a CXR14 import. Throws before anything is written. */
export async function readCxr14(o: Cxr14ImportOptions): Promise<Cxr14Input> {
  const lap = laps(o.onTiming)
  const parser = new Cxr14MetadataParser(o.metadata)
  try {
    await streamText(
      o.metadata,
      (t) => parser.push(t),
      (d, t) => o.onProgress?.('metadata', d, t),
    )
  } catch (e) {
    throw asFileError(e)
  }
  const { records: all, errors } = end(parser)
  if (errors.length > 0 && o.skipBadRows !== true) throw new BadRowsError(errors)
  const problems = new ProblemList()
  listSkippedRows(problems, errors)

  const { records, seen } = firstOfEachName(all, problems)

  lap('read: metadata')
  return readRest(o, { records, seen, errors, problems }, null, lap)
}

/** What was read and checked before the metadata's neighbours (boxes, split lists, folders). */
export interface MetadataRead {
  readonly records: ImageRecord[]
  readonly seen: NameIndex
  readonly errors: RowError[]
  readonly problems: ProblemList
}

/** Split lists and image folders read ahead of the metadata (a streamed import needs them first). */
export interface ReadAhead {
  readonly lists: SplitLists | null
  readonly scan: Awaited<ReturnType<typeof scanImageFolders>> | null
}

/** The files read after the metadata: boxes, split lists, image folders, and their checks. */
export async function readRest(
  o: Cxr14ImportOptions,
  m: MetadataRead,
  ahead: ReadAhead | null,
  lap: (stage: string) => void = () => {},
): Promise<Cxr14Input> {
  const { records, seen, errors, problems } = m
  let boxes: BoxRecord[] | null = null
  if (o.bbox !== undefined) {
    const parsed = parseBboxList(o.bbox, await readTextOrThrow(o.bbox))
    if (parsed.errors.length > 0 && o.skipBadRows !== true) throw new BadRowsError(parsed.errors)
    for (const e of parsed.errors)
      problems.add(
        'skipped-row',
        'a malformed row skipped by --skip-bad-rows',
        `${e.file}:${e.line}: ${e.message}`,
      )
    const names = new FindingNames(CXR14_FINDINGS)
    boxes = []
    for (const b of parsed.records) {
      const finding = names.resolve(b.finding)
      if (!seen.has(b.image))
        problems.add(
          'bbox-unknown-image',
          'a bounding box for an image the metadata does not list',
          `${b.image} (line ${b.line})`,
        )
      else if (finding === undefined)
        problems.add(
          'bbox-unknown-finding',
          'a bounding box for an unknown finding',
          `${b.image}: ${b.finding}`,
        )
      else boxes.push({ ...b, finding })
    }
  }

  lap('read: boxes')
  const splits = await readSplits(o, seen, problems, ahead === null ? undefined : ahead.lists)
  lap('read: split lists')
  let files: Map<string, string> | null = null
  let roots: string[] = []
  if (o.images !== undefined && o.images.length > 0) {
    const scan = ahead?.scan ?? (await scanImageFolders(o.images))
    files = scan.files
    roots = scan.roots
    for (const d of scan.duplicates)
      problems.add(
        'duplicate-file',
        'the same file name in two image folders (the first is used)',
        d,
      )
    const extra = [...files.keys()].filter((f) => !seen.has(f)).sort()
    if (extra.length > 0)
      problems.addMany(
        'not-in-metadata',
        'a file in the image folders that the metadata does not list',
        extra.length,
        extra.slice(0, 1000),
      )
  }
  lap('read: image folders')
  return { records, boxes, splits, files, roots, indexOf: seen, skipped: errors, problems }
}

/** The official split lists as given (null: not given). */
export interface SplitLists {
  readonly train: string[] | null
  readonly test: string[] | null
}

export async function readSplitLists(o: Cxr14ImportOptions): Promise<SplitLists> {
  const train =
    o.trainList === undefined
      ? null
      : parseSplitList(o.trainList, await readTextOrThrow(o.trainList))
  const test =
    o.testList === undefined ? null : parseSplitList(o.testList, await readTextOrThrow(o.testList))
  return { train, test }
}

/**
 * The split of each name under split lists, as readSplits decides it: the test list wins over
 * the train list, and given one list the rest is the other split. Null when no list was given.
 */
export function splitOfName(lists: SplitLists): ((name: string) => string | null) | null {
  const { train, test } = lists
  if (train === null && test === null) return null
  const rest = train === null ? 'train' : test === null ? 'test' : null
  const inTrain = new Set(train ?? [])
  const inTest = new Set(test ?? [])
  return (name) => (inTest.has(name) ? 'test' : inTrain.has(name) ? 'train' : rest)
}

async function readSplits(
  o: Cxr14ImportOptions,
  known: NameIndex,
  problems: ProblemList,
  lists?: SplitLists | null,
): Promise<Map<string, string> | null> {
  if (o.trainList === undefined && o.testList === undefined) return null
  const { train, test } = lists ?? (await readSplitLists(o))
  const splits = new Map<string, string>()
  // the official lists partition the dataset: given one, the rest is the other split
  const rest = train === null ? 'train' : test === null ? 'test' : null
  if (rest !== null) for (const name of known.keys()) splits.set(name, rest)
  for (const [list, split, file] of [
    [train, 'train', o.trainList],
    [test, 'test', o.testList],
  ] as const) {
    if (list === null) continue
    for (const name of list) {
      if (!known.has(name)) {
        problems.add(
          'split-list-unknown-image',
          'a split list names an image the metadata does not list',
          `${name} (${basename(file!)})`,
        )
        continue
      }
      if (splits.get(name) !== undefined && splits.get(name) !== split && rest === null) {
        problems.add(
          'in-both-split-lists',
          'an image listed in both the train and the test list',
          name,
        )
      }
      splits.set(name, split)
    }
  }
  return splits
}

/**
 * The first row of each image name; later rows of a name are reported ([I-8]). Also returns
 * the index of the kept names, gathered while finding duplicates.
 */
export function firstOfEachName(
  all: ImageRecord[],
  problems: ProblemList,
): { records: ImageRecord[]; seen: NameIndex } {
  const built = new NameIndexBuilder()
  const records: ImageRecord[] = []
  for (const r of all) {
    if (!built.add(r.name)) {
      problems.add(
        'duplicate-image',
        'the same image name appears twice (the first row is kept)',
        `${r.name} (line ${r.line})`,
      )
      continue
    }
    records.push(r)
  }
  return {
    records: records.length === all.length ? all : records,
    seen: new NameIndex(
      records.map((r) => r.name),
      built,
    ),
  }
}

function end(parser: Cxr14MetadataParser): { records: ImageRecord[]; errors: RowError[] } {
  try {
    return parser.end()
  } catch (e) {
    throw asFileError(e)
  }
}

async function readTextOrThrow(file: string): Promise<string> {
  try {
    return await readText(file)
  } catch (e) {
    throw asFileError(e)
  }
}

/** A whole file that is not what it was given as, as the file error the CLI reports (exit 2). */
export function asFileError(e: unknown): unknown {
  return e instanceof InputFormatError
    ? new InputFileError(e.file, e.message.slice(e.file.length + 2))
    : e
}

/** The rows `--skip-bad-rows` skipped, listed with file, line and column. */
export function listSkippedRows(problems: ProblemList, errors: readonly RowError[]): void {
  for (const e of errors)
    problems.add(
      'skipped-row',
      'a malformed row skipped by --skip-bad-rows',
      `${e.file}:${e.line}${e.column === null ? '' : ` (${e.column})`}: ${e.message}`,
    )
}

export const isNoFinding = (r: ImageRecord): boolean =>
  r.rawLabels.length === 1 && r.rawLabels[0] === NO_FINDING
