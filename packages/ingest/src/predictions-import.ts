import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { resolve } from 'node:path'
import {
  DEFAULT_SCORE_PREFIX,
  InputFormatError,
  findingKey,
  sameFindingsBetween,
  type SamePair,
  PredictionsCsvParser,
  type PredictionsParseResult,
} from '@cxr-audit/core'
import {
  findDataset,
  sameFindingPairs,
  imageIdMap,
  listFindings,
  writePredictions,
  type Store,
} from '@cxr-audit/store'
import { BadRowsError } from './cxr14-read.ts'
import { InputFileError, streamText } from './files.ts'
import { itemIds } from './labels-import.ts'

export interface PredictionsImportOptions {
  readonly file: string
  readonly model: string
  readonly idColumn?: string | undefined
  /** Score columns are `<prefix><finding>`; default `prob_`. */
  readonly prefix?: string | undefined
  readonly dataset?: string | undefined
  /** Replace the predictions of a model of the same name (refused otherwise) [M7]. */
  readonly replace?: boolean | undefined
  /** Import the good rows and list the malformed ones (never duplicates) [M4]. */
  readonly skipBadRows?: boolean | undefined
  readonly onProgress?: ((stage: string, done: number, total: number) => void) | undefined
}

/** What `cxr-audit import predictions --json` prints. */
export interface PredictionsImportSummary {
  readonly model: string
  readonly dataset: string
  /** Images whose scores were stored. */
  readonly images: number
  /** Findings given a score column, in the file's order. */
  readonly findings: readonly string[]
  /** Rows for images the dataset does not have (not stored) [M5]. */
  readonly unknownImages: number
  readonly unknownImageExamples: readonly string[]
  /** Score column -> finding. */
  readonly columns: Readonly<Record<string, string>>
  /** Score columns naming no finding of the dataset (not read) [M3]. */
  readonly unknownFindings: readonly string[]
  /** Other columns (not read). */
  readonly ignoredColumns: readonly string[]
  readonly skippedRows: number
  /** The model existed and its predictions were replaced [M7]. */
  readonly replaced: boolean
  readonly predictions: number
}

const MAX_LISTED = 20

/**
 * Reads a wide prediction CSV and stores the model's scores [M1]-[M7]: every row checked before
 * anything is written; a bad score (not a finite number) stops the import with file, line and
 * column (BadRowsError) unless skipBadRows; a repeated image always does (InputFileError);
 * images the dataset lacks are counted and left out; one transaction.
 */
export async function importPredictions(
  store: Store,
  o: PredictionsImportOptions,
): Promise<PredictionsImportSummary> {
  const dataset = await findDataset(store.db, o.dataset)
  const findings = await listFindings(store.db, dataset.id)
  // a model scored on another dataset: its findings declared the same as ours are ours [DS5]
  const aliases = sameAs(
    await sameFindingPairs(store.db),
    dataset.name,
    findings.map((f) => f.name),
  )
  const read = await readPredictions(o, [...findings.map((f) => f.name), ...aliases.keys()])
  const parsed = {
    ...read,
    columns: read.columns.map((c) => ({ ...c, finding: aliases.get(c.finding) ?? c.finding })),
  }
  if (parsed.errors.length > 0 && o.skipBadRows !== true) throw new BadRowsError(parsed.errors)
  if (parsed.duplicates.length > 0) {
    const listed = parsed.duplicates
      .slice(0, MAX_LISTED)
      .map((d) => `${d.image} (lines ${d.firstLine} and ${d.line})`)
    const more =
      parsed.duplicates.length > MAX_LISTED ? `, ... (${parsed.duplicates.length} in all)` : ''
    throw new InputFileError(
      o.file,
      `an image appears in more than one row, so its scores are ambiguous; nothing was imported: ${listed.join(', ')}${more}`,
    )
  }
  const rows: { imageId: number; scores: Float64Array }[] = []
  const unknown: string[] = []
  // ids name items as `import labels` reads them: on a CheXpert dataset a path or a study with
  // any prefix, and a study's scores apply to each of its films [DS24]
  const items =
    dataset.sourceFormat === 'cxr14'
      ? null
      : await itemIds(store, dataset, new Set(parsed.rows.map((r) => r.image)))
  const ids = items === null ? await imageIdMap(store.db, dataset.id) : null
  const scoredBy = new Map<number, string>()
  const twice: string[] = []
  for (const r of parsed.rows) {
    const films = items === null ? ids!.get(r.image) : items.get(r.image)?.values()
    if (films === undefined) {
      unknown.push(r.image)
      continue
    }
    for (const imageId of typeof films === 'number' ? [films] : films) {
      const by = scoredBy.get(imageId)
      if (by !== undefined) twice.push(`${r.image} and ${by}`)
      else {
        scoredBy.set(imageId, r.image)
        rows.push({ imageId, scores: r.scores })
      }
    }
  }
  if (twice.length > 0)
    throw new InputFileError(
      o.file,
      `a film is scored by two rows (its own path and its study, or the same study twice), so its scores are ambiguous; nothing was imported: ${twice.slice(0, MAX_LISTED).join(', ')}${twice.length > MAX_LISTED ? `, ... (${twice.length} in all)` : ''}`,
    )
  if (rows.length === 0) {
    throw new InputFileError(
      o.file,
      `none of its ${parsed.rows.length} images is in the dataset "${dataset.name}" (e.g. ${unknown.slice(0, 3).join(', ')})`,
    )
  }
  const idOf = new Map(findings.map((f) => [f.name, f.id]))
  const columns = Object.fromEntries(parsed.columns.map((c) => [c.column, c.finding]))
  o.onProgress?.('writing', 0, 1)
  const written = await writePredictions(store, {
    datasetId: dataset.id,
    model: o.model,
    findingIds: parsed.columns.map((c) => idOf.get(c.finding)!),
    rows,
    replace: o.replace === true,
    source: {
      file: resolve(o.file),
      idColumn: parsed.idColumn,
      prefix: o.prefix ?? DEFAULT_SCORE_PREFIX,
      columns,
      unknownFindings: parsed.unknownFindings,
      ignoredColumns: parsed.ignoredColumns,
      rows: parsed.rows.length,
      unknownImages: unknown.length,
      skippedRows: parsed.errors.length,
      sha256: await sha256(o.file),
    },
  })
  o.onProgress?.('writing', 1, 1)
  return {
    model: o.model.trim(),
    dataset: dataset.name,
    images: rows.length,
    findings: parsed.columns.map((c) => c.finding),
    unknownImages: unknown.length,
    unknownImageExamples: unknown.slice(0, 5),
    columns,
    unknownFindings: parsed.unknownFindings,
    ignoredColumns: parsed.ignoredColumns,
    skippedRows: parsed.errors.length,
    replaced: written.replaced,
    predictions: written.predictions,
  }
}

async function readPredictions(
  o: PredictionsImportOptions,
  findings: readonly string[],
): Promise<PredictionsParseResult> {
  const parser = new PredictionsCsvParser(o.file, {
    findings,
    idColumn: o.idColumn,
    prefix: o.prefix,
  })
  try {
    await streamText(
      o.file,
      (t) => parser.push(t),
      (d, t) => o.onProgress?.('predictions', d, t),
    )
    return parser.end()
  } catch (e) {
    if (e instanceof InputFormatError) {
      throw new InputFileError(e.file, e.message.slice(e.file.length + 2))
    }
    throw e
  }
}

/** Other datasets' findings declared the same as one of ours: their name -> ours. */
function sameAs(pairs: readonly SamePair[], dataset: string, own: readonly string[]) {
  const others = new Map<string, Set<string>>()
  for (const p of pairs)
    for (const f of [p.a, p.b]) {
      if (f.dataset === dataset) continue
      const set = others.get(f.dataset) ?? new Set<string>()
      set.add(f.finding)
      others.set(f.dataset, set)
    }
  const mine = new Set(own.map(findingKey))
  const out = new Map<string, string>()
  for (const [name, names] of others) {
    const to = sameFindingsBetween(
      pairs,
      { dataset: name, findings: [...names] },
      { dataset, findings: own },
    )
    for (const [theirs, ours] of to)
      if (!mine.has(findingKey(theirs)) && !out.has(theirs)) out.set(theirs, ours)
  }
  return out
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}
