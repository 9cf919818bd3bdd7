/**
 * The little of the protobuf wire format (protobuf.dev/programming-guides/encoding) that reading
 * an ONNX graph's names and adding a graph output need: varints and length-delimited fields.
 * Field bytes are kept as views of the source, so re-encoding copies nothing twice.
 */

export const WIRE_VARINT = 0
export const WIRE_I64 = 1
export const WIRE_LEN = 2
export const WIRE_I32 = 5

/** One top-level field of a message: its number, wire type and value (bytes or number). */
export interface Field {
  readonly number: number
  readonly wire: number
  /** For WIRE_LEN: the payload; for the fixed types: the raw 4 or 8 bytes. */
  readonly bytes?: Uint8Array
  /** For WIRE_VARINT (values past 2^53 lose precision; ONNX uses none in what we read). */
  readonly value?: number
  /** For WIRE_VARINT: the low 32 bits as a signed integer (a negative int32 is a 10-byte varint). */
  readonly int32?: number
}

export class ProtobufError extends Error {
  override readonly name = 'ProtobufError'
}

function readVarint(buf: Uint8Array, at: number): [value: number, next: number, int32: number] {
  let value = 0
  let scale = 1
  let low = 0
  for (let i = at; i < buf.length && i < at + 10; i++) {
    const b = buf[i]!
    value += (b & 0x7f) * scale
    const shift = 7 * (i - at)
    if (shift < 32) low |= (b & 0x7f) << shift
    scale *= 128
    if ((b & 0x80) === 0) return [value, i + 1, low | 0]
  }
  throw new ProtobufError(`truncated varint at byte ${at}`)
}

/** The varints of a packed repeated field (e.g. int64 dims, int32_data), as signed int32. */
export function packedInt32(bytes: Uint8Array): number[] {
  const out: number[] = []
  for (let at = 0; at < bytes.length;) {
    const [, next, int32] = readVarint(bytes, at)
    out.push(int32)
    at = next
  }
  return out
}

/** Splits a message into its fields, in order. Throws ProtobufError on malformed input. */
export function readFields(buf: Uint8Array): Field[] {
  const out: Field[] = []
  let at = 0
  while (at < buf.length) {
    const [key, afterKey] = readVarint(buf, at)
    const number = Math.floor(key / 8)
    const wire = key % 8
    if (number === 0) throw new ProtobufError(`field number 0 at byte ${at}`)
    if (wire === WIRE_VARINT) {
      const [value, next, int32] = readVarint(buf, afterKey)
      out.push({ number, wire, value, int32 })
      at = next
    } else if (wire === WIRE_LEN) {
      const [length, start] = readVarint(buf, afterKey)
      if (start + length > buf.length) throw new ProtobufError(`field ${number} runs past the end`)
      out.push({ number, wire, bytes: buf.subarray(start, start + length) })
      at = start + length
    } else if (wire === WIRE_I64 || wire === WIRE_I32) {
      const size = wire === WIRE_I64 ? 8 : 4
      if (afterKey + size > buf.length) throw new ProtobufError(`field ${number} runs past the end`)
      out.push({ number, wire, bytes: buf.subarray(afterKey, afterKey + size) })
      at = afterKey + size
    } else {
      throw new ProtobufError(`unsupported wire type ${wire} at byte ${at}`)
    }
  }
  return out
}

const decoder = new TextDecoder()
const encoder = new TextEncoder()

export const fieldString = (f: Field): string => decoder.decode(f.bytes ?? new Uint8Array())

function varint(value: number): number[] {
  const out: number[] = []
  let v = value
  while (v >= 0x80) {
    out.push((v % 128) | 0x80)
    v = Math.floor(v / 128)
  }
  out.push(v)
  return out
}

/** Encodes fields back into a message, in the order given. */
export function writeFields(fields: readonly Field[]): Uint8Array {
  const parts: Uint8Array[] = []
  for (const f of fields) {
    parts.push(Uint8Array.from(varint(f.number * 8 + f.wire)))
    if (f.wire === WIRE_VARINT) parts.push(Uint8Array.from(varint(f.value ?? 0)))
    else {
      const bytes = f.bytes ?? new Uint8Array()
      if (f.wire === WIRE_LEN) parts.push(Uint8Array.from(varint(bytes.length)))
      parts.push(bytes)
    }
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** A length-delimited field holding a string. */
export const stringField = (number: number, text: string): Field => ({
  number,
  wire: WIRE_LEN,
  bytes: encoder.encode(text),
})

export const messageField = (number: number, fields: readonly Field[]): Field => ({
  number,
  wire: WIRE_LEN,
  bytes: writeFields(fields),
})

export const varintField = (number: number, value: number): Field => ({
  number,
  wire: WIRE_VARINT,
  value,
})
