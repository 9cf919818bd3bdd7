import {
  INSTANCE_FIELDS,
  instancePath,
  instanceRecord,
  isDicomUid,
  jsonAttributes,
  privacyOf,
  skipReason,
  TAGS,
  type DicomInstanceRecord,
  type DicomJsonDataset,
} from '@cxr-audit/core'
import { DicomwebClient, credentialsFromEnv, mapLimit, timeoutFromEnv } from '@cxr-audit/dicomweb'
import { StoreError, writeDicomDataset, type DicomImageInput, type Store } from '@cxr-audit/store'

export interface DicomwebImportOptions {
  /** The DICOMweb base URL; credentials come from the environment [D4]. */
  readonly url: string
  /** Only these studies (Study Instance UIDs); default every study that matches. */
  readonly studies?: readonly string[] | undefined
  /** Studies on or after this date (YYYY-MM-DD or YYYYMMDD). */
  readonly since?: string | undefined
  /** Modalities imported (default CR and DX). */
  readonly modalities?: readonly string[] | undefined
  readonly name?: string | undefined
  readonly env?: Record<string, string | undefined>
  /** Searches in flight at once (default 4). */
  readonly concurrency?: number
  readonly onProgress?: (stage: string, done: number, total: number) => void
}

/** An instance (or a requested study) that was not imported, and why [D2]. */
export interface SkippedInstance {
  readonly uid: string
  readonly study: string
  readonly series: string | null
  readonly modality: string | null
  readonly sopClass: string | null
  readonly reason: string
}

/** `cxr-audit import dicomweb --json` [D1]. */
export interface DicomwebImportSummary {
  readonly dataset: string
  readonly images: number
  readonly studies: number
  readonly patients: number
  readonly skipped: SkippedInstance[]
  readonly url: string
  readonly inserted: number
  readonly updated: number
  readonly unchanged: number
  /** Images whose Patient Identity Removed is not YES, and with Burned In Annotation YES [D5]. */
  readonly privacy: { readonly identifiable: number; readonly burnedIn: number }
  readonly seconds: number
}

export const DEFAULT_MODALITIES: readonly string[] = ['CR', 'DX']

/** `YYYY-MM-DD` or `YYYYMMDD` as a DICOM date, or a StoreError naming the option. */
export function dicomDate(text: string): string {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(text.trim())
  const d = m ? new Date(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`) : undefined
  if (!m || d === undefined || Number.isNaN(d.getTime()) || d.getUTCDate() !== Number(m[3]))
    throw new StoreError(`--since "${text}": expected a date as YYYY-MM-DD`)
  return `${m[1]}${m[2]}${m[3]}`
}

/**
 * Imports the chest films of a DICOMweb server as a dataset [D1]: QIDO-RS searches for studies
 * (by UID, or since a date), their series and instances, one item per image instance named by
 * its SOP Instance UID with its patient, study, series, view, sex, age and de-identification
 * status; everything else is listed as skipped [D2]. Everything is searched before anything is
 * written, in one transaction: a server that fails mid-way leaves the database as it was, and
 * running the import again picks up where the archive is.
 */
export async function importDicomweb(
  store: Store,
  o: DicomwebImportOptions,
): Promise<DicomwebImportSummary> {
  const started = performance.now()
  const env = o.env ?? process.env
  const client = new DicomwebClient({
    url: o.url,
    credentials: credentialsFromEnv(env),
    timeoutMs: timeoutFromEnv(env),
  })
  const modalities = (o.modalities ?? DEFAULT_MODALITIES).map((m) => m.trim().toUpperCase())
  for (const uid of o.studies ?? [])
    if (!isDicomUid(uid)) throw new StoreError(`--study "${uid}" is not a DICOM UID`)
  const since = o.since === undefined ? undefined : dicomDate(o.since)
  const skipped: SkippedInstance[] = []

  const studies = await findStudies(client, o.studies, since, modalities, skipped)
  const images: DicomImageInput[] = []
  let done = 0
  const perStudy = await mapLimit(studies, o.concurrency ?? 4, async (study) => {
    const found = await instancesOf(client, study, modalities)
    o.onProgress?.('searching', ++done, studies.length)
    return found
  })
  for (const found of perStudy) {
    images.push(...found.images)
    skipped.push(...found.skipped)
  }
  const name = o.name ?? `dicomweb-${new URL(client.url).host}`
  const written = await writeDicomDataset(store, {
    name,
    sourceFormat: 'dicomweb',
    root: client.url,
    sources: {
      url: client.url,
      ...(o.studies === undefined ? {} : { studies: o.studies }),
      ...(since === undefined ? {} : { since }),
      modalities,
    },
    images,
  })
  const records = images.map((im) => im.record)
  return {
    dataset: name,
    images: images.length,
    studies: new Set(records.map((r) => r.studyUid)).size,
    patients: new Set(records.map((r) => r.patient)).size,
    skipped,
    url: client.url,
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

const text = (ds: DicomJsonDataset, tag: string): string | undefined => jsonAttributes(ds).text(tag)

/** The Study Instance UIDs to import: those asked for, or every study that has a wanted modality. */
async function findStudies(
  client: DicomwebClient,
  asked: readonly string[] | undefined,
  since: string | undefined,
  modalities: readonly string[],
  skipped: SkippedInstance[],
): Promise<string[]> {
  if (asked !== undefined && asked.length > 0) {
    const out: string[] = []
    for (const uid of new Set(asked)) {
      const found = await client.searchStudies({ StudyInstanceUID: uid })
      if (found.length === 0)
        skipped.push({
          uid,
          study: uid,
          series: null,
          modality: null,
          sopClass: null,
          reason: 'no such study on the server',
        })
      else out.push(uid)
    }
    return out
  }
  const found = await client.searchStudies(since === undefined ? {} : { StudyDate: `${since}-` })
  const uids: string[] = []
  for (const s of found) {
    const uid = text(s, TAGS.studyUid)
    if (uid === undefined || !isDicomUid(uid)) continue
    // a study that says which modalities it holds and holds none we want is not a chest film
    const inStudy = jsonAttributes(s)
      .texts('00080061')
      .map((m) => m.toUpperCase())
    if (inStudy.length > 0 && !inStudy.some((m) => modalities.includes(m))) continue
    uids.push(uid)
  }
  return uids
}

async function instancesOf(
  client: DicomwebClient,
  study: string,
  modalities: readonly string[],
): Promise<{ images: DicomImageInput[]; skipped: SkippedInstance[] }> {
  const images: DicomImageInput[] = []
  const skipped: SkippedInstance[] = []
  for (const s of await client.searchSeries(study)) {
    const series = text(s, TAGS.seriesUid)
    if (series === undefined || !isDicomUid(series)) continue
    const seriesModality = text(s, TAGS.modality)?.toUpperCase() ?? ''
    let found = await client.searchInstances(study, series, { includefield: INSTANCE_FIELDS })
    // QIDO-RS need not return sequences (Orthanc does not): when an image's view is only in
    // its View Code Sequence, read the series' full metadata (one request per such series)
    const needsMore = found.some((ds) => {
      const a = jsonAttributes(ds)
      return a.text(TAGS.viewPosition) === undefined && !a.has(TAGS.viewCodes)
    })
    if (needsMore) found = await client.retrieveSeriesMetadata(study, series)
    for (const ds of found) {
      const parsed = instanceRecord(jsonAttributes(ds), { study, series })
      const r: DicomInstanceRecord =
        parsed.modality === '' ? { ...parsed, modality: seriesModality } : parsed
      const reason = skipReason(r, modalities)
      if (reason !== null)
        skipped.push({
          uid: r.sopInstanceUid,
          study,
          series,
          modality: r.modality || null,
          sopClass: r.sopClassUid || null,
          reason,
        })
      else
        images.push({
          record: r,
          path: instancePath({
            study: r.studyUid,
            series: r.seriesUid,
            instance: r.sopInstanceUid,
          }),
        })
    }
  }
  return { images, skipped }
}
