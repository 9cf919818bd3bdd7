import type { FindingNames } from '../findings.ts'
import type { RowError } from '../records.ts'
import type { ColumnMap, LabelRead, LabelTableOptions } from './label-table.ts'

/** What the wide and long readers share: the file, its header and the columns found. */
export interface Ctx {
  readonly o: LabelTableOptions
  readonly header: string[]
  readonly records: { fields: string[]; line: number }[]
  readonly id: number
  readonly reader: number
  readonly names: FindingNames
  readonly find: (name: string) => number
  readonly resolveMapped: (m: ColumnMap) => string
}

/** Collects reads, refusing a second, different verdict for the same image, reader and finding. */
export class ReadCollector {
  readonly reads: LabelRead[] = []
  readonly errors: RowError[] = []
  readonly #seen = new Map<string, LabelRead>()

  constructor(readonly file: string) {}

  add(read: LabelRead, column: string): void {
    const key = `${read.image}\u0000${read.reader ?? ''}\u0000${read.finding}`
    const before = this.#seen.get(key)
    if (before === undefined) {
      this.#seen.set(key, read)
      this.reads.push(read)
    } else if (before.verdict !== read.verdict) {
      const who = read.reader === null ? '' : `, reader ${read.reader}`
      this.errors.push({
        file: this.file,
        line: read.line,
        column,
        message: `image ${read.image}${who}: ${read.finding} is ${read.verdict} here but ${before.verdict} on line ${before.line}`,
      })
    }
  }

  error(line: number, column: string | null, message: string): void {
    this.errors.push({ file: this.file, line, column, message })
  }
}

/** The cells every row needs: the image and the reader; null after a row error. */
export function rowKey(
  c: Ctx,
  out: ReadCollector,
  fields: string[],
  line: number,
): { image: string; reader: string | null } | null {
  const width = c.header.length
  if (fields.length > width && fields.slice(width).every((f) => f.trim() === '')) {
    fields.length = width
  }
  if (fields.length !== width) {
    out.error(line, null, `expected ${width} fields, found ${fields.length}`)
    return null
  }
  const image = fields[c.id]!.trim()
  if (image === '') {
    out.error(line, c.header[c.id]!, 'the image id is empty')
    return null
  }
  let reader: string | null = null
  if (c.reader >= 0) {
    reader = fields[c.reader]!.trim()
    if (reader === '') {
      out.error(line, c.header[c.reader]!, 'the reader is empty')
      return null
    }
  }
  return { image, reader }
}

export const isBlank = (fields: string[]): boolean => fields.every((f) => f.trim() === '')
