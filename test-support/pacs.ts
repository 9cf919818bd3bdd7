import {
  corruptDx,
  dxFromPng,
  retagged,
  sharedIdentity,
  textReport,
  type FilmSpec,
} from './dicom-fixtures.ts'
import type { TestOrthanc } from './orthanc.ts'

const UID = '1.2.826.0.1.3680043.10.543'

/** Three patients made from shared PNGs, with the identifying values a blinded reader must not see. */
export const PATIENTS = {
  alpha: { patientId: 'PAT-ALPHA-001', patientName: 'Alpha^Anna', sex: 'F', age: '054Y' },
  beta: { patientId: 'PAT-BETA-002', patientName: 'Beta^Bob', sex: 'M', age: '071Y' },
  gamma: { patientId: 'PAT-GAMMA-003', patientName: 'Gamma^Gus', sex: 'M', age: '033Y' },
} as const

export const FILMS: readonly FilmSpec[] = [
  {
    png: '00000075_000.png',
    ...PATIENTS.alpha,
    view: 'PA',
    study: `${UID}.1`,
    series: `${UID}.1.1`,
    sop: `${UID}.1.1.1`,
    studyDate: '20240105',
    identityRemoved: 'YES',
    burnedIn: 'NO',
  },
  {
    png: '00000284_000.png',
    ...PATIENTS.alpha,
    view: 'PA',
    study: `${UID}.1`,
    series: `${UID}.1.1`,
    sop: `${UID}.1.1.2`,
    studyDate: '20240105',
    identityRemoved: 'YES',
    burnedIn: 'NO',
  },
  {
    png: '00000353_000.png',
    ...PATIENTS.beta,
    view: 'PA',
    viewAsCode: true,
    study: `${UID}.2`,
    series: `${UID}.2.1`,
    sop: `${UID}.2.1.1`,
    studyDate: '20240210',
  },
  {
    png: '00000846_000.png',
    ...PATIENTS.beta,
    view: 'AP',
    study: `${UID}.2`,
    series: `${UID}.2.2`,
    sop: `${UID}.2.2.1`,
    studyDate: '20240210',
  },
  {
    png: '00010027_000.png',
    ...PATIENTS.gamma,
    view: 'PA',
    study: `${UID}.3`,
    series: `${UID}.3.1`,
    sop: `${UID}.3.1.1`,
    studyDate: '20230820',
    burnedIn: 'YES',
  },
]

/** The corrupt film (JPEG Baseline of garbage) in the gamma study. */
export const CORRUPT = {
  ...PATIENTS.gamma,
  view: 'PA',
  study: `${UID}.3`,
  series: `${UID}.3.1`,
  sop: `${UID}.3.1.2`,
  studyDate: '20230820',
} as const

/** The radiology report (Basic Text SR) in the alpha study: not an image. */
export const REPORT = {
  ...PATIENTS.alpha,
  study: `${UID}.1`,
  series: `${UID}.1.9`,
  sop: `${UID}.1.9.1`,
  studyDate: '20240105',
} as const

export const NIH = 'nih-cxr14-dx-explicit-little-endian.dcm'
export const SIIM = 'siim-cxr-jpeg-baseline.dcm'
export const SIIM_MONO1 = 'siim-cxr-jpeg-baseline-monochrome1.dcm'

/** The SIIM MONOCHROME1 copy gets its own SOP Instance UID (same length: the file is JPEG). */
export function monochrome1Uid(): string {
  const sop = sharedIdentity(SIIM_MONO1).sop
  return `${sop.slice(0, -2)}77`
}

/** What the test archive holds, as an import should find it. */
export interface TestArchive {
  readonly images: readonly string[]
  readonly studies: number
  readonly patients: number
  readonly report: string
  readonly corrupt: string
  readonly monochrome1: string
  readonly jpegBaseline: string
  readonly uncompressed: string
}

/**
 * Uploads the test archive: 5 DX made from shared CXR14 PNGs (3 patients, 3 studies, 4 series;
 * one view given only as a code; one study de-identified, one with burned-in text), one corrupt
 * DX, one Basic Text SR, and the shared DICOM files (uncompressed, JPEG Baseline, and its
 * MONOCHROME1 copy under a new UID).
 */
export async function uploadTestArchive(orthanc: TestOrthanc): Promise<TestArchive> {
  for (const f of FILMS) await orthanc.upload(await dxFromPng(f))
  await orthanc.upload(corruptDx(CORRUPT))
  await orthanc.upload(textReport(REPORT))
  await orthanc.upload(retagged(NIH, {}))
  await orthanc.upload(retagged(SIIM, {}))
  const mono1 = monochrome1Uid()
  await orthanc.upload(retagged(SIIM_MONO1, { x00080018: mono1, x00020003: mono1 }))
  const nih = sharedIdentity(NIH)
  const siim = sharedIdentity(SIIM)
  return {
    images: [...FILMS.map((f) => f.sop), CORRUPT.sop, nih.sop, siim.sop, mono1].sort(),
    studies: 5,
    patients: 5,
    report: REPORT.sop,
    corrupt: CORRUPT.sop,
    monochrome1: mono1,
    jpegBaseline: siim.sop,
    uncompressed: nih.sop,
  }
}
