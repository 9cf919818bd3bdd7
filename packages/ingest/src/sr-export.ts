import { createHash } from 'node:crypto'
import { join } from 'node:path'
import {
  jsonAttributes,
  uidFromHex,
  verdictReport,
  writePart10,
  type DicomJsonDataset,
  type StudyAttributes,
} from '@cxr-audit/core'
import {
  DicomwebClient,
  credentialsFromEnv,
  isDicomwebError,
  isDicomwebRoot,
  mapLimit,
  timeoutFromEnv,
  writeFileAtomically,
} from '@cxr-audit/dicomweb'
import {
  StoreError,
  findDataset,
  findReader,
  getAudit,
  reviewedInstances,
  type ReviewedInstance,
  type Store,
} from '@cxr-audit/store'

export interface SrExportOptions {
  readonly dataset?: string | undefined
  readonly reader: string
  readonly auditId?: number | undefined
  /** A folder, or a DICOMweb URL to store to with STOW-RS. */
  readonly to: string
  readonly env?: Record<string, string | undefined>
  readonly softwareVersion?: string
  readonly onProgress?: (stage: string, done: number, total: number) => void
}

/** `cxr-audit export sr --json` [D8]. */
export interface SrExportSummary {
  /** Structured Reports made: one per reviewed instance. */
  readonly documents: number
  /** Of those, written to the folder or accepted by the server. */
  readonly stored: number
  readonly failed: { readonly image: string; readonly reason: string }[]
  readonly to: string
  readonly dataset: string
  readonly reader: string
  /** SOP Instance UIDs of the reports stored. */
  readonly reports: string[]
}

/** Reports sent per STOW-RS request. */
const STOW_BATCH = 20

const hex = (...parts: readonly (string | number)[]): string =>
  createHash('sha256').update(parts.join('\u0000')).digest('hex')

/**
 * Writes one Comprehensive SR per instance that `reader` reviewed [D8], to a folder or to a
 * DICOMweb server (STOW-RS). The patient and study attributes are copied from the image's own
 * metadata (WADO-RS, from the dataset's server: the database keeps no patient names), so the
 * report files under the same patient and study. UIDs are derived from the content: exporting
 * unchanged verdicts again gives the same reports (a server keeps one copy), changed verdicts
 * give new ones in the same series. An image whose metadata cannot be read, or whose report the
 * server refuses, is listed in `failed`; the others are still written.
 */
export async function exportSr(store: Store, o: SrExportOptions): Promise<SrExportSummary> {
  const env = o.env ?? process.env
  const dataset = await findDataset(store.db, o.dataset)
  const root = dataset.imageRoots.find(isDicomwebRoot)
  if (root === undefined)
    throw new StoreError(
      `"${dataset.name}" is not a DICOMweb dataset: export sr needs the images' archive (import dicomweb)`,
    )
  const reader = await findReader(store.db, o.reader)
  if (reader === undefined) throw new StoreError(`no reader named "${o.reader}"`)
  let auditName: string | undefined
  if (o.auditId !== undefined) {
    const audit = await getAudit(store.db, o.auditId)
    if (audit === undefined || audit.datasetId !== dataset.id)
      throw new StoreError(`no audit ${o.auditId} in dataset "${dataset.name}"`)
    auditName = audit.name
  }
  const reviewed = await reviewedInstances(store.db, dataset.id, reader.id, o.auditId)
  const source = new DicomwebClient({
    url: root,
    credentials: credentialsFromEnv(env),
    timeoutMs: timeoutFromEnv(env),
  })
  const failed: { image: string; reason: string }[] = []
  const studies = new Map<string, Promise<StudyAttributes>>()
  const numbers = new Map<string, number>()
  let done = 0
  const made = await mapLimit(reviewed, 4, async (r) => {
    try {
      let study = studies.get(r.studyUid)
      if (study === undefined) {
        study = source
          .retrieveMetadata({ study: r.studyUid, series: r.seriesUid, instance: r.name })
          .then(studyAttributes)
        studies.set(r.studyUid, study)
      }
      const attributes = await study
      return { r, bytes: report(r, attributes) }
    } catch (error) {
      if (!isDicomwebError(error)) throw error
      failed.push({ image: r.name, reason: `cannot read its study from ${root}: ${error.detail}` })
      return undefined
    } finally {
      o.onProgress?.('reports', ++done, reviewed.length)
    }
  })

  function report(r: ReviewedInstance, s: StudyAttributes): { uid: string; data: Uint8Array } {
    const seriesUid = uidFromHex(
      hex('cxr-audit sr series', root!, r.studyUid, reader!.name, o.auditId ?? ''),
    )
    const instanceNumber = (numbers.get(seriesUid) ?? 0) + 1
    numbers.set(seriesUid, instanceNumber)
    const content = JSON.stringify([r.verdicts, r.tags, r.lastTime, s])
    const instanceUid = uidFromHex(hex('cxr-audit sr', seriesUid, r.name, content))
    const elements = verdictReport({
      study: s,
      image: { seriesUid: r.seriesUid, sopUid: r.name, sopClassUid: r.sopClassUid },
      sr: {
        seriesUid,
        instanceUid,
        seriesNumber: 990,
        instanceNumber,
        seriesDescription: `cxr-audit verdicts: ${reader!.name}`.slice(0, 64),
        time: r.lastTime,
      },
      observer: reader!.name,
      verdicts: r.verdicts,
      tags: r.tags,
      comment: `Label audit verdicts by ${reader!.name}${auditName === undefined ? '' : ` in audit "${auditName}" (${o.auditId})`}, dataset "${dataset.name}"`,
      manufacturer: 'cxr-audit',
      softwareVersion: o.softwareVersion ?? '0.1.0',
    })
    return { uid: instanceUid, data: writePart10(elements) }
  }

  const ready = made.flatMap((m) => (m === undefined ? [] : [m]))
  const stored: string[] = []
  if (isDicomwebRoot(o.to)) {
    const target = new DicomwebClient({
      url: o.to,
      credentials: credentialsFromEnv(env),
      timeoutMs: timeoutFromEnv(env),
    })
    for (let at = 0; at < ready.length; at += STOW_BATCH) {
      const batch = ready.slice(at, at + STOW_BATCH)
      try {
        const result = await target.store(batch.map((b) => b.bytes.data))
        const ok = new Set(result.stored)
        const why = new Map(result.failed.map((f) => [f.uid, f.reason]))
        for (const b of batch) {
          if (ok.has(b.bytes.uid)) stored.push(b.bytes.uid)
          else
            failed.push({
              image: b.r.name,
              reason: why.get(b.bytes.uid) ?? 'the server did not confirm it (STOW-RS)',
            })
        }
      } catch (error) {
        if (!isDicomwebError(error) || error.kind === 'bad-url') throw error
        for (const b of batch) failed.push({ image: b.r.name, reason: error.message })
      }
    }
  } else {
    for (const b of ready) {
      await writeFileAtomically(join(o.to, `${b.bytes.uid}.dcm`), b.bytes.data)
      stored.push(b.bytes.uid)
    }
  }
  return {
    documents: ready.length,
    stored: stored.length,
    failed,
    to: o.to,
    dataset: dataset.name,
    reader: reader.name,
    reports: stored,
  }
}

/** The Patient and General Study attributes of an instance's metadata (PS3.3 C.7.1.1, C.7.2.1). */
export function studyAttributes(ds: DicomJsonDataset): StudyAttributes {
  const a = jsonAttributes(ds)
  const t = (tag: string): string => a.text(tag) ?? ''
  return {
    patientName: t('00100010'),
    patientId: t('00100020'),
    patientBirthDate: t('00100030'),
    patientSex: t('00100040'),
    studyUid: t('0020000D'),
    studyDate: t('00080020'),
    studyTime: t('00080030'),
    referringPhysician: t('00080090'),
    studyId: t('00200010'),
    accessionNumber: t('00080050'),
  }
}
