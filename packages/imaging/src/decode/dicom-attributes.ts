import type { DicomAttributes } from '@cxr-audit/core'
import type { DataSet } from 'dicom-parser'
import { ImageError } from '../errors.ts'
import { dicomParser } from './lazy-codecs.ts'

const NUMERIC: Readonly<
  Record<string, (ds: DataSet, tag: string, i: number) => number | undefined>
> = {
  US: (ds, t, i) => ds.uint16(t, i),
  SS: (ds, t, i) => ds.int16(t, i),
  UL: (ds, t, i) => ds.uint32(t, i),
  SL: (ds, t, i) => ds.int32(t, i),
  FL: (ds, t, i) => ds.float(t, i),
  FD: (ds, t, i) => ds.double(t, i),
}

/**
 * The VR of numeric attributes read from every instance, for files in Implicit VR Little Endian
 * (their elements carry no VR, and a US read as text is garbage).
 */
const IMPLICIT_VR: Readonly<Record<string, string>> = {
  x00280010: 'US', // Rows
  x00280011: 'US', // Columns
}

/** {@link DicomAttributes} over a data set parsed by dicom-parser (a Part 10 file). */
export function parsedAttributes(ds: DataSet): DicomAttributes {
  const key = (tag: string): string => `x${tag.toLowerCase()}`
  const texts = (tag: string): string[] => {
    const el = ds.elements[key(tag)]
    if (el === undefined || el.length === 0) return []
    const vr = el.vr ?? IMPLICIT_VR[key(tag)]
    const numeric = vr === undefined ? undefined : NUMERIC[vr]
    if (numeric !== undefined) {
      const size = vr === 'US' || vr === 'SS' ? 2 : vr === 'FD' ? 8 : 4
      return Array.from({ length: el.length / size }, (_, i) => numeric(ds, key(tag), i)).flatMap(
        (v) => (v === undefined ? [] : [String(v)]),
      )
    }
    const raw = ds.string(key(tag)) ?? ''
    return raw
      .split('\\')
      .map((v) => v.trim())
      .filter((v) => v !== '')
  }
  return {
    text: (tag) => texts(tag)[0],
    texts,
    items: (tag) =>
      (ds.elements[key(tag)]?.items ?? []).flatMap((it) =>
        it.dataSet ? [parsedAttributes(it.dataSet)] : [],
      ),
    has: (tag) => ds.elements[key(tag)] !== undefined,
  }
}

/**
 * The attributes of a DICOM Part 10 file (pixel data not read): for reading a folder of DICOM
 * files into a dataset with the same extraction as DICOMweb ({@link instanceRecord}), and for
 * reading back the reports `export sr` writes.
 */
export function dicomFileAttributes(file: string, bytes: Uint8Array): DicomAttributes {
  try {
    return parsedAttributes(dicomParser().parseDicom(bytes, { untilTag: 'x7fe00010' }))
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    throw new ImageError('corrupt', file, `not a readable DICOM file (${detail})`, { cause: error })
  }
}
