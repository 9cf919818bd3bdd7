import { readFileSync } from 'node:fs'
import dicomParser from 'dicom-parser'
import sharp from 'sharp'
import {
  greyImageElements,
  writeDicom,
  type DicomElement,
} from '../packages/imaging/src/testing/dicom-writer.ts'
import { sharedData } from './shared-data.ts'

/** Who and what a test film is: the attributes written into a DX made from a shared PNG. */
export interface FilmSpec {
  readonly png: string
  readonly patientId: string
  readonly patientName: string
  readonly sex: 'M' | 'F' | 'O'
  readonly age: string
  readonly view: string
  readonly study: string
  readonly series: string
  readonly sop: string
  readonly studyDate: string
  /** Patient Identity Removed (0012,0062); left out when undefined. */
  readonly identityRemoved?: 'YES' | 'NO'
  /** Burned In Annotation (0028,0301); left out when undefined. */
  readonly burnedIn?: 'YES' | 'NO'
  /** Put the view in the View Code Sequence (CID 4010) instead of View Position. */
  readonly viewAsCode?: boolean
}

const text = (g: number, e: number, vr: string, value: string): DicomElement => ({
  tag: [g, e],
  vr,
  value,
})

function identity(f: Omit<FilmSpec, 'png' | 'view'>, modality: string): DicomElement[] {
  return [
    text(0x0008, 0x0005, 'CS', 'ISO_IR 100'),
    text(0x0008, 0x0018, 'UI', f.sop),
    text(0x0008, 0x0020, 'DA', f.studyDate),
    text(0x0008, 0x0030, 'TM', '101500'),
    text(0x0008, 0x0050, 'SH', `ACC${f.study.slice(-6)}`),
    text(0x0008, 0x0090, 'PN', ''),
    text(0x0010, 0x0010, 'PN', f.patientName),
    text(0x0010, 0x0020, 'LO', f.patientId),
    text(0x0010, 0x0030, 'DA', '19600101'),
    text(0x0010, 0x0040, 'CS', f.sex),
    text(0x0010, 0x1010, 'AS', f.age),
    text(0x0020, 0x000d, 'UI', f.study),
    text(0x0020, 0x000e, 'UI', f.series),
    text(0x0020, 0x0010, 'SH', '1'),
    text(0x0020, 0x0011, 'IS', '1'),
    text(0x0020, 0x0013, 'IS', '1'),
    ...(f.identityRemoved ? [text(0x0012, 0x0062, 'CS', f.identityRemoved)] : []),
    ...(f.burnedIn ? [text(0x0028, 0x0301, 'CS', f.burnedIn)] : []),
    ...(modality === 'DX' ? [] : [text(0x0008, 0x0060, 'CS', modality)]),
  ]
}

/** A DX (For Presentation) made from a shared CXR14 PNG, 8-bit MONOCHROME2, uncompressed. */
export async function dxFromPng(f: FilmSpec): Promise<Uint8Array> {
  const { data, info } = await sharp(sharedData(`cxr14/images/${f.png}`))
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true })
  const view: DicomElement[] = f.viewAsCode
    ? [
        {
          tag: [0x0054, 0x0220],
          vr: 'SQ',
          value: [
            [
              text(0x0008, 0x0100, 'SH', f.view === 'AP' ? 'R-10206' : 'R-10214'),
              text(0x0008, 0x0102, 'SH', 'SRT'),
              text(0x0008, 0x0104, 'LO', f.view === 'AP' ? 'antero-posterior' : 'postero-anterior'),
            ],
          ],
        },
      ]
    : [text(0x0018, 0x5101, 'CS', f.view)]
  return writeDicom({
    transferSyntax: '1.2.840.10008.1.2.1',
    elements: greyImageElements({
      width: info.width,
      height: info.height,
      bitsAllocated: 8,
      bitsStored: 8,
      pixels: new Uint8Array(data.buffer, data.byteOffset, data.length),
      extra: [...identity(f, 'DX'), ...view],
    }),
  })
}

/** A DX whose JPEG Baseline pixel data is garbage: stored by a PACS, unreadable by a viewer. */
export function corruptDx(f: Omit<FilmSpec, 'png'>): Uint8Array {
  const garbage = new Uint8Array(4000)
  garbage.set([0xff, 0xd8, 0xff, 0xdb])
  for (let i = 4; i < garbage.length; i++) garbage[i] = (i * 37) % 251
  return writeDicom({
    transferSyntax: '1.2.840.10008.1.2.4.50',
    elements: greyImageElements({
      width: 512,
      height: 512,
      bitsAllocated: 8,
      bitsStored: 8,
      extra: [...identity(f, 'DX'), text(0x0018, 0x5101, 'CS', f.view)],
    }),
    fragments: [garbage],
  })
}

/** A Basic Text SR (a radiology report) in a study: not an image, to be listed as skipped. */
export function textReport(f: Omit<FilmSpec, 'png' | 'view'>): Uint8Array {
  return writeDicom({
    transferSyntax: '1.2.840.10008.1.2.1',
    elements: [
      text(0x0008, 0x0016, 'UI', '1.2.840.10008.5.1.4.1.1.88.11'),
      ...identity(f, 'SR'),
      text(0x0040, 0xa040, 'CS', 'CONTAINER'),
      text(0x0040, 0xa050, 'CS', 'SEPARATE'),
      text(0x0040, 0xa491, 'CS', 'COMPLETE'),
      text(0x0040, 0xa493, 'CS', 'UNVERIFIED'),
    ],
  })
}

/**
 * A shared DICOM file with some text attributes replaced by values of the same length (so no
 * length changes: compressed pixel data stays as it was), e.g. a new SOP Instance UID for a copy.
 */
export function retagged(shared: string, replace: Readonly<Record<string, string>>): Uint8Array {
  const bytes = new Uint8Array(readFileSync(sharedData(`dicom/${shared}`)))
  const ds = dicomParser.parseDicom(bytes)
  for (const [tag, value] of Object.entries(replace)) {
    const el = ds.elements[tag]
    if (el === undefined) throw new Error(`${shared} has no ${tag}`)
    const current = ds.string(tag) ?? ''
    if (value.length !== current.length)
      throw new Error(`${tag}: "${value}" must have the length of "${current}"`)
    bytes.set(Buffer.from(value, 'latin1'), el.dataOffset)
  }
  return bytes
}

/** The SOP Instance UID, study and patient of a shared DICOM file, as stored. */
export function sharedIdentity(shared: string): {
  sop: string
  study: string
  series: string
  patient: string
} {
  const ds = dicomParser.parseDicom(new Uint8Array(readFileSync(sharedData(`dicom/${shared}`))))
  return {
    sop: ds.string('x00080018') ?? '',
    study: ds.string('x0020000d') ?? '',
    series: ds.string('x0020000e') ?? '',
    patient: ds.string('x00100020') ?? '',
  }
}
