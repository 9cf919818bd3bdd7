import { DicomwebError } from './errors.ts'

/** One body part of a multipart/related message (RFC 2387), headers lower-cased. */
export interface Part {
  readonly headers: Readonly<Record<string, string>>
  readonly body: Uint8Array
}

/** The `boundary` parameter of a multipart Content-Type, or undefined. */
export function boundaryOf(contentType: string): string | undefined {
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType)
  return m?.[1] ?? m?.[2]
}

function indexOf(hay: Uint8Array, needle: Uint8Array, from: number): number {
  // Buffer's native search: a WADO-RS answer is megabytes of pixel data
  return Buffer.from(hay.buffer, hay.byteOffset, hay.byteLength).indexOf(needle, from)
}

/**
 * Where a part's body ends and the next delimiter starts. A part that declares its
 * Content-Length (as Orthanc's do) is checked at that place only, not searched for through its
 * megabyte of pixels; a length that does not land on a delimiter is ignored and the body searched.
 */
function bodyEnd(
  body: Uint8Array,
  delimiter: Buffer,
  from: number,
  length: string | undefined,
): { end: number; next: number } | undefined {
  const isDelimiter = (d: number): boolean =>
    d + delimiter.length <= body.length &&
    Buffer.from(body.buffer, body.byteOffset + d, delimiter.length).equals(delimiter)
  if (length !== undefined && /^\d{1,15}$/.test(length)) {
    const end = from + Number(length)
    if (body[end] === 0x0d && body[end + 1] === 0x0a && isDelimiter(end + 2))
      return { end, next: end + 2 }
    if (isDelimiter(end)) return { end, next: end }
  }
  const next = indexOf(body, delimiter, from)
  if (next < 0) return undefined
  // the CRLF before a delimiter belongs to the delimiter (RFC 2046 5.1.1)
  return { end: body[next - 2] === 0x0d && body[next - 1] === 0x0a ? next - 2 : next, next }
}

/** Splits a multipart body (PS3.18 8.7.3.1: WADO-RS answers `multipart/related`). */
export function parseMultipart(body: Uint8Array, boundary: string, url: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`, 'latin1')
  const parts: Part[] = []
  let at = indexOf(body, delimiter, 0)
  if (at < 0) throw new DicomwebError('bad-response', url, 'the multipart answer has no boundary')
  for (;;) {
    let start = at + delimiter.length
    // `--` after a delimiter closes the message
    if (body[start] === 0x2d && body[start + 1] === 0x2d) break
    if (body[start] === 0x0d && body[start + 1] === 0x0a) start += 2
    const headEnd = indexOf(body, Buffer.from('\r\n\r\n', 'latin1'), start)
    if (headEnd < 0) throw new DicomwebError('bad-response', url, 'a multipart part has no headers')
    const headers: Record<string, string> = {}
    for (const line of Buffer.from(body.subarray(start, headEnd))
      .toString('latin1')
      .split('\r\n')) {
      const colon = line.indexOf(':')
      if (colon > 0)
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
    }
    const found = bodyEnd(body, delimiter, headEnd + 4, headers['content-length'])
    if (found === undefined)
      throw new DicomwebError('bad-response', url, 'the multipart answer is cut short')
    // a view into the answer: the megabytes of pixels are not copied
    parts.push({ headers, body: body.subarray(headEnd + 4, found.end) })
    at = found.next
  }
  return parts
}

/** A multipart/related body of DICOM files for STOW-RS (PS3.18 10.5.1.2). */
export function buildMultipart(files: readonly Uint8Array[], boundary: string): Uint8Array {
  const chunks: Uint8Array[] = []
  for (const f of files) {
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`, 'latin1'),
      f,
    )
    chunks.push(Buffer.from('\r\n', 'latin1'))
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`, 'latin1'))
  return Buffer.concat(chunks)
}
