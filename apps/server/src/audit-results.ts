import {
  BAD_READER_SPEC,
  parseReaderSpec,
  parseSubgroupBy,
  type IntervalMethod,
  type ReaderSpec,
} from '@cxr-audit/core'
import {
  labelAccuracy,
  loadAuditInfo,
  readerAgreement,
  readingConditions,
  type Store,
} from '@cxr-audit/store'
import type { ResultsDto } from '@cxr-audit/contract'
import { ApiError } from './errors.ts'

export interface ResultsQuery {
  /** A reader's name or `consensus:A,B`; default: the audit's reader, or all of them. */
  readonly reader?: string | undefined
  readonly by?: string | undefined
  readonly ci?: IntervalMethod | undefined
  /** Seed and resamples of the agreement bootstrap. */
  readonly seed?: number | undefined
  readonly replicates?: number | undefined
}

/** A `reader` query parameter: a reader's name or `consensus:A,B` [L7]; a 400 when empty. */
export function parseReaderParam(text: string | undefined): ReaderSpec | undefined {
  if (text === undefined) return undefined
  const spec = parseReaderSpec(text)
  if (spec === undefined) throw new ApiError(400, 'bad-input', BAD_READER_SPEC)
  return spec
}

/**
 * The results page of an audit [W24]-[W27]: the same `labelAccuracy` and `readerAgreement` the
 * CLI prints, called with the audit's id. Nothing to score yet is not an error: the page says so.
 */
export async function auditResults(
  store: Store,
  auditId: number,
  tags: readonly string[],
  q: ResultsQuery,
): Promise<ResultsDto> {
  const db = store.db
  const audit = await loadAuditInfo(db, auditId)
  const by = q.by === undefined || q.by === '' ? undefined : parseSubgroupBy(q.by)
  if (by === undefined && q.by !== undefined && q.by !== '')
    throw new ApiError(
      400,
      'bad-input',
      `by: view, sex, age-band, split or tag:NAME, not "${q.by}"`,
    )
  const spec = parseReaderParam(q.reader)
  const notes: string[] = []
  const reader = q.reader ?? (audit.readerSpec === '' ? null : audit.readerSpec)
  if (reader === null) notes.push('No verdict yet: review a sheet, then come back.')
  const accuracy =
    reader === null
      ? null
      : await labelAccuracy(db, {
          auditId,
          reader: spec,
          ...(q.ci === undefined ? {} : { ci: q.ci }),
          ...(by === undefined ? {} : { by }),
        })
  if (audit.readers.length === 1)
    notes.push('Agreement needs at least two readers: one has reviewed this audit so far.')
  const agreement =
    audit.readers.length < 2
      ? null
      : await readerAgreement(db, {
          auditId,
          ...(q.seed === undefined ? {} : { seed: q.seed }),
          ...(q.replicates === undefined ? {} : { replicates: q.replicates }),
        })
  const conditions = await readingConditions(db, auditId)
  return { audit, tags, reader, accuracy, agreement, readingConditions: conditions, notes }
}
