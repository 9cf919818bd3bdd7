/**
 * Stored-value and colour helpers shared by the DICOM and raster decoders (PS3.3 C.7.6.3).
 */

/**
 * Extracts Bits Stored bits ending at High Bit from each sample and sign-extends them when
 * Pixel Representation is 1 (PS3.5 8.1.1, PS3.3 C.7.6.3.1). Returns the input when nothing
 * needs doing.
 */
export function maskStored(
  samples: Uint8Array | Uint16Array | Int16Array,
  bitsStored: number,
  highBit: number,
  signed: boolean,
): Uint8Array | Uint16Array | Int16Array {
  const container = samples instanceof Uint8Array ? 8 : 16
  const shift = Math.max(0, highBit - bitsStored + 1)
  if (!signed && shift === 0 && bitsStored >= container && !(samples instanceof Int16Array))
    return samples
  const mask = bitsStored >= 32 ? 0xffffffff : (1 << bitsStored) - 1
  const signBit = 1 << (bitsStored - 1)
  const out = signed
    ? new Int16Array(samples.length)
    : samples instanceof Uint8Array
      ? new Uint8Array(samples.length)
      : new Uint16Array(samples.length)
  for (let i = 0; i < samples.length; i++) {
    const raw = (samples[i] ?? 0) & (container === 8 ? 0xff : 0xffff)
    let v = (raw >> shift) & mask
    if (signed && v & signBit) v -= 1 << bitsStored
    out[i] = v
  }
  return out
}

/**
 * One grey channel from interleaved colour samples: the luma of PS3.3 C.7.6.3.1.2
 * (`Y = 0.2990 R + 0.5870 G + 0.1140 B`, the YBR_FULL definition), or component 0 when the
 * samples are already Y/Cb/Cr. Extra channels (alpha) are ignored.
 */
export function toGrey<T extends Uint8Array | Uint16Array>(
  samples: T,
  components: number,
  kind: 'rgb' | 'ybr',
): T {
  if (components === 1) return samples
  const n = Math.floor(samples.length / components)
  const out = (samples instanceof Uint8Array ? new Uint8Array(n) : new Uint16Array(n)) as T
  for (let i = 0; i < n; i++) {
    const at = i * components
    out[i] =
      kind === 'ybr' || components === 2
        ? (samples[at] ?? 0)
        : Math.round(
            0.299 * (samples[at] ?? 0) +
              0.587 * (samples[at + 1] ?? 0) +
              0.114 * (samples[at + 2] ?? 0),
          )
  }
  return out
}

/** Copies little-endian (or big-endian) 16-bit samples into an aligned Uint16Array. */
export function readUint16(
  bytes: Uint8Array,
  offset: number,
  count: number,
  bigEndian = false,
): Uint16Array {
  const out = new Uint16Array(count)
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, count * 2)
  for (let i = 0; i < count; i++) out[i] = view.getUint16(i * 2, !bigEndian)
  return out
}
