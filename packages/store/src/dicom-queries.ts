import type { Verdict } from '@cxr-audit/core'
import type { Db } from './store.ts'
import { currentTags, currentVerdicts } from './verdicts.ts'

/** How many instances of a DICOM dataset may identify their patient [D5]. */
export interface DicomPrivacy {
  readonly instances: number
  /** Patient Identity Removed is not YES (absent, or NO). */
  readonly identifiable: number
  /** Burned In Annotation is YES: text, possibly names, in the pixels. */
  readonly burnedIn: number
  readonly identifiableExamples: string[]
  readonly burnedInExamples: string[]
}

/** The privacy marks of a dataset; null when it has no DICOM instances (not a DICOM dataset). */
export async function dicomPrivacy(db: Db, datasetId: number): Promise<DicomPrivacy | null> {
  const rows = await db
    .selectFrom('dicom_instance as d')
    .innerJoin('image as i', 'i.id', 'd.image_id')
    .select(['i.name', 'd.identity_removed', 'd.burned_in'])
    .where('i.dataset_id', '=', datasetId)
    .orderBy('i.id')
    .execute()
  if (rows.length === 0) return null
  const identifiable = rows.filter((r) => r.identity_removed !== 1)
  const burnedIn = rows.filter((r) => r.burned_in === 'YES')
  return {
    instances: rows.length,
    identifiable: identifiable.length,
    burnedIn: burnedIn.length,
    identifiableExamples: identifiable.slice(0, 5).map((r) => r.name),
    burnedInExamples: burnedIn.slice(0, 5).map((r) => r.name),
  }
}

/** A film of a DICOM dataset with one reader's current verdicts and tags: one SR [D8]. */
export interface ReviewedInstance {
  readonly imageId: number
  /** The SOP Instance UID. */
  readonly name: string
  readonly path: string | null
  readonly studyUid: string
  readonly seriesUid: string
  readonly sopClassUid: string
  readonly verdicts: { finding: string; verdict: Verdict; time: string }[]
  readonly tags: string[]
  /** The time of the latest of those verdicts: the report's content time. */
  readonly lastTime: string
}

/**
 * The DICOM instances of a dataset on which `readerId` has a current verdict (in `auditId` when
 * given, else in any audit or import), with those verdicts (finding order) and the reader's
 * current tags on the film, ordered by image id.
 */
export async function reviewedInstances(
  db: Db,
  datasetId: number,
  readerId: number,
  auditId?: number,
): Promise<ReviewedInstance[]> {
  const verdicts = await currentVerdicts(db, {
    readerIds: [readerId],
    ...(auditId === undefined ? {} : { auditId }),
  })
  const images = await db
    .selectFrom('image as i')
    .innerJoin('dicom_instance as d', 'd.image_id', 'i.id')
    .select(['i.id', 'i.name', 'i.path', 'd.study_uid', 'd.series_uid', 'd.sop_class_uid'])
    .where('i.dataset_id', '=', datasetId)
    .execute()
  const byId = new Map(images.map((r) => [r.id, r]))
  const findings = await db
    .selectFrom('finding')
    .select(['id', 'name', 'position'])
    .where('dataset_id', '=', datasetId)
    .execute()
  const finding = new Map(findings.map((f) => [f.id, f]))
  const out = new Map<number, ReviewedInstance>()
  for (const v of verdicts) {
    const im = byId.get(v.imageId)
    const f = finding.get(v.findingId)
    if (im === undefined || f === undefined) continue
    let r = out.get(im.id)
    if (r === undefined) {
      r = {
        imageId: im.id,
        name: im.name,
        path: im.path,
        studyUid: im.study_uid,
        seriesUid: im.series_uid,
        sopClassUid: im.sop_class_uid,
        verdicts: [],
        tags: [],
        lastTime: v.createdAt,
      }
      out.set(im.id, r)
    }
    r.verdicts.push({ finding: f.name, verdict: v.verdict, time: v.createdAt })
    if (v.createdAt > r.lastTime) out.set(im.id, { ...r, lastTime: v.createdAt })
  }
  const ids = [...out.keys()]
  if (ids.length === 0) return []
  for (const t of await currentTags(db, { readerIds: [readerId], imageIds: ids }))
    out.get(t.imageId)!.tags.push(t.tag)
  const position = (name: string): number => findings.find((f) => f.name === name)?.position ?? 0
  return [...out.values()]
    .sort((a, b) => a.imageId - b.imageId)
    .map((r) => ({
      ...r,
      verdicts: [...r.verdicts].sort((a, b) => position(a.finding) - position(b.finding)),
      tags: [...r.tags].sort(),
    }))
}
