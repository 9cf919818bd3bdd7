/** What the first bytes of a file say it is; the file name's extension is never trusted. */
export type Sniffed = 'png' | 'jpeg' | 'dicom' | 'dicom-no-preamble' | 'other-image' | 'unknown'

const startsWith = (bytes: Uint8Array, sig: readonly number[], at = 0): boolean =>
  sig.every((b, i) => bytes[at + i] === b)

export function sniffFormat(bytes: Uint8Array): Sniffed {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png'
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg'
  if (startsWith(bytes, [0x44, 0x49, 0x43, 0x4d], 128)) return 'dicom'
  // A dataset without the 128-byte preamble starts with a group 0002 or 0008 tag (PS3.10 7.1).
  if ((bytes[0] === 0x02 || bytes[0] === 0x08) && bytes[1] === 0x00 && bytes[3] === 0x00) {
    return 'dicom-no-preamble'
  }
  const otherImages: readonly (readonly number[])[] = [
    [0x49, 0x49, 0x2a, 0x00], // TIFF little endian
    [0x4d, 0x4d, 0x00, 0x2a], // TIFF big endian
    [0x47, 0x49, 0x46, 0x38], // GIF
    [0x52, 0x49, 0x46, 0x46], // RIFF (WebP)
    [0x42, 0x4d], // BMP
    [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50], // JPEG 2000 file
  ]
  if (otherImages.some((sig) => startsWith(bytes, sig))) return 'other-image'
  return 'unknown'
}

/** Width and height from a PNG's IHDR chunk, or undefined when it is not readable. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (bytes.length < 24 || !startsWith(bytes, [0x49, 0x48, 0x44, 0x52], 12)) return undefined
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return { width: view.getUint32(16), height: view.getUint32(20) }
}

/**
 * Width, height, sample precision and component count from the first SOF marker of a JPEG
 * stream (baseline, extended, lossless: SOF0-SOF15 except DHT/JPG/DAC, ITU T.81 B.2.2) or a
 * JPEG-LS SOF55 (ITU T.87), or undefined.
 */
export function jpegSize(
  bytes: Uint8Array,
): { width: number; height: number; precision: number; components: number } | undefined {
  let at = 2
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return undefined
    const marker = bytes[at + 1] ?? 0
    if (marker === 0xff) {
      at++
      continue
    }
    const length = ((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0)
    const isSof =
      (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) || marker === 0xf7
    if (isSof) {
      const height = ((bytes[at + 5] ?? 0) << 8) | (bytes[at + 6] ?? 0)
      const width = ((bytes[at + 7] ?? 0) << 8) | (bytes[at + 8] ?? 0)
      return { width, height, precision: bytes[at + 4] ?? 0, components: bytes[at + 9] ?? 0 }
    }
    if (marker === 0xda || length < 2) return undefined
    at += 2 + length
  }
  return undefined
}

/**
 * Width and height from a JPEG 2000 codestream's SIZ marker (ISO 15444-1 A.5.1), which follows
 * SOC (`FF4F FF51`), also when wrapped in a JP2 file; undefined when not found.
 */
export function j2kSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const limit = Math.min(bytes.length - 24, 65536)
  for (let i = 0; i < limit; i++) {
    if (
      bytes[i] === 0xff &&
      bytes[i + 1] === 0x4f &&
      bytes[i + 2] === 0xff &&
      bytes[i + 3] === 0x51
    ) {
      const view = new DataView(bytes.buffer, bytes.byteOffset + i + 4)
      const xsiz = view.getUint32(4)
      const ysiz = view.getUint32(8)
      const xo = view.getUint32(12)
      const yo = view.getUint32(16)
      return { width: xsiz - xo, height: ysiz - yo }
    }
  }
  return undefined
}

/** True when a PNG's chunk sequence (PNG spec 5.3) ends before its IEND chunk. */
export function pngIsTruncated(bytes: Uint8Array): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let at = 8
  while (at + 8 <= bytes.length) {
    const length = view.getUint32(at)
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8))
    if (at + 12 + length > bytes.length) return true
    if (type === 'IEND') return false
    at += 12 + length
  }
  return true
}
