import { createWriteStream } from 'node:fs'
import {
  CXR14_FINDINGS,
  CXR14_HEADER,
  LONG_HEADER,
  csvField,
  csvLine,
  derivedLabel,
  NO_FINDING,
  findingLabelsText,
  majorityVerdict,
  relabel,
  verdictValue,
  type ReaderSpec,
  type Verdict,
} from '@cxr-audit/core'
import {
  StoreError,
  chunkIds,
  confirmedLabelCorrections,
  currentTags,
  currentVerdicts,
  findDataset,
  listFindings,
  listImages,
  listReaders,
  resolveReaders,
  storedLabels,
  type LabelCorrection,
  type Store,
} from '@cxr-audit/store'
import { InputFileError } from './files.ts'

export type LabelExportFormat = 'cxr14' | 'long'

export interface LabelExportOptions {
  /** A reader or a consensus [L7]: every current verdict of theirs applies. */
  readonly reader?: ReaderSpec | undefined
  /**
   * Instead of `reader`: only the labels this reader (or consensus) confirmed wrong in the
   * label-issue audits are corrected [LI5]; each change is listed with its provenance.
   */
  readonly filtered?: ReaderSpec | undefined
  readonly out: string
  readonly format?: LabelExportFormat | undefined
  readonly dataset?: string | undefined
}

/** What `cxr-audit export labels --json` prints [L15], [L16]. */
export interface LabelExportSummary {
  readonly reader: string
  readonly readers: string[]
  readonly format: LabelExportFormat
  readonly out: string
  readonly dataset: string
  /** Data rows written. */
  readonly rows: number
  /** (image, finding) verdicts behind the export. */
  readonly verdicts: number
  /** cxr14: images whose Finding Labels changed, and per finding the labels added and removed. */
  readonly changedImages: number
  readonly changes: Record<string, { added: number; removed: number }>
  /** cxr14: positives per labelled finding in the file written. */
  readonly positives: Record<string, number>
  /** cxr14: derived findings written as extra columns (1, 0, -1; blank where not judged). */
  readonly derivedColumns: string[]
  /** Whether this is a `--filtered` export [LI5]. */
  readonly filtered: boolean
  /**
   * --filtered: every correction with its provenance (image, finding, original, new, reader,
   * audit, time), also written to `changesFile`; `applied` is false for a derived finding
   * confirmed present (which component cannot be told, [L15]).
   */
  readonly corrections: (LabelCorrection & { readonly applied: boolean })[]
  readonly changesFile: string | null
}

interface Current {
  readonly verdict: Verdict
  readonly time: string
  readonly reads: number
}

/**
 * Writes a reader's (or a consensus') labels [L15], [L16]: `cxr14` is the dataset's metadata
 * with `Finding Labels` rewritten from the verdicts (original where nobody judged); `long` is one
 * row per image and finding judged, with verdict, original label, tags and time. Both read back
 * (`import cxr14`, `import labels`) to the same numbers.
 */
export async function exportLabels(
  store: Store,
  o: LabelExportOptions,
): Promise<LabelExportSummary> {
  const db = store.db
  const dataset = await findDataset(db, o.dataset)
  const findings = await listFindings(db, dataset.id)
  // the CXR14 layout (`Finding Labels`) holds NIH's 14 findings only: another dataset's
  // (CheXpert's Pleural Effusion, its uncertain labels) goes out long, never renamed [DS23]
  const foreign = findings
    .filter((f) => f.derivedFrom === null && f.name !== NO_FINDING)
    .filter((f) => !(CXR14_FINDINGS as readonly string[]).includes(f.name))
    .map((f) => f.name)
  const format = o.format ?? (foreign.length === 0 ? 'cxr14' : 'long')
  if (format === 'cxr14' && foreign.length > 0)
    throw new StoreError(
      `--format cxr14 writes ChestX-ray14's Data_Entry layout, which has no column for the findings of "${dataset.name}" (${foreign.slice(0, 4).join(', ')}${foreign.length > 4 ? ', ...' : ''}): use --format long (one row per image and finding, with the original label)`,
    )
  if ((o.reader === undefined) === (o.filtered === undefined)) {
    throw new StoreError(
      'give either --reader (every verdict) or --filtered (confirmed label issues)',
    )
  }
  const fix =
    o.filtered === undefined
      ? null
      : await confirmedLabelCorrections(db, { datasetId: dataset.id, reader: o.filtered })
  const resolved =
    fix === null
      ? await resolveReaders(db, o.reader!)
      : { name: fix.reader, readers: await readersNamed(db, fix.readers) }
  const ids = resolved.readers.map((r) => r.id)
  const rows =
    fix === null
      ? await currentVerdicts(db, { readerIds: ids, findingIds: findings.map((f) => f.id) })
      : fix.corrections.map((c) => ({
          readerId: -1,
          imageId: c.imageId,
          findingId: c.findingId,
          verdict: (c.new === 1 ? 'present' : 'absent') as Verdict,
          createdAt: c.time,
        }))
  const votes = new Map<number, Map<number, { list: Verdict[]; time: string }>>()
  for (const r of rows) {
    let byFinding = votes.get(r.imageId)
    if (byFinding === undefined) votes.set(r.imageId, (byFinding = new Map()))
    const v = byFinding.get(r.findingId)
    if (v === undefined) byFinding.set(r.findingId, { list: [r.verdict], time: r.createdAt })
    else {
      v.list.push(r.verdict)
      if (r.createdAt > v.time) v.time = r.createdAt
    }
  }
  const current = new Map<number, Map<number, Current>>()
  let verdicts = 0
  for (const [imageId, byFinding] of votes) {
    const m = new Map<number, Current>()
    for (const [findingId, v] of byFinding) {
      const verdict = v.list.length === 1 ? v.list[0]! : majorityVerdict(v.list)
      if (verdict === null) continue
      m.set(findingId, { verdict, time: v.time, reads: v.list.length })
      verdicts++
    }
    current.set(imageId, m)
  }
  const images = await listImages(db, dataset.id)
  // original labels other than negative: finding id -> 1 or -1, per image
  const stored = new Map<number, Map<number, number>>()
  for (const l of await storedLabels(db, dataset.id)) {
    if (l.value === 0) continue
    const m = stored.get(l.imageId)
    if (m === undefined) stored.set(l.imageId, new Map([[l.findingId, l.value]]))
    else m.set(l.findingId, l.value)
  }
  const lines: string[] = []
  const summary = {
    reader: resolved.name,
    readers: resolved.readers.map((r) => r.name),
    format,
    out: o.out,
    dataset: dataset.name,
    verdicts,
    changedImages: 0,
    changes: {} as Record<string, { added: number; removed: number }>,
    positives: {} as Record<string, number>,
    derivedColumns: [] as string[],
    filtered: fix !== null,
    corrections: (fix?.corrections ?? []).map((c) => ({
      ...c,
      applied: !(c.derived && c.new === 1),
    })),
    changesFile: fix === null ? null : changesFileOf(o.out),
  }
  // `Finding Labels` says `No Finding` when nothing else is positive: not a finding to relabel
  const labelled = findings.filter((f) => f.derivedFrom === null && f.name !== NO_FINDING)
  const derived = findings.filter((f) => f.derivedFrom !== null)
  const idOf = new Map(findings.map((f) => [f.name, f.id]))
  if (format === 'cxr14') {
    const judgedDerived = derived.filter((d) => [...current.values()].some((m) => m.has(d.id)))
    summary.derivedColumns = judgedDerived.map((d) => d.name)
    for (const f of labelled) {
      summary.changes[f.name] = { added: 0, removed: 0 }
      summary.positives[f.name] = 0
    }
    lines.push([CXR14_HEADER, ...judgedDerived.map((d) => csvField(d.name))].join(','))
    for (const im of images) {
      const values = stored.get(im.id)
      const original = new Set(labelled.filter((f) => values?.get(f.id) === 1).map((f) => f.name))
      const mine = current.get(im.id)
      const byName = new Map<string, Verdict>()
      for (const f of findings) {
        const c = mine?.get(f.id)
        if (c !== undefined) byName.set(f.name, c.verdict)
      }
      const r = relabel(
        labelled.map((f) => f.name),
        original,
        byName,
        derived.map((d) => ({ name: d.name, from: d.derivedFrom! })),
      )
      if (r.changed) summary.changedImages++
      for (const f of r.added) summary.changes[f]!.added++
      for (const f of r.removed) summary.changes[f]!.removed++
      for (const f of r.positives) summary.positives[f]!++
      const text = r.changed ? findingLabelsText(r.positives) : im.rawLabels
      lines.push(
        csvLine([
          im.name,
          text === '' ? findingLabelsText([]) : text,
          im.followUp,
          im.patient,
          im.age,
          im.sex,
          im.view,
          im.width,
          im.height,
          im.spacingX,
          im.spacingY,
          ...judgedDerived.map((d) => {
            const c = mine?.get(d.id)
            return c === undefined ? null : verdictValue(c.verdict)
          }),
        ]),
      )
    }
  } else {
    const tags = await tagsOf(store, ids, [...current.keys()])
    const readerName = resolved.name
    lines.push(csvLine(LONG_HEADER))
    for (const im of images) {
      const mine = current.get(im.id)
      if (mine === undefined) continue
      const values = stored.get(im.id)
      for (const f of findings) {
        const c = mine.get(f.id)
        if (c === undefined) continue
        const parts = f.derivedFrom === null ? [f.id] : f.derivedFrom.map((n) => idOf.get(n) ?? -1)
        const label = derivedLabel(parts.map((p) => values?.get(p) ?? 0))
        lines.push(
          csvLine([
            im.name,
            f.name,
            readerName,
            c.verdict,
            label,
            (tags.get(im.id) ?? []).join('|'),
            c.time,
          ]),
        )
      }
    }
  }
  await writeLines(o.out, lines)
  if (summary.changesFile !== null) {
    await writeLines(summary.changesFile, [
      csvLine(CHANGES_HEADER),
      ...summary.corrections.map((c) =>
        csvLine([
          c.image,
          c.finding,
          c.original,
          c.new,
          c.applied ? 'yes' : 'no',
          c.reader,
          c.auditId,
          c.audit,
          c.time,
        ]),
      ),
    ])
  }
  return { ...summary, rows: lines.length - 1 }
}

/** The provenance sidecar of a --filtered export [LI5]. */
export const CHANGES_HEADER = [
  'Image Index',
  'Finding',
  'Original',
  'New',
  'Applied',
  'Reader',
  'Audit ID',
  'Audit',
  'Time',
]

/** `labels.csv` -> `labels.changes.csv` (any other name: `<name>.changes.csv`). */
export function changesFileOf(out: string): string {
  return out.toLowerCase().endsWith('.csv')
    ? `${out.slice(0, -4)}.changes.csv`
    : `${out}.changes.csv`
}

async function readersNamed(db: Store['db'], names: readonly string[]) {
  const all = await listReaders(db)
  return names.map((n) => all.find((r) => r.name === n)!)
}

/** Current tags of the readers per image (a consensus: any member's). */
async function tagsOf(
  store: Store,
  readerIds: readonly number[],
  imageIds: readonly number[],
): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>()
  for (const chunk of chunkIds(imageIds)) {
    for (const t of await currentTags(store.db, { readerIds, imageIds: chunk })) {
      const list = out.get(t.imageId)
      if (list === undefined) out.set(t.imageId, [t.tag])
      else if (!list.includes(t.tag)) list.push(t.tag)
    }
  }
  for (const list of out.values()) list.sort()
  return out
}

async function writeLines(file: string, lines: readonly string[]): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const s = createWriteStream(file)
    s.on('error', (e) => reject(new InputFileError(file, `cannot write: ${e.message}`)))
    const step = 5000
    for (let i = 0; i < lines.length; i += step) {
      s.write(lines.slice(i, i + step).join('\n') + '\n')
    }
    s.end(() => resolve())
  })
}
