import { open, readdir, realpath, stat } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import { instanceRecord, privacyOf, skipReason, type DicomInstanceRecord } from '@cxr-audit/core'
import { dicomFileAttributes, isImageError } from '@cxr-audit/imaging/dicom-files'
import { writeDicomDataset, type DicomImageInput, type Store } from '@cxr-audit/store'
import { DEFAULT_MODALITIES } from './dicomweb-import.ts'
import { InputFileError } from './files.ts'

export interface DicomFolderImportOptions {
  /** Folders of DICOM files, read recursively; they become the dataset's image roots. */
  readonly images: readonly string[]
  readonly name?: string | undefined
  /** Modalities imported (default CR and DX, as `import dicomweb`). */
  readonly modalities?: readonly string[] | undefined
  readonly onProgress?: (stage: string, done: number, total: number) => void
}

/** A file of the folders that is not an item, and why [DS21]. */
export interface SkippedFile {
  /** The path below its folder. */
  readonly file: string
  /** Its SOP Instance UID when it is a DICOM file. */
  readonly uid: string | null
  readonly modality: string | null
  readonly sopClass: string | null
  readonly reason: string
}

/** `cxr-audit import dicom --json` [DS21]. */
export interface DicomFolderImportSummary {
  readonly dataset: string
  readonly datasetId: number
  readonly images: number
  readonly studies: number
  readonly series: number
  readonly patients: number
  /** Items per view as read (PA, AP, LL...; `unknown` when the headers say none). */
  readonly views: Record<string, number>
  readonly sexes: Record<string, number>
  /** Files read, items or not. */
  readonly files: number
  readonly skipped: SkippedFile[]
  readonly folders: string[]
  readonly inserted: number
  readonly updated: number
  readonly unchanged: number
  /** Images whose Patient Identity Removed is not YES, and with Burned In Annotation YES [D5]. */
  readonly privacy: { readonly identifiable: number; readonly burnedIn: number }
  readonly seconds: number
}

export const DEFAULT_DICOM_DATASET = 'DICOM folder'

/** The header is read from this many bytes first; the whole file only when it is longer. */
const HEAD_BYTES = 256 * 1024

/**
 * Imports a folder of DICOM files as a dataset [DS21]: one item per image instance, named by its
 * SOP Instance UID, with patient, study, series, view, sex, age and de-identification status
 * read from its header by the same extraction as `import dicomweb` ({@link instanceRecord});
 * files that are not DICOM, not images of a film, of another modality, or a second copy of an
 * instance are listed as skipped, never fatal. The folders become the image roots, so images
 * are served from them. Every file is read before anything is written, in one transaction.
 */
export async function importDicomFolder(
  store: Store,
  o: DicomFolderImportOptions,
): Promise<DicomFolderImportSummary> {
  const started = performance.now()
  if (o.images.length === 0) throw new InputFileError('--images', 'give a folder of DICOM files')
  const modalities = (o.modalities ?? DEFAULT_MODALITIES).map((m) => m.trim().toUpperCase())
  const folders: string[] = []
  const files: { root: string; path: string }[] = []
  for (const folder of o.images) {
    const root = await folderOf(folder)
    folders.push(root)
    for (const path of await filesUnder(root)) files.push({ root, path })
  }
  const images: DicomImageInput[] = []
  const skipped: SkippedFile[] = []
  const firstOf = new Map<string, string>()
  let done = 0
  for (const { root, path } of files) {
    o.onProgress?.('reading', done++, files.length)
    const file = relative(root, path)
    let r: DicomInstanceRecord
    try {
      r = instanceRecord(await headerOf(path))
    } catch (e) {
      if (!isImageError(e)) throw e
      skipped.push({
        file,
        uid: null,
        modality: null,
        sopClass: null,
        reason: 'not a readable DICOM file',
      })
      continue
    }
    const skip = (reason: string): void =>
      void skipped.push({
        file,
        uid: r.sopInstanceUid || null,
        modality: r.modality || null,
        sopClass: r.sopClassUid || null,
        reason,
      })
    const reason = skipReason(r, modalities)
    const first = firstOf.get(r.sopInstanceUid)
    if (reason !== null) skip(reason)
    else if (first !== undefined) skip(`the same SOP Instance UID as ${first}`)
    else {
      firstOf.set(r.sopInstanceUid, file)
      images.push({ record: r, path })
    }
  }
  o.onProgress?.('reading', files.length, files.length)
  const name = o.name ?? DEFAULT_DICOM_DATASET
  const written = await writeDicomDataset(store, {
    name,
    sourceFormat: 'dicom',
    root: folders[0]!,
    roots: folders,
    sources: { images: folders, modalities },
    images,
  })
  const records = images.map((im) => im.record)
  const tally = (key: (r: DicomInstanceRecord) => string): Record<string, number> => {
    const out: Record<string, number> = {}
    for (const r of records) out[key(r)] = (out[key(r)] ?? 0) + 1
    return out
  }
  return {
    dataset: name,
    datasetId: written.datasetId,
    images: images.length,
    studies: new Set(records.map((r) => r.studyUid)).size,
    series: new Set(records.map((r) => r.seriesUid)).size,
    patients: new Set(records.map((r) => r.patient)).size,
    views: tally((r) => r.view || 'unknown'),
    sexes: tally((r) => r.sex || 'unknown'),
    files: files.length,
    skipped,
    folders,
    inserted: written.inserted,
    updated: written.updated,
    unchanged: written.unchanged,
    privacy: {
      identifiable: records.filter((r) => privacyOf(r).identifiable).length,
      burnedIn: records.filter((r) => privacyOf(r).burnedIn).length,
    },
    seconds: Math.round(performance.now() - started) / 1000,
  }
}

async function folderOf(folder: string): Promise<string> {
  try {
    const root = await realpath(resolve(folder))
    if (!(await stat(root)).isDirectory())
      throw new InputFileError(folder, 'the image folder is not a folder')
    return root
  } catch (e) {
    if (e instanceof InputFileError) throw e
    throw new InputFileError(folder, 'cannot read the image folder (no such folder?)')
  }
}

/** Every regular file below a folder, sorted (DICOM files often have no extension). */
async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort()
}

/** The attributes of a DICOM file, reading its head first (pixel data is never needed). */
async function headerOf(path: string) {
  const handle = await open(path, 'r')
  try {
    const size = (await handle.stat()).size
    const head = new Uint8Array(Math.min(size, HEAD_BYTES))
    await handle.read(head, 0, head.length, 0)
    try {
      return dicomFileAttributes(path, head)
    } catch (e) {
      if (size <= HEAD_BYTES) throw e
      const all = new Uint8Array(size)
      await handle.read(all, 0, size, 0)
      return dicomFileAttributes(path, all)
    }
  } finally {
    await handle.close()
  }
}
