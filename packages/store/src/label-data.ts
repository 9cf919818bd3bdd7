import {
  derivedLabel,
  expandMembers,
  majorityVerdict,
  resolveFindingNames,
  type ReaderSpec,
  type Verdict,
} from '@cxr-audit/core'
import type { FindingRow } from './datasets.ts'
import { chunkIds } from './label-schema.ts'
import { listReaders, type ReaderRow } from './readers.ts'
import { StoreError, type Db } from './store.ts'
import { pageItemKey, pageState } from './audit-pages.ts'
import { currentTags, currentVerdicts } from './verdicts.ts'

/** The readers a `--reader` names: one reader, or the members of a consensus [L7]. */
export interface ResolvedReaders {
  /** As given (`consensus:A,B,C` with `*` members expanded). */
  readonly name: string
  readonly consensus: boolean
  readonly readers: readonly ReaderRow[]
}

/** Resolves a reader or a consensus; an unknown reader is a StoreError naming the known. */
export async function resolveReaders(db: Db, spec: ReaderSpec): Promise<ResolvedReaders> {
  const all = await listReaders(db)
  const byName = new Map(all.map((r) => [r.name, r]))
  const names =
    spec.kind === 'reader'
      ? [spec.name]
      : expandMembers(
          spec.members,
          all.map((r) => r.name),
        )
  const missing = spec.kind === 'reader' ? names.filter((n) => !byName.has(n)) : []
  if (spec.kind === 'consensus') {
    for (const m of spec.members) {
      if (m.endsWith('*') ? !names.some((n) => n.startsWith(m.slice(0, -1))) : !byName.has(m))
        missing.push(m)
    }
  }
  if (missing.length > 0) throw unknownReaders(missing, all)
  return {
    name: spec.kind === 'reader' ? spec.name : `consensus:${names.join(',')}`,
    consensus: spec.kind === 'consensus',
    readers: names.map((n) => byName.get(n)!),
  }
}

export function unknownReaders(missing: readonly string[], all: readonly ReaderRow[]): StoreError {
  const known = all.map((r) => `"${r.name}"`)
  const shown = known.length > 12 ? [...known.slice(0, 12), '...'] : known
  return new StoreError(
    `no reader ${missing.map((m) => `"${m}"`).join(', ')} (${known.length === 0 ? 'no readers yet: import labels or review first' : `readers: ${shown.join(', ')}`})`,
  )
}

/** Resolves `--finding` names against the dataset's findings (labelled and derived). */
export function pickFindings(
  findings: readonly FindingRow[],
  wanted: readonly string[] | undefined,
  allowMissing: (name: string) => boolean = () => false,
): { picked: FindingRow[]; missing: string[] } {
  if (wanted === undefined || wanted.length === 0) return { picked: [...findings], missing: [] }
  const { found, missing } = resolveFindingNames(findings, wanted, {
    missing: allowMissing,
    unknown: (w) =>
      new StoreError(`unknown finding "${w}" (known: ${findings.map((x) => x.name).join(', ')})`),
  })
  // in the dataset's order, whatever the order asked
  return { picked: findings.filter((f) => found.includes(f)), missing }
}

/** One judged (image, finding): the original label and the (consensus) verdict. */
export interface Judged {
  readonly imageId: number
  readonly findingId: number
  /** 1 positive, 0 negative, -1 uncertain (the audit's label at draw time in audit mode). */
  readonly label: number
  readonly verdict: Verdict
  /** The reads behind a consensus verdict (1 for a single reader). */
  readonly reads: number
}

/** Judged items, and what the page rule left out [L25]. */
export interface JudgedWithPages {
  readonly judged: Judged[]
  /** Per finding id: items left out because each of their reads lies on an unfinished page. */
  readonly unfinished: ReadonlyMap<number, number>
  /** Per finding id: audit items (of the audits counted) a reader tagged unusable [L25]. */
  readonly unusable: ReadonlyMap<number, number>
}

/**
 * The current verdicts of the readers on the findings, reduced to one per (image, finding)
 * (the reader's own, or the consensus), with the original label [L3], [L7]. With `auditId`, only
 * that audit's items and verdicts count, and the label is the one the audit drew.
 */
export async function loadJudged(
  db: Db,
  o: {
    readonly readers: readonly ReaderRow[]
    readonly findings: readonly FindingRow[]
    readonly allFindings: readonly FindingRow[]
    readonly auditId?: number | undefined
  },
): Promise<Judged[]> {
  return (await loadJudgedWithPages(db, o)).judged
}

/**
 * loadJudged, and the page rule [L25]: a verdict given in an audit counts only once the reader
 * has finished its page (each film marked or unusable); the items left out are counted per
 * finding, as are the audits' items tagged unusable (the audit of `auditId`, else every audit
 * in which the readers' counted verdicts were given).
 */
export async function loadJudgedWithPages(
  db: Db,
  o: {
    readonly readers: readonly ReaderRow[]
    readonly findings: readonly FindingRow[]
    readonly allFindings: readonly FindingRow[]
    readonly auditId?: number | undefined
  },
): Promise<JudgedWithPages> {
  const all = await currentVerdicts(db, {
    readerIds: o.readers.map((r) => r.id),
    findingIds: o.findings.map((f) => f.id),
    ...(o.auditId === undefined ? {} : { auditId: o.auditId }),
  })
  const auditIds = [
    ...new Set([
      ...all.flatMap((r) => (r.auditId === null ? [] : [r.auditId])),
      ...(o.auditId === undefined ? [] : [o.auditId]),
    ]),
  ]
  const pages = await pageState(
    db,
    o.readers.map((r) => r.id),
    auditIds,
  )
  const dropped = new Set<string>()
  const rows = all.filter((r) => {
    const out =
      r.auditId !== null &&
      pages.unfinished.has(pageItemKey(r.readerId, r.auditId, r.findingId, r.imageId))
    if (out) dropped.add(`${r.findingId}:${r.imageId}`)
    return !out
  })
  const votes = new Map<string, { imageId: number; findingId: number; list: Verdict[] }>()
  for (const r of rows) {
    const key = `${r.findingId}:${r.imageId}`
    const v = votes.get(key)
    if (v === undefined)
      votes.set(key, { imageId: r.imageId, findingId: r.findingId, list: [r.verdict] })
    else v.list.push(r.verdict)
  }
  const items = [...votes.values()]
  const labels =
    o.auditId === undefined
      ? await originalLabels(db, items, o.findings, o.allFindings)
      : await auditLabels(db, o.auditId)
  const out: Judged[] = []
  for (const v of items) {
    const label = labels.get(`${v.findingId}:${v.imageId}`)
    if (label === undefined) continue // audit mode: a verdict on an image outside the sample
    const verdict = v.list.length === 1 ? v.list[0]! : majorityVerdict(v.list)
    if (verdict === null) continue
    out.push({ imageId: v.imageId, findingId: v.findingId, label, verdict, reads: v.list.length })
  }
  const unfinished = new Map<number, number>()
  for (const key of dropped) {
    if (votes.has(key)) continue // another reader's finished read still counts
    const findingId = Number(key.slice(0, key.indexOf(':')))
    unfinished.set(findingId, (unfinished.get(findingId) ?? 0) + 1)
  }
  const unusable = new Map<number, number>()
  for (const key of pages.unusable) {
    const findingId = Number(key.slice(0, key.indexOf(':')))
    unusable.set(findingId, (unusable.get(findingId) ?? 0) + 1)
  }
  return { judged: out, unfinished, unusable }
}

/** Original labels of the judged items: label rows, derived findings as unions [F4]. */
async function originalLabels(
  db: Db,
  items: readonly { imageId: number; findingId: number }[],
  findings: readonly FindingRow[],
  allFindings: readonly FindingRow[],
): Promise<Map<string, number>> {
  const idByName = new Map(allFindings.map((f) => [f.name, f.id]))
  const parts = new Map<number, number[]>()
  for (const f of findings) {
    parts.set(
      f.id,
      f.derivedFrom === null ? [f.id] : f.derivedFrom.map((n) => idByName.get(n) ?? -1),
    )
  }
  const imageIds = [...new Set(items.map((i) => i.imageId))]
  const componentIds = [...new Set([...parts.values()].flat())].filter((id) => id >= 0)
  const stored = new Map<string, number>()
  for (const chunk of chunkIds(imageIds)) {
    const rows = await db
      .selectFrom('label')
      .select(['image_id', 'finding_id', 'value'])
      .where('image_id', 'in', chunk)
      .where('finding_id', 'in', [...componentIds, -1])
      .execute()
    for (const r of rows) stored.set(`${r.finding_id}:${r.image_id}`, r.value)
  }
  const out = new Map<string, number>()
  for (const i of items) {
    const values = (parts.get(i.findingId) ?? []).map((p) => stored.get(`${p}:${i.imageId}`) ?? 0)
    out.set(`${i.findingId}:${i.imageId}`, derivedLabel(values))
  }
  return out
}

/** The labels an audit drew, per (finding, image). */
async function auditLabels(db: Db, auditId: number): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('audit_item')
    .select(['image_id', 'finding_id', 'labelled'])
    .where('audit_id', '=', auditId)
    .orderBy('position')
    .execute()
  const out = new Map<string, number>()
  for (const r of rows) {
    const key = `${r.finding_id}:${r.image_id}`
    if (!out.has(key)) out.set(key, r.labelled)
  }
  return out
}

/** What the label statistics need to know about an image. */
export interface LabelImageFacts {
  readonly id: number
  readonly name: string
  readonly patient: string
  readonly age: number | null
  readonly sex: string
  readonly view: string
  readonly split: string | null
  readonly path: string | null
  /** Tags any reader currently has on the image. */
  readonly tags: string[]
}

/** Facts (and current tags of any reader) of the given images. */
export async function loadLabelImageFacts(
  db: Db,
  imageIds: readonly number[],
  withTags = true,
): Promise<Map<number, LabelImageFacts>> {
  const out = new Map<number, LabelImageFacts>()
  for (const chunk of chunkIds([...new Set(imageIds)])) {
    const rows = await db
      .selectFrom('image')
      .select(['id', 'name', 'patient', 'age', 'sex', 'view', 'split', 'path', 'on_disk'])
      .where('id', 'in', chunk)
      .execute()
    for (const r of rows) {
      out.set(r.id, {
        id: r.id,
        name: r.name,
        patient: r.patient,
        age: r.age,
        sex: r.sex,
        view: r.view,
        split: r.split,
        path: r.on_disk === 1 ? r.path : null,
        tags: [],
      })
    }
  }
  if (withTags && out.size > 0) {
    for (const chunk of chunkIds([...out.keys()])) {
      for (const t of await currentTags(db, { imageIds: chunk })) {
        const tags = out.get(t.imageId)!.tags
        if (!tags.includes(t.tag)) tags.push(t.tag)
      }
    }
  }
  return out
}
