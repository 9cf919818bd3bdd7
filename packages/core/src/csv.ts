type LineSink = (text: string, start: number, end: number, line: number) => void
type FieldsSink = (fields: string[], line: number) => void

/**
 * Splits CSV text into records, RFC 4180: quoted fields may hold commas, quotes ("") and line
 * breaks. Strips a UTF-8 byte-order mark and accepts CRLF or LF. Fed chunk by chunk so files
 * stream; each record carries the line number (1-based) where it starts.
 *
 * Two ways to receive records: `push`/`end` hand over each record's fields as strings;
 * `pushRecords`/`endRecords` hand over a CsvRecord that reads fields in place, so that numbers
 * and skipped columns of a large file never become strings.
 */
export class CsvSplitter {
  #rest = ''
  #line = 1
  #first = true
  readonly #record = new CsvRecord()

  /** Records completed by this chunk; a trailing partial record waits for the next chunk. */
  push(chunk: string, onRecord: FieldsSink): void {
    this.#scan(chunk, (t, s, e, line) => onRecord(t.slice(s, e).split(','), line), onRecord)
  }

  /** Flushes the last record when the input does not end with a line break. */
  end(onRecord: FieldsSink): void {
    this.#finish((t, s, e, line) => onRecord(t.slice(s, e).split(','), line), onRecord)
  }

  /** As `push`, with records read in place (the record is valid only during the call). */
  pushRecords(chunk: string, onRecord: (record: CsvRecord) => void): void {
    const r = this.#record
    this.#scan(
      chunk,
      (t, s, e, line) => onRecord(r.setLine(t, s, e, line)),
      (f, line) => onRecord(r.setFields(f, line)),
    )
  }

  /** As `end`, with records read in place. */
  endRecords(onRecord: (record: CsvRecord) => void): void {
    const r = this.#record
    this.#finish(
      (t, s, e, line) => onRecord(r.setLine(t, s, e, line)),
      (f, line) => onRecord(r.setFields(f, line)),
    )
  }

  #scan(chunk: string, onLine: LineSink, onFields: FieldsSink): void {
    let text = this.#rest + chunk
    if (this.#first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
      this.#first = false
    }
    let pos = 0
    const n = text.length
    // the next quote, found once and reused: searching per line would rescan the whole chunk
    let quote = text.indexOf('"')
    while (pos < n) {
      const nl = text.indexOf('\n', pos)
      if (nl < 0) break
      if (quote >= 0 && quote < pos) quote = text.indexOf('"', pos)
      if (quote >= 0 && quote < nl) {
        const end = this.#quotedRecord(text, pos, onFields)
        if (end < 0) break
        pos = end
        continue
      }
      let end = nl
      if (end > pos && text.charCodeAt(end - 1) === 13) end--
      onLine(text, pos, end, this.#line)
      this.#line++
      pos = nl + 1
    }
    this.#rest = text.slice(pos)
  }

  #finish(onLine: LineSink, onFields: FieldsSink): void {
    if (this.#rest.length === 0) return
    const rest = this.#rest
    this.#rest = ''
    this.#scan(rest.endsWith('\n') ? rest : rest + '\n', onLine, onFields)
    if (this.#rest.length > 0) {
      // an unterminated quote: hand over what there is rather than lose it
      onFields([this.#rest], this.#line)
      this.#rest = ''
    }
  }

  /** Parses one record that has quotes; returns the index after it, or -1 if it is incomplete. */
  #quotedRecord(text: string, start: number, onRecord: FieldsSink): number {
    const fields: string[] = []
    let field = ''
    let i = start
    let breaks = 0
    const n = text.length
    while (i < n) {
      const c = text.charCodeAt(i)
      if (c === 34 /* " */ && field.length === 0 && (i === start || text[i - 1] === ',')) {
        i++
        for (;;) {
          if (i >= n) return -1
          const q = text.indexOf('"', i)
          if (q < 0) return -1
          field += text.slice(i, q)
          for (let k = i; k < q; k++) if (text.charCodeAt(k) === 10) breaks++
          if (text.charCodeAt(q + 1) === 34) {
            field += '"'
            i = q + 2
            continue
          }
          i = q + 1
          break
        }
        continue
      }
      if (c === 44 /* , */) {
        fields.push(field)
        field = ''
        i++
        continue
      }
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) === 10)) {
        fields.push(field)
        onRecord(fields, this.#line)
        this.#line += 1 + breaks
        return c === 10 ? i + 1 : i + 2
      }
      field += text[i]
      i++
    }
    return -1
  }
}

/** Powers of ten that are exact doubles (Clinger's fast path needs 10^k exact, k <= 22). */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k)

/**
 * One CSV record, read in place from the text it came in. Reused from record to record: read
 * what you need during the callback. Field i past the end reads as ''.
 */
export class CsvRecord {
  /** The line where the record starts (1-based). */
  line = 0
  #count = 0
  #text = ''
  #bounds = new Int32Array(64)
  /** The fields of a record with quotes (unescaped); null for a plain one read in place. */
  #fields: string[] | null = null
  /**
   * By field index, the last long plain decimal read (over 15 digits, which Number() parses) and
   * its value: the 2020 CXR14 file writes most pixel spacings as `0.14300000000000002`.
   */
  readonly #longText: (string | undefined)[] = []
  readonly #longValue: number[] = []

  /** How many fields the record has. */
  get length(): number {
    return this.#count
  }

  /** @internal A record without quotes: the fields are the text between commas. */
  setLine(text: string, start: number, end: number, line: number): this {
    this.#text = text
    this.#fields = null
    this.line = line
    let n = 0
    let s = start
    for (;;) {
      if (2 * n + 2 > this.#bounds.length) this.#grow()
      let c = text.indexOf(',', s)
      if (c < 0 || c > end) c = end
      this.#bounds[2 * n] = s
      this.#bounds[2 * n + 1] = c
      n++
      if (c === end) break
      s = c + 1
    }
    this.#count = n
    return this
  }

  /** @internal A record with quotes, already split and unescaped. */
  setFields(fields: string[], line: number): this {
    this.#fields = fields
    this.#count = fields.length
    this.line = line
    return this
  }

  #grow(): void {
    const b = new Int32Array(this.#bounds.length * 2)
    b.set(this.#bounds)
    this.#bounds = b
  }

  /** Field i exactly as written. */
  text(i: number): string {
    if (i < 0 || i >= this.#count) return ''
    if (this.#fields !== null) return this.#fields[i]!
    return this.#text.slice(this.#bounds[2 * i]!, this.#bounds[2 * i + 1]!)
  }

  /**
   * Fields from..to (inclusive) as written, joined by commas: one slice of a plain record, so
   * that rows with the same cells can share what is made of them without building each field.
   */
  span(from: number, to: number): string {
    if (this.#fields !== null) return this.#fields.slice(from, to + 1).join(',')
    const last = Math.min(to, this.#count - 1)
    if (from > last) return ''
    return this.#text.slice(this.#bounds[2 * from]!, this.#bounds[2 * last + 1]!)
  }

  /** The length of field i as written (0 past the end). */
  size(i: number): number {
    if (i < 0 || i >= this.#count) return 0
    if (this.#fields !== null) return this.#fields[i]!.length
    return this.#bounds[2 * i + 1]! - this.#bounds[2 * i]!
  }

  /** The UTF-16 code of character k of field i as written (k below size(i)), read in place. */
  code(i: number, k: number): number {
    if (this.#fields !== null) return this.#fields[i]!.charCodeAt(k)
    return this.#text.charCodeAt(this.#bounds[2 * i]! + k)
  }

  /** Whether field i is exactly `s` as written, compared in place. */
  is(i: number, s: string): boolean {
    if (this.size(i) !== s.length) return false
    if (this.#fields !== null) return this.#fields[i] === s
    return this.#text.startsWith(s, this.#bounds[2 * i]!)
  }

  /** Field i without surrounding whitespace (String.prototype.trim). */
  trimmed(i: number): string {
    return this.text(i).trim()
  }

  /** Whether field i is empty or only whitespace. */
  isBlank(i: number): boolean {
    if (i < 0 || i >= this.#count) return true
    if (this.#fields === null) {
      const start = this.#bounds[2 * i]!
      if (start === this.#bounds[2 * i + 1]) return true
      // a printable ASCII first character (a digit, a letter) is not whitespace: no string made
      const c = this.#text.charCodeAt(start)
      if (c > 32 && c < 127) return false
    }
    return this.trimmed(i) === ''
  }

  /** Whether field i is exactly `s`, compared in place (no string made). */
  equals(i: number, s: string): boolean {
    if (i < 0 || i >= this.#count) return s === ''
    if (this.#fields !== null) return this.#fields[i] === s
    const start = this.#bounds[2 * i]!
    return this.#bounds[2 * i + 1]! - start === s.length && this.#text.startsWith(s, start)
  }

  /** Whether field i is exactly empty. */
  isEmpty(i: number): boolean {
    if (i < 0 || i >= this.#count) return true
    if (this.#fields !== null) return this.#fields[i] === ''
    return this.#bounds[2 * i] === this.#bounds[2 * i + 1]
  }

  /**
   * `Number(trimmed(i))`, exactly (so '' is 0 and 'x' is NaN), without making a string for a
   * plain decimal (`58`, `-1.0`, `0.143`): up to 15 digits, value = digits / 10^k, which is
   * correctly rounded because both are exact doubles (Clinger 1990, "How to read floating
   * point numbers accurately").
   */
  number(i: number): number {
    if (i < 0 || i >= this.#count || this.#fields !== null) return Number(this.trimmed(i))
    const text = this.#text
    const start = this.#bounds[2 * i]!
    let p = start
    const end = this.#bounds[2 * i + 1]!
    let negative = false
    const sign = text.charCodeAt(p)
    if (sign === 45 /* - */ || sign === 43 /* + */) {
      negative = sign === 45
      p++
    }
    let mantissa = 0
    let digits = 0
    let decimals = -1
    for (; p < end; p++) {
      const c = text.charCodeAt(p)
      if (c >= 48 && c <= 57) {
        mantissa = mantissa * 10 + (c - 48)
        digits++
        if (decimals >= 0) decimals++
      } else if (c === 46 /* . */ && decimals < 0) decimals = 0
      else return Number(this.trimmed(i))
    }
    if (digits === 0) return Number(this.trimmed(i))
    if (digits > 15) return this.#long(i, start, end)
    const value = decimals > 0 ? mantissa / POW10[decimals]! : mantissa
    return negative ? -value : value
  }

  /**
   * A plain decimal of over 15 digits (no whitespace, so the field is its trimmed text): Number()
   * of it, reusing the value when the field repeats the last such text of its column.
   */
  #long(i: number, start: number, end: number): number {
    const last = this.#longText[i]
    if (last !== undefined && last.length === end - start && this.#text.startsWith(last, start))
      return this.#longValue[i]!
    const s = this.#text.slice(start, end)
    const value = Number(s)
    this.#longText[i] = s
    this.#longValue[i] = value
    return value
  }

  /** Every field as a string. */
  fields(): string[] {
    if (this.#fields !== null) return this.#fields.slice()
    return Array.from({ length: this.#count }, (_, i) => this.text(i))
  }
}

/** Splits a whole text into records (for small files and tests). */
export function parseCsv(text: string): { fields: string[]; line: number }[] {
  const out: { fields: string[]; line: number }[] = []
  const s = new CsvSplitter()
  const add = (fields: string[], line: number): void => {
    out.push({ fields, line })
  }
  s.push(text, add)
  s.end(add)
  return out
}
