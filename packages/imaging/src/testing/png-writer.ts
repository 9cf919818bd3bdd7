import { crc32, deflateSync } from 'node:zlib'
import { concat } from './dicom-writer.ts'

/**
 * A minimal PNG writer for tests (PNG spec 5.2-5.6, filter type 0 on every row), independent of
 * sharp, so the decoder is tested against files it did not make. Samples are big-endian for
 * 16-bit depth. `claim` overrides the IHDR width/height to make a lying header.
 */
export function writePng(opts: {
  readonly width: number
  readonly height: number
  readonly bitDepth: 8 | 16
  /** 0 grey, 2 RGB, 4 grey+alpha, 6 RGBA. */
  readonly colourType: 0 | 2 | 4 | 6
  readonly samples: ArrayLike<number>
  readonly claim?: { readonly width: number; readonly height: number }
}): Uint8Array {
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[opts.colourType]
  const bytesPerSample = opts.bitDepth / 8
  const rowBytes = opts.width * channels * bytesPerSample
  const raw = new Uint8Array((rowBytes + 1) * opts.height)
  for (let y = 0; y < opts.height; y++) {
    for (let i = 0; i < opts.width * channels; i++) {
      const v = opts.samples[y * opts.width * channels + i] ?? 0
      const at = y * (rowBytes + 1) + 1 + i * bytesPerSample
      if (bytesPerSample === 2) {
        raw[at] = v >> 8
        raw[at + 1] = v & 0xff
      } else raw[at] = v
    }
  }
  const ihdr = new DataView(new ArrayBuffer(13))
  ihdr.setUint32(0, opts.claim?.width ?? opts.width)
  ihdr.setUint32(4, opts.claim?.height ?? opts.height)
  ihdr.setUint8(8, opts.bitDepth)
  ihdr.setUint8(9, opts.colourType)
  return concat([
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', new Uint8Array(ihdr.buffer)),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ])
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const head = new DataView(new ArrayBuffer(8))
  head.setUint32(0, data.length)
  const typeBytes = new TextEncoder().encode(type)
  new Uint8Array(head.buffer).set(typeBytes, 4)
  const crc = new DataView(new ArrayBuffer(4))
  crc.setUint32(0, crc32(concat([typeBytes, data])))
  return concat([new Uint8Array(head.buffer), data, new Uint8Array(crc.buffer)])
}
