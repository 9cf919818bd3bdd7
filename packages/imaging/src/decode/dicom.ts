import { inflateRawSync } from 'node:zlib'
import type { DataSet, Element } from 'dicom-parser'
import sharp from 'sharp'
import { ImageError, isImageError } from '../errors.ts'
import { checkPixels, type ImageLimits } from '../limits.ts'
import { applyModalityLut, applyRescale } from '../pixels/rescale.ts'
import type { GreyPixels } from '../pixels/types.ts'
import {
  readHeader,
  SUPPORTED_TRANSFER_SYNTAXES,
  UNSUPPORTED_NAMES,
  type DicomHeader,
} from './dicom-header.ts'
import { maskStored, readUint16, toGrey } from './grey.ts'
import { dicomParser, JpegLosslessDecoder } from './lazy-codecs.ts'
import { decodeRle } from './rle.ts'
import { fromSharpError } from './sharp-errors.ts'
import { jpegSize } from './sniff.ts'
import type { DecodedImage, Photometric } from './types.ts'
import { decodeWasmFrame } from './wasm-codecs.ts'

const IMPLICIT_LE = '1.2.840.10008.1.2'
const PHOTOMETRICS = [
  'MONOCHROME1',
  'MONOCHROME2',
  'RGB',
  'YBR_FULL',
  'YBR_FULL_422',
  'YBR_RCT',
  'YBR_ICT',
]

type Samples = Uint8Array | Uint16Array | Int16Array

function parse(file: string, bytes: Uint8Array, limits: ImageLimits, noPreamble: boolean): DataSet {
  const inflater = (array: Uint8Array, position: number): Uint8Array => {
    // maxOutputLength stops a deflate bomb before it fills memory
    const inflated = inflateRawSync(array.subarray(position), {
      maxOutputLength: limits.maxFileBytes,
    })
    const full = new Uint8Array(position + inflated.length)
    full.set(array.subarray(0, position))
    full.set(inflated, position)
    return Buffer.from(full.buffer)
  }
  try {
    return dicomParser().parseDicom(bytes, {
      inflater: inflater as unknown as (arr: Uint8Array, position: number) => void,
      ...(noPreamble ? { TransferSyntaxUID: IMPLICIT_LE } : {}),
    })
  } catch (error) {
    const raw = error as { exception?: unknown } | string | Error
    const message =
      typeof raw === 'string'
        ? raw
        : raw instanceof Error
          ? raw.message
          : String(raw.exception ?? raw)
    const cause = { cause: error }
    if (/output length|maxOutputLength|larger than/i.test(message)) {
      throw new ImageError(
        'too-large',
        file,
        `the deflated data set inflates past ${limits.maxFileBytes} bytes`,
        cause,
      )
    }
    if (/overread|past the end|eof|buffer|beyond/i.test(message)) {
      throw new ImageError('truncated', file, `the DICOM data set ends early (${message})`, cause)
    }
    throw new ImageError('corrupt', file, `not a readable DICOM data set (${message})`, cause)
  }
}

/** The bytes of the first frame: native pixel data, or the fragments of an encapsulated frame. */
function firstFrameBytes(file: string, ds: DataSet, el: Element, header: DicomHeader): Uint8Array {
  const bytes = ds.byteArray
  if (!el.encapsulatedPixelData) {
    const available = Math.max(0, Math.min(el.length, bytes.length - el.dataOffset))
    return bytes.subarray(el.dataOffset, el.dataOffset + available)
  }
  const fragments = el.fragments ?? []
  if (fragments.length === 0)
    throw new ImageError('corrupt', file, 'encapsulated pixel data has no fragments')
  for (const f of fragments) {
    if (f.position + f.length > bytes.length)
      throw new ImageError('truncated', file, 'a pixel data fragment ends early')
  }
  if (header.info.numberOfFrames > 1 && (el.basicOffsetTable?.length ?? 0) > 0) {
    return dicomParser().readEncapsulatedImageFrame(ds, el, 0)
  }
  const parts = header.info.numberOfFrames > 1 ? fragments.slice(0, 1) : fragments
  const total = parts.reduce((n, f) => n + f.length, 0)
  const out = new Uint8Array(total)
  let at = 0
  for (const f of parts) {
    out.set(bytes.subarray(f.position, f.position + f.length), at)
    at += f.length
  }
  return out
}

function nativeSamples(
  file: string,
  frame: Uint8Array,
  h: DicomHeader,
  bigEndian: boolean,
): Samples {
  const pixels = h.rows * h.columns
  const samples = h.photometric === 'YBR_FULL_422' ? pixels * 2 : pixels * h.samplesPerPixel
  const needed = samples * (h.bitsAllocated / 8)
  if (frame.length < needed) {
    throw new ImageError(
      'truncated',
      file,
      `pixel data has ${frame.length} bytes, ${needed} expected`,
    )
  }
  if (h.bitsAllocated === 8) return new Uint8Array(frame.subarray(0, samples))
  return readUint16(frame, 0, samples, bigEndian)
}

/** YBR_FULL_422 native samples (Y0 Y1 Cb Cr per pixel pair, PS3.3 C.7.6.3.1.2) to luma. */
function luma422(samples: Samples, pixels: number): Samples {
  const out = new Uint8Array(pixels)
  for (let i = 0; i < pixels; i += 2) {
    out[i] = samples[i * 2] ?? 0
    out[i + 1] = samples[i * 2 + 1] ?? 0
  }
  return out
}

async function decodeFrame(
  file: string,
  frame: Uint8Array,
  h: DicomHeader,
  limits: ImageLimits,
): Promise<Samples> {
  const codec = SUPPORTED_TRANSFER_SYNTAXES[h.transferSyntax]?.codec ?? 'native'
  const components = h.samplesPerPixel
  const colour = h.photometric.startsWith('YBR') ? 'ybr' : 'rgb'
  const grey = (s: Samples, kind: 'rgb' | 'ybr' = colour): Samples =>
    s instanceof Int16Array || components === 1 ? s : toGrey(s, components, kind)
  const checkStream = (width: number, height: number): void => {
    checkPixels(file, width, height, limits)
    if (width !== h.columns || height !== h.rows) {
      throw new ImageError(
        'corrupt',
        file,
        `the ${codec} stream is ${width} x ${height}, the header says ${h.columns} x ${h.rows}`,
      )
    }
  }
  switch (codec) {
    case 'native':
    case 'native-big-endian': {
      const s = nativeSamples(file, frame, h, codec === 'native-big-endian')
      if (h.photometric === 'YBR_FULL_422') return luma422(s, h.rows * h.columns)
      const planar = components > 1 && h.planarConfiguration === 1
      return grey(planar ? planesToInterleaved(s, components) : s)
    }
    case 'rle':
      return grey(decodeRle(frame, h.rows * h.columns, h.bitsAllocated === 8 ? 1 : 2, components))
    case 'jpeg-dct': {
      if (h.bitsStored > 8)
        throw new ImageError('unsupported', file, `${h.bitsStored}-bit lossy JPEG is not supported`)
      const size = jpegSize(frame)
      if (size) checkStream(size.width, size.height)
      try {
        const image = sharp(frame, { limitInputPixels: limits.maxPixels })
        const { data, info } = await (
          components === 1 ? image.toColourspace('b-w') : image.toColourspace('srgb')
        )
          .raw()
          .toBuffer({ resolveWithObject: true })
        return grey(new Uint8Array(data.buffer, data.byteOffset, data.length), 'rgb').slice(
          0,
          info.width * info.height,
        )
      } catch (error) {
        throw fromSharpError(file, error, 'the JPEG frame')
      }
    }
    case 'jpeg-lossless': {
      const size = jpegSize(frame)
      if (!size)
        throw new ImageError('corrupt', file, 'the JPEG Lossless frame has no frame header')
      checkStream(size.width, size.height)
      const copy = new Uint8Array(frame)
      return grey(new (JpegLosslessDecoder())().decode(copy.buffer, 0, copy.length))
    }
    case 'jpeg-ls':
    case 'jpeg-2000': {
      const { info, samples } = await decodeWasmFrame(codec, frame, checkStream)
      checkStream(info.width, info.height)
      return grey(samples, codec === 'jpeg-2000' ? 'rgb' : colour)
    }
  }
}

function planesToInterleaved(s: Samples, components: number): Samples {
  const out = s.slice()
  const n = Math.floor(s.length / components)
  for (let c = 0; c < components; c++)
    for (let i = 0; i < n; i++) out[i * components + c] = s[c * n + i] ?? 0
  return out
}

/** Decodes a DICOM file's first frame (see SUPPORTED_TRANSFER_SYNTAXES) to Modality values. */
export async function decodeDicom(
  file: string,
  bytes: Uint8Array,
  limits: ImageLimits,
  noPreamble = false,
): Promise<DecodedImage> {
  const ds = parse(file, bytes, limits, noPreamble)
  const ts = ds.string('x00020010')?.replace(/\0/g, '').trim() || IMPLICIT_LE
  if (!SUPPORTED_TRANSFER_SYNTAXES[ts]) {
    const name = UNSUPPORTED_NAMES[ts]
    throw new ImageError(
      'unsupported',
      file,
      `transfer syntax ${ts}${name ? ` (${name})` : ''} is not supported`,
    )
  }
  const h = readHeader(ds, ts)
  const pixelData = ds.elements.x7fe00010
  if (!pixelData || h.rows === 0 || h.columns === 0) {
    throw new ImageError(
      'not-an-image',
      file,
      'the DICOM file holds no image (no Rows, Columns or Pixel Data)',
    )
  }
  checkPixels(file, h.columns, h.rows, limits)
  if (h.bitsAllocated !== 8 && h.bitsAllocated !== 16) {
    throw new ImageError(
      'unsupported',
      file,
      `Bits Allocated ${h.bitsAllocated} is not supported (8 or 16)`,
    )
  }
  if (!PHOTOMETRICS.includes(h.photometric) || ![1, 3].includes(h.samplesPerPixel)) {
    throw new ImageError(
      'unsupported',
      file,
      `Photometric Interpretation ${h.photometric} with ${h.samplesPerPixel} samples is not supported`,
    )
  }
  let samples: Samples
  try {
    samples = await decodeFrame(file, firstFrameBytes(file, ds, pixelData, h), h, limits)
  } catch (error) {
    if (isImageError(error)) throw error
    const detail = error instanceof Error ? error.message : String(error)
    throw new ImageError(
      'corrupt',
      file,
      `the ${SUPPORTED_TRANSFER_SYNTAXES[ts]?.name} pixel data cannot be decoded: ${detail}`,
      { cause: error },
    )
  }
  const expected = h.rows * h.columns
  if (samples.length < expected)
    throw new ImageError(
      'truncated',
      file,
      `decoded ${samples.length} pixels, ${expected} expected`,
    )
  if (samples.length > expected) samples = samples.subarray(0, expected)
  const stored = maskStored(samples, h.bitsStored, h.highBit, h.signed)
  const pixels: GreyPixels = h.modalityLut
    ? applyModalityLut(stored, h.modalityLut)
    : h.rescale
      ? applyRescale(stored, h.rescale)
      : stored
  const photometric: Photometric = h.photometric.startsWith('MONOCHROME')
    ? (h.photometric as Photometric)
    : 'RGB'
  const window = h.info.windows[0]
  return {
    file,
    format: 'dicom',
    width: h.columns,
    height: h.rows,
    bitsStored: h.bitsStored,
    channels: h.samplesPerPixel,
    photometric,
    pixels,
    ...(window ? { window } : {}),
    ...(h.voiLutFunction ? { voiLutFunction: h.voiLutFunction } : {}),
    ...(h.voiLut ? { voiLut: h.voiLut } : {}),
    ...(h.rescale ? { rescale: h.rescale } : {}),
    dicom: h.info,
  }
}
