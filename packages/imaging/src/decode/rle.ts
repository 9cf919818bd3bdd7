/**
 * Decodes one RLE Lossless frame (PS3.5 Annex G). The frame starts with a 64-byte header: the
 * number of segments and 15 segment offsets (G.5). Each segment holds one byte of each sample,
 * most significant byte first, for one component (G.2), PackBits-compressed (G.3.1).
 * Returns samples interleaved by component.
 */
export function decodeRle(
  frame: Uint8Array,
  pixels: number,
  bytesPerSample: 1 | 2,
  components: number,
): Uint8Array | Uint16Array {
  if (frame.length < 64) throw new Error('the RLE header is shorter than 64 bytes')
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength)
  const segments = view.getUint32(0, true)
  if (segments !== bytesPerSample * components) {
    throw new Error(
      `the RLE frame has ${segments} segments, expected ${bytesPerSample * components}`,
    )
  }
  const offsets = Array.from({ length: segments }, (_, i) => view.getUint32(4 + i * 4, true))
  const out =
    bytesPerSample === 1
      ? new Uint8Array(pixels * components)
      : new Uint16Array(pixels * components)
  const plane = new Uint8Array(pixels)
  for (let s = 0; s < segments; s++) {
    const start = offsets[s] ?? 0
    const end = s + 1 < segments ? (offsets[s + 1] ?? frame.length) : frame.length
    if (start < 64 || end > frame.length || end < start)
      throw new Error(`RLE segment ${s} lies outside the frame`)
    unpackBits(frame, start, end, plane)
    const component = Math.floor(s / bytesPerSample)
    const shift = bytesPerSample === 2 && s % 2 === 0 ? 8 : 0
    for (let i = 0; i < pixels; i++) {
      const at = i * components + component
      out[at] = (out[at] ?? 0) | ((plane[i] ?? 0) << shift)
    }
  }
  return out
}

/** PackBits (PS3.5 G.3.1) from `src[start..end)` into `dst`, which must be filled exactly. */
function unpackBits(src: Uint8Array, start: number, end: number, dst: Uint8Array): void {
  let i = start
  let o = 0
  while (o < dst.length && i < end) {
    const n = src[i++] ?? 0
    if (n < 128) {
      const count = n + 1
      if (i + count > end || o + count > dst.length) throw new Error('an RLE literal run overflows')
      dst.set(src.subarray(i, i + count), o)
      i += count
      o += count
    } else if (n > 128) {
      const count = 257 - n
      if (o + count > dst.length) throw new Error('an RLE replicate run overflows')
      dst.fill(src[i++] ?? 0, o, o + count)
      o += count
    }
  }
  if (o < dst.length) throw new Error('an RLE segment ends early')
}
