/**
 * A minimal DICOM Part 10 writer (Explicit VR Little Endian, PS3.5 7.1.2 and PS3.10 7.1) for
 * tests and fixtures: it writes exactly the elements it is given, so a test can build a valid,
 * a strange or a hostile file. Not used by the library itself.
 */

export type ElementValue =
  string | readonly number[] | Uint8Array | Uint16Array | readonly (readonly DicomElement[])[]

export interface DicomElement {
  /** `[group, element]`, e.g. `[0x0028, 0x0010]`. */
  readonly tag: readonly [number, number]
  readonly vr: string
  readonly value: ElementValue
}

export interface DicomFileSpec {
  readonly transferSyntax: string
  readonly elements: readonly DicomElement[]
  /** Encapsulated pixel data (PS3.5 A.4): one fragment per entry, empty Basic Offset Table. */
  readonly fragments?: readonly Uint8Array[]
}

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT'])

function isItems(value: ElementValue): value is readonly (readonly DicomElement[])[] {
  return Array.isArray(value) && value.length > 0 && Array.isArray(value[0])
}

function encodeElements(elements: readonly DicomElement[], implicit = false): Uint8Array[] {
  const sorted = [...elements].sort((a, b) => a.tag[0] - b.tag[0] || a.tag[1] - b.tag[1])
  return sorted.map((e) =>
    implicit
      ? implicitElement(e.tag[0], e.tag[1], valueBytes(e.vr, e.value, true))
      : element(e.tag[0], e.tag[1], e.vr, valueBytes(e.vr, e.value)),
  )
}

function valueBytes(vr: string, value: ElementValue, implicit = false): Uint8Array {
  if (isItems(value))
    return concat(value.map((items) => item(0xe000, concat(encodeElements(items, implicit)))))
  if (typeof value === 'string') {
    const pad = vr === 'UI' ? '\0' : ' '
    const text = value.length % 2 === 1 ? value + pad : value
    return new TextEncoder().encode(text)
  }
  if (value instanceof Uint8Array)
    return value.length % 2 === 1 ? concat([value, new Uint8Array(1)]) : value
  if (value instanceof Uint16Array)
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
  const numbers = value as readonly number[]
  const out = new DataView(new ArrayBuffer(numbers.length * (vr === 'UL' ? 4 : 2)))
  numbers.forEach((v, i) =>
    vr === 'UL' ? out.setUint32(i * 4, v, true) : out.setUint16(i * 2, v, true),
  )
  return new Uint8Array(out.buffer)
}

function element(
  group: number,
  elem: number,
  vr: string,
  body: Uint8Array,
  undefinedLength = false,
): Uint8Array {
  const long = LONG_VRS.has(vr)
  const head = new DataView(new ArrayBuffer(long ? 12 : 8))
  head.setUint16(0, group, true)
  head.setUint16(2, elem, true)
  head.setUint8(4, vr.charCodeAt(0))
  head.setUint8(5, vr.charCodeAt(1))
  if (long) head.setUint32(8, undefinedLength ? 0xffffffff : body.length, true)
  else head.setUint16(6, body.length, true)
  return concat([new Uint8Array(head.buffer), body])
}

function implicitElement(group: number, elem: number, body: Uint8Array): Uint8Array {
  const head = new DataView(new ArrayBuffer(8))
  head.setUint16(0, group, true)
  head.setUint16(2, elem, true)
  head.setUint32(4, body.length, true)
  return concat([new Uint8Array(head.buffer), body])
}

/** A bare Implicit VR Little Endian data set: no preamble, no meta header (old ACR-NEMA style). */
export function writeImplicitDataset(elements: readonly DicomElement[]): Uint8Array {
  return concat(encodeElements(elements, true))
}

function item(tag: number, body: Uint8Array): Uint8Array {
  const head = new DataView(new ArrayBuffer(8))
  head.setUint16(0, 0xfffe, true)
  head.setUint16(2, tag, true)
  head.setUint32(4, body.length, true)
  return concat([new Uint8Array(head.buffer), body])
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** Builds the bytes of a DICOM file from `spec`; elements are sorted by tag. */
export function writeDicom(spec: DicomFileSpec): Uint8Array {
  const meta = concat([
    element(0x0002, 0x0001, 'OB', new Uint8Array([0, 1])),
    element(0x0002, 0x0002, 'UI', valueBytes('UI', '1.2.840.10008.5.1.4.1.1.1.1')),
    element(0x0002, 0x0003, 'UI', valueBytes('UI', '1.2.826.0.1.3680043.2.1125.1')),
    element(0x0002, 0x0010, 'UI', valueBytes('UI', spec.transferSyntax)),
  ])
  const groupLength = element(0x0002, 0x0000, 'UL', valueBytes('UL', [meta.length]))
  const body = encodeElements(spec.elements)
  if (spec.fragments) {
    const items = [
      item(0xe000, new Uint8Array(0)),
      ...spec.fragments.map((f) => item(0xe000, valueBytes('OB', f))),
    ]
    const end = new Uint8Array([0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0])
    body.push(element(0x7fe0, 0x0010, 'OB', concat([...items, end]), true))
  }
  const preamble = new Uint8Array(132)
  preamble.set([0x44, 0x49, 0x43, 0x4d], 128)
  return concat([preamble, groupLength, meta, ...body])
}

/** The elements of a single-frame greyscale image with native (uncompressed) pixel data. */
export function greyImageElements(opts: {
  readonly width: number
  readonly height: number
  readonly bitsAllocated: 8 | 16
  readonly bitsStored: number
  readonly photometric?: string
  readonly signed?: boolean
  readonly pixels?: Uint8Array | Uint16Array
  readonly extra?: readonly DicomElement[]
}): DicomElement[] {
  const elements: DicomElement[] = [
    { tag: [0x0008, 0x0016], vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.1.1' },
    { tag: [0x0008, 0x0060], vr: 'CS', value: 'DX' },
    { tag: [0x0028, 0x0002], vr: 'US', value: [1] },
    { tag: [0x0028, 0x0004], vr: 'CS', value: opts.photometric ?? 'MONOCHROME2' },
    { tag: [0x0028, 0x0010], vr: 'US', value: [opts.height] },
    { tag: [0x0028, 0x0011], vr: 'US', value: [opts.width] },
    { tag: [0x0028, 0x0100], vr: 'US', value: [opts.bitsAllocated] },
    { tag: [0x0028, 0x0101], vr: 'US', value: [opts.bitsStored] },
    { tag: [0x0028, 0x0102], vr: 'US', value: [opts.bitsStored - 1] },
    { tag: [0x0028, 0x0103], vr: 'US', value: [opts.signed === true ? 1 : 0] },
    ...(opts.extra ?? []),
  ]
  if (opts.pixels) {
    elements.push({
      tag: [0x7fe0, 0x0010],
      vr: opts.bitsAllocated === 8 ? 'OB' : 'OW',
      value: opts.pixels,
    })
  }
  return elements
}
