import { InputFormatError, LearnInputError, formatRowError } from '@cxr-audit/core'
import { BadRowsError, InputFileError } from '@cxr-audit/ingest'
import { StoreError } from '@cxr-audit/store'

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
  if (e instanceof BadRowsError) {
    const shown = e.errors.slice(0, MAX_ROWS_SHOWN).map(formatRowError)
    const more =
      e.errors.length > MAX_ROWS_SHOWN ? `\n  ... and ${e.errors.length - MAX_ROWS_SHOWN} more` : ''
    const message = `${e.message}; nothing was imported (use --skip-bad-rows to import the rest):\n  ${shown.join('\n  ')}${more}`
    return { exitCode: 2, kind: 'bad-rows', message, rows: e.errors }
  }
  if (e instanceof InputFileError || e instanceof InputFormatError) {
    return { exitCode: 2, kind: 'bad-file', message: e.message }
  }
  if (e instanceof UsageError || e instanceof StoreError || e instanceof LearnInputError) {
    return { exitCode: 2, kind: 'bad-input', message: e.message }
  }
  if (isCommanderError(e))
    return { exitCode: 2, kind: 'usage', message: e.message.replace(/^error: /, '') }
  const err = e instanceof Error ? e : new Error(String(e))
  return { exitCode: 1, kind: 'failure', message: err.stack ?? err.message }
}

function isCommanderError(e: unknown): e is Error & { code: string } {
  return (
    e instanceof Error &&
    typeof (e as { code?: unknown }).code === 'string' &&
    (e as unknown as { code: string }).code.startsWith('commander.')
  )
}
