import type { DataSet } from 'dicom-parser'
import type { LookupTable, Rescale, VoiLutFunction, WindowLevel } from '../pixels/types.ts'
import type { DicomInfo } from './types.ts'

/** How the pixels of a transfer syntax are decoded. */
export type PixelCodec =
  'native' | 'native-big-endian' | 'rle' | 'jpeg-dct' | 'jpeg-lossless' | 'jpeg-ls' | 'jpeg-2000'

/** The transfer syntaxes this package reads (PS3.5 Section 10 and Annex A). */
export const SUPPORTED_TRANSFER_SYNTAXES: Readonly<
  Record<string, { name: string; codec: PixelCodec }>
> = {
  '1.2.840.10008.1.2': { name: 'Implicit VR Little Endian', codec: 'native' },
  '1.2.840.10008.1.2.1': { name: 'Explicit VR Little Endian', codec: 'native' },
  '1.2.840.10008.1.2.1.99': { name: 'Deflated Explicit VR Little Endian', codec: 'native' },
  '1.2.840.10008.1.2.2': { name: 'Explicit VR Big Endian', codec: 'native-big-endian' },
  '1.2.840.10008.1.2.5': { name: 'RLE Lossless', codec: 'rle' },
  '1.2.840.10008.1.2.4.50': { name: 'JPEG Baseline (Process 1)', codec: 'jpeg-dct' },
  '1.2.840.10008.1.2.4.51': {
    name: 'JPEG Extended (Process 2 & 4), 8-bit only',
    codec: 'jpeg-dct',
  },
  '1.2.840.10008.1.2.4.57': {
    name: 'JPEG Lossless, Non-Hierarchical (Process 14)',
    codec: 'jpeg-lossless',
  },
  '1.2.840.10008.1.2.4.70': {
    name: 'JPEG Lossless, First-Order Prediction (Process 14 SV1)',
    codec: 'jpeg-lossless',
  },
  '1.2.840.10008.1.2.4.80': { name: 'JPEG-LS Lossless', codec: 'jpeg-ls' },
  '1.2.840.10008.1.2.4.81': { name: 'JPEG-LS Near-Lossless', codec: 'jpeg-ls' },
  '1.2.840.10008.1.2.4.90': { name: 'JPEG 2000 Lossless', codec: 'jpeg-2000' },
  '1.2.840.10008.1.2.4.91': { name: 'JPEG 2000', codec: 'jpeg-2000' },
}

/** Names of some transfer syntaxes we do not read, for clearer error messages. */
export const UNSUPPORTED_NAMES: Readonly<Record<string, string>> = {
  '1.2.840.10008.1.2.4.100': 'MPEG2 Main Profile',
  '1.2.840.10008.1.2.4.101': 'MPEG2 Main Profile High Level',
  '1.2.840.10008.1.2.4.102': 'MPEG-4 AVC/H.264',
  '1.2.840.10008.1.2.4.107': 'HEVC/H.265',
  '1.2.840.10008.1.2.4.201': 'High-Throughput JPEG 2000 Lossless',
  '1.2.840.10008.1.2.4.202': 'High-Throughput JPEG 2000 RPCL Lossless',
  '1.2.840.10008.1.2.4.203': 'High-Throughput JPEG 2000',
  '1.2.840.10008.1.2.4.92': 'JPEG 2000 Part 2 Multi-component Lossless',
  '1.2.840.10008.1.2.4.93': 'JPEG 2000 Part 2 Multi-component',
  '1.2.840.10008.1.2.4.94': 'JPIP Referenced',
}

/** The Image Pixel module (PS3.3 C.7.6.3) and the LUT attributes of one image. */
export interface DicomHeader {
  readonly transferSyntax: string
  readonly rows: number
  readonly columns: number
  readonly samplesPerPixel: number
  readonly photometric: string
  readonly bitsAllocated: number
  readonly bitsStored: number
  readonly highBit: number
  readonly signed: boolean
  readonly planarConfiguration: number
  readonly rescale?: Rescale
  readonly modalityLut?: LookupTable
  readonly voiLut?: LookupTable
  readonly voiLutFunction?: VoiLutFunction
  readonly info: DicomInfo
}

function numbers(ds: DataSet, tag: string): number[] {
  const n = ds.numStringValues(tag) ?? 0
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const v = ds.floatString(tag, i)
    if (v !== undefined && Number.isFinite(v)) out.push(v)
  }
  return out
}

/** Reads a LUT item (LUT Descriptor, PS3.3 C.11.1.1.1) from a sequence, or undefined. */
function readLut(ds: DataSet, sequenceTag: string, signed: boolean): LookupTable | undefined {
  const item = ds.elements[sequenceTag]?.items?.[0]?.dataSet
  const descriptor = item?.elements.x00283002
  const dataEl = item?.elements.x00283006
  if (!item || !descriptor || !dataEl) return undefined
  // A first value of 0 means 65536 entries; the first mapped value is signed when pixels are.
  const entries = item.uint16('x00283002', 0) || 65536
  const firstRaw = item.uint16('x00283002', 1) ?? 0
  const firstMapped = signed && firstRaw > 32767 ? firstRaw - 65536 : firstRaw
  const bits = item.uint16('x00283002', 2) ?? 16
  const bytes = item.byteArray
  const data = new Uint16Array(entries)
  const eightBitData = dataEl.length === entries || (bits <= 8 && dataEl.length < entries * 2)
  for (let i = 0; i < entries; i++) {
    const at = dataEl.dataOffset + (eightBitData ? i : i * 2)
    data[i] = eightBitData ? (bytes[at] ?? 0) : (bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8)
  }
  const explanation = item.string('x00283003')
  return { firstMapped, bits, data, ...(explanation ? { explanation } : {}) }
}

/**
 * Patient's Age (AS, PS3.5 6.2): `nnnD`, `nnnW`, `nnnM` or `nnnY`, in years. A bare number
 * (not valid AS, but written by some exporters, e.g. the shared NIH and SIIM files) is years.
 */
export function ageInYears(age: string | undefined): number | undefined {
  const m = /^(\d{1,3})([DWMY])?$/i.exec(age?.trim() ?? '')
  if (!m) return undefined
  const n = Number(m[1])
  const per = { D: 365.25, W: 52.1775, M: 12, Y: 1 }[
    (m[2] ?? 'Y').toUpperCase() as 'D' | 'W' | 'M' | 'Y'
  ]
  return Math.round((n / per) * 100) / 100
}

/** Reads the attributes that decoding and import need from a parsed data set. */
export function readHeader(ds: DataSet, transferSyntax: string): DicomHeader {
  const bitsAllocated = ds.uint16('x00280100') ?? 0
  const bitsStored = ds.uint16('x00280101') ?? bitsAllocated
  const signed = ds.uint16('x00280103') === 1
  const slope = ds.floatString('x00281053')
  const intercept = ds.floatString('x00281052')
  const rescaleType = ds.string('x00281054')
  const centers = numbers(ds, 'x00281050')
  const widths = numbers(ds, 'x00281051')
  const windows: WindowLevel[] = centers.flatMap((center, i) => {
    const width = widths[i] ?? widths[0]
    return width !== undefined && width > 0 ? [{ center, width }] : []
  })
  const fn = ds.string('x00281056')?.toUpperCase()
  const spacing = numbers(ds, 'x00280030')
  const imagerSpacing = numbers(ds, 'x00181164')
  const pixelSpacing =
    spacing.length === 2 ? spacing : imagerSpacing.length === 2 ? imagerSpacing : undefined
  const text = (tag: string): string | undefined => ds.string(tag)?.trim() || undefined
  const age = text('x00101010')
  const ageYears = ageInYears(age)
  const modality = text('x00080060')
  const viewPosition = text('x00185101')
  const patientSex = text('x00100040')
  const info: DicomInfo = {
    transferSyntax,
    numberOfFrames: Math.max(1, ds.intString('x00280008') ?? 1),
    presentationInverse: text('x20500020')?.toUpperCase() === 'INVERSE',
    windows,
    ...(modality ? { modality } : {}),
    ...(pixelSpacing
      ? { pixelSpacing: [pixelSpacing[0] ?? 0, pixelSpacing[1] ?? 0] as const }
      : {}),
    ...(viewPosition ? { viewPosition } : {}),
    ...(patientSex ? { patientSex } : {}),
    ...(age ? { patientAge: age } : {}),
    ...(ageYears !== undefined ? { patientAgeYears: ageYears } : {}),
  }
  const modalityLut = readLut(ds, 'x00283000', signed)
  const voiLut = readLut(ds, 'x00283010', signed)
  return {
    transferSyntax,
    rows: ds.uint16('x00280010') ?? 0,
    columns: ds.uint16('x00280011') ?? 0,
    samplesPerPixel: ds.uint16('x00280002') ?? 1,
    photometric: (text('x00280004') ?? 'MONOCHROME2').toUpperCase(),
    bitsAllocated,
    bitsStored,
    highBit: ds.uint16('x00280102') ?? bitsStored - 1,
    signed,
    planarConfiguration: ds.uint16('x00280006') ?? 0,
    ...(slope !== undefined || intercept !== undefined
      ? {
          rescale: {
            slope: slope ?? 1,
            intercept: intercept ?? 0,
            ...(rescaleType ? { type: rescaleType } : {}),
          },
        }
      : {}),
    ...(modalityLut ? { modalityLut } : {}),
    ...(voiLut ? { voiLut } : {}),
    ...(fn === 'LINEAR' || fn === 'LINEAR_EXACT' || fn === 'SIGMOID' ? { voiLutFunction: fn } : {}),
    info,
  }
}
