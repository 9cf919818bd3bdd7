/**
 * A Part 10 writer (PS3.10 7.1) in Explicit VR Little Endian (PS3.5 7.1.2), pure: it turns a
 * list of elements into the bytes of a DICOM file. Enough for the Structured Reports that
 * `export sr` writes: strings, US/UL numbers, bytes and sequences with defined lengths.
 */

export type DicomValue = string | readonly string[] | readonly number[] | Uint8Array | DicomItems

/** Sequence items: each item is a list of elements. */
export interface DicomItems {
  readonly items: readonly (readonly DicomElement[])[]
}

export interface DicomElement {
  /** `(group << 16) | element`, e.g. 0x00100020 for PatientID. */
  readonly tag: number
  readonly vr: string
  readonly value: DicomValue
}

export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1'

/** A UID root of this program's own, under the UUID-derived arc (PS3.5 B.2). */
export const IMPLEMENTATION_CLASS_UID = '2.25.118468176779085435234916600512353963238'
export const IMPLEMENTATION_VERSION = 'CXR_AUDIT_1'

const LONG_VRS = new Set([
  'OB',
  'OD',
  'OF',
  'OL',
  'OV',
  'OW',
  'SQ',
  'SV',
  'UC',
  'UN',
  'UR',
  'UT',
  'UV',
])

/** UTF-8 bytes of a string (the character set ISO_IR 192 that the reports declare). */
function utf8(text: string): Uint8Array {
  const out: number[] = []
  for (const ch of text) {
    const c = ch.codePointAt(0)!
    if (c < 0x80) out.push(c)
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63))
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63))
    else
      out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63))
  }
  return Uint8Array.from(out)
}

export const el = (tag: number, vr: string, value: DicomValue): DicomElement => ({ tag, vr, value })
export const seq = (tag: number, items: readonly (readonly DicomElement[])[]): DicomElement => ({
  tag,
  vr: 'SQ',
  value: { items },
})

function isItems(v: DicomValue): v is DicomItems {
  return typeof v === 'object' && !(v instanceof Uint8Array) && 'items' in v
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

function valueBytes(e: DicomElement): Uint8Array {
  const v = e.value
  if (isItems(v)) {
    return concat(
      v.items.map((item) => {
        const body = encodeElements(item)
        return concat([header16(0xfffe, 0xe000, body.length), body])
      }),
    )
  }
  if (v instanceof Uint8Array) return v.length % 2 === 1 ? concat([v, new Uint8Array(1)]) : v
  if (typeof v === 'string' || (v.length > 0 && typeof v[0] === 'string') || v.length === 0) {
    if (e.vr === 'US' || e.vr === 'UL') return new Uint8Array(0)
    const text = typeof v === 'string' ? v : (v as readonly string[]).join('\\')
    const bytes = utf8(text)
    if (bytes.length % 2 === 0) return bytes
    return concat([bytes, new Uint8Array([e.vr === 'UI' ? 0 : 0x20])])
  }
  const numbers = v as readonly number[]
  const size = e.vr === 'UL' ? 4 : 2
  const out = new DataView(new ArrayBuffer(numbers.length * size))
  numbers.forEach((n, i) =>
    size === 4 ? out.setUint32(i * 4, n, true) : out.setUint16(i * 2, n, true),
  )
  return new Uint8Array(out.buffer)
}

/** An item or delimiter header: tag and a 4-byte length, no VR. */
function header16(group: number, element: number, length: number): Uint8Array {
  const d = new DataView(new ArrayBuffer(8))
  d.setUint16(0, group, true)
  d.setUint16(2, element, true)
  d.setUint32(4, length, true)
  return new Uint8Array(d.buffer)
}

function encodeElement(e: DicomElement): Uint8Array {
  const body = valueBytes(e)
  const long = LONG_VRS.has(e.vr)
  if (!long && body.length > 0xffff)
    throw new RangeError(`value of ${e.tag.toString(16)} (${e.vr}) is too long`)
  const d = new DataView(new ArrayBuffer(long ? 12 : 8))
  d.setUint16(0, e.tag >>> 16, true)
  d.setUint16(2, e.tag & 0xffff, true)
  d.setUint8(4, e.vr.charCodeAt(0))
  d.setUint8(5, e.vr.charCodeAt(1))
  if (long) d.setUint32(8, body.length, true)
  else d.setUint16(6, body.length, true)
  return concat([new Uint8Array(d.buffer), body])
}

/** Elements in ascending tag order (PS3.5 7.1), encoded. */
export function encodeElements(elements: readonly DicomElement[]): Uint8Array {
  const sorted = [...elements].sort((a, b) => a.tag - b.tag)
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i]!.tag === sorted[i - 1]!.tag)
      throw new RangeError(`tag ${sorted[i]!.tag.toString(16)} appears twice`)
  return concat(sorted.map(encodeElement))
}

/**
 * The bytes of a DICOM file: 128-byte preamble, `DICM`, the File Meta Information (group 0002,
 * with its group length) and the data set. `elements` must hold SOPClassUID and SOPInstanceUID.
 */
export function writePart10(elements: readonly DicomElement[]): Uint8Array {
  const text = (tag: number): string => {
    const v = elements.find((e) => e.tag === tag)?.value
    if (typeof v !== 'string') throw new RangeError(`the data set has no ${tag.toString(16)}`)
    return v
  }
  const meta = encodeElements([
    el(0x00020001, 'OB', new Uint8Array([0, 1])),
    el(0x00020002, 'UI', text(0x00080016)),
    el(0x00020003, 'UI', text(0x00080018)),
    el(0x00020010, 'UI', EXPLICIT_VR_LITTLE_ENDIAN),
    el(0x00020012, 'UI', IMPLEMENTATION_CLASS_UID),
    el(0x00020013, 'SH', IMPLEMENTATION_VERSION),
  ])
  const groupLength = encodeElement(el(0x00020000, 'UL', [meta.length]))
  const preamble = new Uint8Array(132)
  preamble.set([0x44, 0x49, 0x43, 0x4d], 128)
  return concat([preamble, groupLength, meta, encodeElements(elements)])
}
