import { majorityVerdict, type ReaderSpec, type Verdict } from '@cxr-audit/core'
import { listFindings } from './datasets.ts'
import { resolveReaders } from './label-data.ts'
import { LABEL_ISSUES_KIND } from './label-issues.ts'
import type { Db } from './store.ts'
import { currentVerdicts } from './verdicts.ts'

/** A flagged label a reader confirmed wrong, with where that came from [LI5]. */
export interface LabelCorrection {
  readonly image: string
  readonly imageId: number
  readonly finding: string
  readonly findingId: number
  readonly derived: boolean
  /** The label the audit showed (1 or 0), and the reader's: the other one. */
  readonly original: number
  readonly new: number
  /** The reader (or consensus) whose verdict it is, and the audit it was given in. */
  readonly reader: string
  readonly auditId: number
  readonly audit: string
  /** When the (latest) verdict behind it was given. */
  readonly time: string
}

export interface LabelCorrections {
  readonly reader: string
  readonly readers: string[]
  /** Flagged labels with a verdict of the reader in a label-issue audit (the latest audit wins). */
  readonly reviewed: number
  readonly corrections: LabelCorrection[]
}

interface Read {
  readonly imageId: number
  readonly findingId: number
  readonly labelled: number
  readonly verdict: Verdict
  readonly time: string
  readonly auditId: number
  readonly audit: string
}

/**
 * The labels a reader (or a consensus) confirmed wrong in the dataset's label-issue audits
 * [LI5]: a labelled positive judged absent, a labelled negative judged present. When an
 * (image, finding) was flagged in several such audits, the reader's latest verdict counts; an
 * uncertain verdict, or one agreeing with the label, corrects nothing.
 */
export async function confirmedLabelCorrections(
  db: Db,
  o: { readonly datasetId: number; readonly reader: ReaderSpec },
): Promise<LabelCorrections> {
  const resolved = await resolveReaders(db, o.reader)
  const readerIds = resolved.readers.map((r) => r.id)
  const audits = (
    await db
      .selectFrom('audit')
      .select(['id', 'name', 'plan'])
      .where('dataset_id', '=', o.datasetId)
      .orderBy('id')
      .execute()
  ).filter((a) => (JSON.parse(a.plan) as { kind?: string }).kind === LABEL_ISSUES_KIND)
  const latest = new Map<string, Read>()
  for (const a of audits) {
    const items = await db
      .selectFrom('audit_item')
      .select(['image_id', 'finding_id', 'labelled'])
      .where('audit_id', '=', a.id)
      .execute()
    const labelled = new Map(items.map((i) => [`${i.image_id}:${i.finding_id}`, i.labelled]))
    const votes = new Map<
      string,
      { list: Verdict[]; time: string; imageId: number; findingId: number }
    >()
    for (const v of await currentVerdicts(db, { readerIds, auditId: a.id })) {
      const key = `${v.imageId}:${v.findingId}`
      if (!labelled.has(key)) continue
      const entry = votes.get(key)
      if (entry === undefined) {
        votes.set(key, {
          list: [v.verdict],
          time: v.createdAt,
          imageId: v.imageId,
          findingId: v.findingId,
        })
      } else {
        entry.list.push(v.verdict)
        if (v.createdAt > entry.time) entry.time = v.createdAt
      }
    }
    for (const [key, v] of votes) {
      const verdict = v.list.length === 1 ? v.list[0]! : majorityVerdict(v.list)
      if (verdict === null) continue
      const before = latest.get(key)
      if (before !== undefined && before.time > v.time) continue
      latest.set(key, {
        imageId: v.imageId,
        findingId: v.findingId,
        labelled: labelled.get(key)!,
        verdict,
        time: v.time,
        auditId: a.id,
        audit: a.name,
      })
    }
  }
  const wrong = [...latest.values()].filter(
    (r) =>
      (r.labelled === 1 && r.verdict === 'absent') || (r.labelled === 0 && r.verdict === 'present'),
  )
  const findings = await listFindings(db, o.datasetId)
  const names = new Map<number, string>()
  const ids = [...new Set(wrong.map((r) => r.imageId))]
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('image')
      .select(['id', 'name'])
      .where('id', 'in', ids.slice(i, i + 500))
      .execute()
    for (const r of rows) names.set(r.id, r.name)
  }
  const position = new Map(findings.map((f, k) => [f.id, k]))
  const corrections = wrong
    .map((r) => {
      const f = findings.find((x) => x.id === r.findingId)!
      return {
        image: names.get(r.imageId)!,
        imageId: r.imageId,
        finding: f.name,
        findingId: f.id,
        derived: f.derivedFrom !== null,
        original: r.labelled,
        new: r.labelled === 1 ? 0 : 1,
        reader: resolved.name,
        auditId: r.auditId,
        audit: r.audit,
        time: r.time,
      }
    })
    .sort((a, b) =>
      a.image < b.image
        ? -1
        : a.image > b.image
          ? 1
          : position.get(a.findingId)! - position.get(b.findingId)!,
    )
  return {
    reader: resolved.name,
    readers: resolved.readers.map((r) => r.name),
    reviewed: latest.size,
    corrections,
  }
}
