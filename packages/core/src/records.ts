/** Sex as recorded: M, F, or unknown (O, blank or anything else is reported). */
export type Sex = 'M' | 'F'

/** One image of a dataset with its metadata and original labels (finding name -> 1 | -1). */
export interface ImageRecord {
  readonly name: string
  readonly patient: string
  readonly age: number | null
  readonly sex: string
  readonly view: string
  readonly followUp: number | null
  readonly width: number | null
  readonly height: number | null
  readonly spacingX: number | null
  readonly spacingY: number | null
  /**
   * Positive (1) and uncertain (-1) labels, and 0 for a negative mention where the format states
   * one (CheXpert); any finding not listed is not mentioned, which counts as negative.
   */
  readonly labels: ReadonlyMap<string, number>
  /** Label names as written in the source, for the unknown-findings check. */
  readonly rawLabels: readonly string[]
  readonly line: number
  /** The study the item belongs to, where the format has studies (CheXpert, MIMIC). */
  readonly study?: string | null
}

export interface BoxRecord {
  readonly image: string
  readonly finding: string
  readonly x: number
  readonly y: number
  readonly w: number
  readonly h: number
  readonly line: number
}

/** A malformed input row: where it is and what is wrong with it. */
export interface RowError {
  readonly file: string
  readonly line: number
  readonly column: string | null
  readonly message: string
}

export function formatRowError(e: RowError): string {
  const where =
    e.column === null ? `${e.file}:${e.line}` : `${e.file}:${e.line}, column ${e.column}`
  return `${where}: ${e.message}`
}

/** A whole input that cannot be read as what it was given as (wrong format, empty file). */
export class InputFormatError extends Error {
  override readonly name = 'InputFormatError'
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`)
  }
}
