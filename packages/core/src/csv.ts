/**
 * Splits CSV text into records, RFC 4180: quoted fields may hold commas, quotes ("") and line
 * breaks. Strips a UTF-8 byte-order mark and accepts CRLF or LF. Fed chunk by chunk so files
 * stream; each record carries the line number (1-based) where it starts.
 */
export class CsvSplitter {
  #rest = ''
  #line = 1
  #first = true

  /** Records completed by this chunk; a trailing partial record waits for the next chunk. */
  push(chunk: string, onRecord: (fields: string[], line: number) => void): void {
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
        const end = this.#quotedRecord(text, pos, onRecord)
        if (end < 0) break
        pos = end
        continue
      }
      let end = nl
      if (end > pos && text.charCodeAt(end - 1) === 13) end--
      onRecord(text.slice(pos, end).split(','), this.#line)
      this.#line++
      pos = nl + 1
    }
    this.#rest = text.slice(pos)
  }

  /** Flushes the last record when the input does not end with a line break. */
  end(onRecord: (fields: string[], line: number) => void): void {
    if (this.#rest.length === 0) return
    const rest = this.#rest
    this.#rest = ''
    this.push(rest.endsWith('\n') ? rest : rest + '\n', onRecord)
    if (this.#rest.length > 0) {
      // an unterminated quote: hand over what there is rather than lose it
      onRecord([this.#rest], this.#line)
      this.#rest = ''
    }
  }

  /** Parses one record that has quotes; returns the index after it, or -1 if it is incomplete. */
  #quotedRecord(
    text: string,
    start: number,
    onRecord: (fields: string[], line: number) => void,
  ): number {
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
