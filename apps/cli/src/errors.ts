import {
  formatRowError,
  type InputFormatError,
  type LearnInputError,
  type RowError,
} from '@cxr-audit/core'
import type { BadRowsError, InputFileError } from '@cxr-audit/ingest'
import type { StoreError } from '@cxr-audit/store'

// The layers' errors are told apart by name, not instanceof: importing their classes here would
// load the store, ingest and imaging (sharp) into every command, even `--help`. The types keep
// the names in step with the classes.
const BAD_ROWS: BadRowsError['name'] = 'BadRowsError'
const INPUT_FILE: InputFileError['name'] = 'InputFileError'
const INPUT_FORMAT: InputFormatError['name'] = 'InputFormatError'
const STORE: StoreError['name'] = 'StoreError'
const LEARN_INPUT: LearnInputError['name'] = 'LearnInputError'

/** Bad input from the user (options, files, names): exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

export interface ErrorReport {
  readonly exitCode: 1 | 2
  readonly kind: string
  readonly message: string
  readonly rows?: readonly { file: string; line: number; column: string | null; message: string }[]
}

const MAX_ROWS_SHOWN = 20

/** Turns any error into the exit code and the words the user sees. */
export function reportError(e: unknown): ErrorReport {
  if (isNamed(e, BAD_ROWS) && Array.isArray((e as { errors?: unknown }).errors)) {
    const errors = (e as Error & { errors: readonly RowError[] }).errors
    const shown = errors.slice(0, MAX_ROWS_SHOWN).map(formatRowError)
    const more =
      errors.length > MAX_ROWS_SHOWN ? `\n  ... and ${errors.length - MAX_ROWS_SHOWN} more` : ''
    const message = `${e.message}; nothing was imported (use --skip-bad-rows to import the rest):\n  ${shown.join('\n  ')}${more}`
    return { exitCode: 2, kind: 'bad-rows', message, rows: errors }
  }
  if (isNamed(e, INPUT_FILE) || isNamed(e, INPUT_FORMAT)) {
    return { exitCode: 2, kind: 'bad-file', message: e.message }
  }
  if (e instanceof UsageError || isNamed(e, STORE) || isNamed(e, LEARN_INPUT)) {
    return { exitCode: 2, kind: 'bad-input', message: e.message }
  }
  if (isDicomwebFailure(e)) {
    // the user's URL or credentials are bad input; a server that fails is not [D4]
    const bad = e.kind === 'bad-url' || e.kind === 'unauthorized'
    return { exitCode: bad ? 2 : 1, kind: `dicomweb-${e.kind}`, message: e.message }
  }
  if (isCommanderError(e))
    return { exitCode: 2, kind: 'usage', message: e.message.replace(/^error: /, '') }
  const err = e instanceof Error ? e : new Error(String(e))
  return { exitCode: 1, kind: 'failure', message: err.stack ?? err.message }
}

function isNamed(e: unknown, name: string): e is Error {
  return e instanceof Error && e.name === name
}

function isCommanderError(e: unknown): e is Error & { code: string } {
  return (
    e instanceof Error &&
    typeof (e as { code?: unknown }).code === 'string' &&
    (e as unknown as { code: string }).code.startsWith('commander.')
  )
}

/** A DicomwebError, known by name so that this module does not load the DICOMweb package. */
function isDicomwebFailure(e: unknown): e is Error & { kind: string } {
  return (
    e instanceof Error &&
    e.name === 'DicomwebError' &&
    typeof (e as { kind?: unknown }).kind === 'string'
  )
}
