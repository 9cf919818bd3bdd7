import { createRequire } from 'node:module'
import { isImageError } from '../errors.ts'
import { j2kSize, jpegSize } from './sniff.ts'

/** What a WebAssembly decoder reports about the frame it decoded. */
export interface FrameInfo {
  readonly width: number
  readonly height: number
  readonly bitsPerSample: number
  readonly componentCount: number
  readonly isSigned?: boolean
}

/** The subset of the CharLS and OpenJPEG decoder classes (cornerstone codecs) that we use. */
interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array
  getDecodedBuffer(): Uint8Array
  decode(): void
  getFrameInfo(): FrameInfo
  getInterleaveMode?(): number
  delete(): void
}

interface CodecModule {
  JpegLSDecoder?: new () => WasmDecoder
  J2KDecoder?: new () => WasmDecoder
}

type CodecFactory = (options: {
  print: (s: string) => void
  printErr: (s: string) => void
}) => Promise<CodecModule>

const require = createRequire(import.meta.url)
type CodecName = 'charls' | 'openjpeg'
const factories: Record<CodecName, () => CodecFactory> = {
  charls: () => require('@cornerstonejs/codec-charls/decodewasmjs') as CodecFactory,
  openjpeg: () => require('@cornerstonejs/codec-openjpeg/decodewasmjs') as CodecFactory,
}

/** One instance per codec per thread, made on first use and dropped after a failure. */
const instances = new Map<CodecName, Promise<CodecModule>>()
let lastMessage = ''

function load(name: CodecName): Promise<CodecModule> {
  let instance = instances.get(name)
  if (!instance) {
    const quiet = { print: () => undefined, printErr: (s: string) => void (lastMessage = s) }
    instance = factories[name]()(quiet)
    instances.set(name, instance)
  }
  return instance
}

export interface DecodedFrame {
  readonly info: FrameInfo
  /** Samples, interleaved for colour; 16-bit samples as Uint16Array (or Int16Array if signed). */
  readonly samples: Uint8Array | Uint16Array | Int16Array
}

function copySamples(bytes: Uint8Array, info: FrameInfo): Uint8Array | Uint16Array | Int16Array {
  if (info.bitsPerSample <= 8) return bytes.slice()
  const copy = bytes.slice()
  return info.isSigned === true
    ? new Int16Array(copy.buffer, 0, copy.length >> 1)
    : new Uint16Array(copy.buffer, 0, copy.length >> 1)
}

/**
 * Decodes one JPEG-LS (ITU T.87) or JPEG 2000 (ISO 15444-1) frame with CharLS or OpenJPEG
 * compiled to WebAssembly. `checkSize` is called with the stream's own dimensions (read from
 * its SOF55 or SIZ marker) before decoding, so a bomb is refused before memory is spent on it.
 */
export async function decodeWasmFrame(
  codec: 'jpeg-ls' | 'jpeg-2000',
  data: Uint8Array,
  checkSize: (width: number, height: number) => void,
): Promise<DecodedFrame> {
  const name: CodecName = codec === 'jpeg-ls' ? 'charls' : 'openjpeg'
  const module = await load(name)
  const Decoder = codec === 'jpeg-ls' ? module.JpegLSDecoder : module.J2KDecoder
  if (!Decoder) throw new Error(`the ${name} module has no decoder`)
  const decoder = new Decoder()
  lastMessage = ''
  try {
    decoder.getEncodedBuffer(data.length).set(data)
    const claimed = codec === 'jpeg-ls' ? jpegSize(data) : j2kSize(data)
    if (!claimed)
      throw new Error(`no ${codec === 'jpeg-ls' ? 'SOF55' : 'SIZ'} marker in the stream`)
    checkSize(claimed.width, claimed.height)
    decoder.decode()
    const info = decoder.getFrameInfo()
    const interleave = decoder.getInterleaveMode?.() ?? 1
    let samples = copySamples(decoder.getDecodedBuffer(), info)
    if (info.componentCount > 1 && interleave === 0)
      samples = interleavePlanes(samples, info.componentCount)
    return { info, samples }
  } catch (error) {
    if (isImageError(error)) throw error
    instances.delete(name)
    const detail =
      lastMessage || (error instanceof Error ? error.message : `${name} error ${String(error)}`)
    throw new Error(detail.replace(/^\[ERROR\]\s*/, ''), { cause: error })
  } finally {
    try {
      decoder.delete()
    } catch {
      // the module may be unusable after an abort; it is dropped above
    }
  }
}

/** Planar `RRR..GGG..BBB..` to interleaved `RGBRGB..`. */
export function interleavePlanes<T extends Uint8Array | Uint16Array | Int16Array>(
  planes: T,
  components: number,
): T {
  const out = planes.slice() as T
  const n = Math.floor(planes.length / components)
  for (let c = 0; c < components; c++)
    for (let i = 0; i < n; i++) out[i * components + c] = planes[c * n + i] ?? 0
  return out
}
