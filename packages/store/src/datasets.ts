import {
  FindingNames,
  resolveFindingNames,
  type CheckImage,
  type ImageFactsRow,
  type DerivedFinding,
  type Problem,
} from '@cxr-audit/core'
import { StoreError, type Db } from './store.ts'
import { loadImageFacts } from './image-facts.ts'
import { dicomPrivacy, type DicomPrivacy } from './dicom-queries.ts'
import { currentTags, currentVerdicts } from './verdicts.ts'

export interface DatasetRow {
  readonly id: number
  readonly name: string
  readonly sourceFormat: string
  readonly importedAt: string
  readonly imageRoots: string[]
  /** `film` or `study`: what one item (image row) of the dataset is. */
  readonly itemKind: string
}

/** A dataset by name, or the only one when no name is given. */
export async function findDataset(db: Db, name?: string): Promise<DatasetRow> {
  const rows = await db.selectFrom('dataset').selectAll().orderBy('id').execute()
  const pick =
    name === undefined
      ? rows.length === 1
        ? rows[0]
        : undefined
      : rows.find((r) => r.name === name)
  if (pick === undefined) {
    const names = rows.map((r) => `"${r.name}"`).join(', ')
    const message =
      rows.length === 0
        ? 'no dataset yet: import one first (cxr-audit import cxr14 --metadata FILE)'
        : name === undefined
          ? `several datasets: say which with --dataset (${names})`
          : `no dataset named "${name}" (there is ${names})`
    throw new StoreError(message)
  }
  return {
    id: pick.id,
    name: pick.name,
    sourceFormat: pick.source_format,
    importedAt: pick.imported_at,
    imageRoots: JSON.parse(pick.image_roots) as string[],
    itemKind: pick.item_kind,
  }
}

export interface FindingRow {
  readonly id: number
  readonly name: string
  /** Component names for a derived finding, null for a labelled one. */
  readonly derivedFrom: string[] | null
}

export async function listFindings(db: Db, datasetId: number): Promise<FindingRow[]> {
  const rows = await db
    .selectFrom('finding')
    .select(['id', 'name', 'derived_from'])
    .where('dataset_id', '=', datasetId)
    .orderBy('position')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    derivedFrom: r.derived_from === null ? null : (JSON.parse(r.derived_from) as string[]),
  }))
}

/** Defines (or redefines) a derived finding as the union of labelled ones; returns its positives. */
export async function deriveFinding(
  db: Db,
  datasetId: number,
  name: string,
  from: readonly string[],
): Promise<{ name: string; from: string[]; positives: number }> {
  const findings = await listFindings(db, datasetId)
  const labelled = findings.filter((f) => f.derivedFrom === null)
  const names = new FindingNames(findings.map((f) => f.name))
  const { found } = resolveFindingNames(findings, from, {
    unknown: (raw) =>
      new StoreError(`unknown finding "${raw}" (known: ${labelled.map((x) => x.name).join(', ')})`),
  })
  const parts: string[] = []
  // a derived component contributes its own parts: unions compose
  for (const f of found)
    for (const p of f.derivedFrom ?? [f.name]) if (!parts.includes(p)) parts.push(p)
  if (parts.length === 0)
    throw new StoreError('a derived finding needs at least one component (--from A,B)')
  const clash = findings.find((f) => f.name === names.resolve(name) && f.derivedFrom === null)
  if (clash !== undefined)
    throw new StoreError(`"${name}" is a labelled finding of the dataset; choose another name`)
  await db.transaction().execute(async (tx) => {
    const existing = await tx
      .selectFrom('finding')
      .select('id')
      .where('dataset_id', '=', datasetId)
      .where('name', '=', name)
      .executeTakeFirst()
    if (existing === undefined) {
      await tx
        .insertInto('finding')
        .values({
          dataset_id: datasetId,
          name,
          derived_from: JSON.stringify(parts),
          position: findings.length,
        })
        .execute()
    } else {
      await tx
        .updateTable('finding')
        .set({ derived_from: JSON.stringify(parts) })
        .where('id', '=', existing.id)
        .execute()
    }
  })
  const ids = labelled.filter((f) => parts.includes(f.name)).map((f) => f.id)
  const row = await db
    .selectFrom('label')
    .select((e) => e.fn.count<number>('image_id').distinct().as('n'))
    .where('finding_id', 'in', ids)
    .where('value', '=', 1)
    .executeTakeFirstOrThrow()
  return { name, from: parts, positives: Number(row.n) }
}

/** Kinds that `check` recomputes from the stored images; other import problems are carried over. */
const RECOMPUTED = new Set([
  'missing-age',
  'age-out-of-range',
  'unknown-sex',
  'unknown-view',
  'unknown-finding',
  'no-finding-with-finding',
  'missing-on-disk',
  'not-in-metadata',
  'split-leakage',
])

/** What `checkDataset` needs, loaded from the store. */
export async function loadCheckInput(
  db: Db,
  dataset: DatasetRow,
): Promise<{
  images: CheckImage[]
  findings: string[]
  derived: DerivedFinding[]
  filesNotInMetadata: string[]
  importProblems: Problem[]
  imagesScanned: boolean
  imageFacts: ImageFactsRow[]
  privacy: DicomPrivacy | null
}> {
  const findings = await listFindings(db, dataset.id)
  const nameOf = new Map(findings.map((f) => [f.id, f.name]))
  const images = await db
    .selectFrom('image')
    .select(['id', 'name', 'patient', 'age', 'sex', 'view', 'split', 'on_disk', 'raw_labels'])
    .where('dataset_id', '=', dataset.id)
    .orderBy('id')
    .execute()
  const labels = await db
    .selectFrom('label')
    .innerJoin('image', 'image.id', 'label.image_id')
    .select(['label.image_id', 'label.finding_id'])
    .where('image.dataset_id', '=', dataset.id)
    .where('label.value', '=', 1)
    .execute()
  const positives = new Map<number, string[]>()
  for (const l of labels) {
    const list = positives.get(l.image_id)
    const f = nameOf.get(l.finding_id)!
    if (list === undefined) positives.set(l.image_id, [f])
    else list.push(f)
  }
  const problems = await db
    .selectFrom('import_problem')
    .selectAll()
    .where('dataset_id', '=', dataset.id)
    .orderBy('id')
    .execute()
  const extra = problems.find((p) => p.kind === 'not-in-metadata')
  const readerTags = await reviewedTags(db)
  return {
    images: images.map((r) => ({
      name: r.name,
      patient: r.patient,
      age: r.age,
      sex: r.sex,
      view: r.view,
      split: r.split,
      onDisk: r.on_disk === 1,
      positives: positives.get(r.id) ?? [],
      rawLabels: r.raw_labels === '' ? [] : r.raw_labels.split('|'),
      readerTags: readerTags.get(r.id) ?? null,
    })),
    findings: findings.filter((f) => f.derivedFrom === null).map((f) => f.name),
    derived: findings.flatMap((f) =>
      f.derivedFrom === null ? [] : [{ name: f.name, from: f.derivedFrom }],
    ),
    filesNotInMetadata: extra === undefined ? [] : (JSON.parse(extra.examples) as string[]),
    importProblems: problems
      .filter((p) => !RECOMPUTED.has(p.kind))
      .map((p) => ({
        kind: p.kind,
        description: p.description,
        count: p.count,
        examples: JSON.parse(p.examples) as string[],
      })),
    imagesScanned: dataset.imageRoots.length > 0,
    imageFacts: await loadImageFacts(db, dataset.id),
    privacy: await dicomPrivacy(db, dataset.id),
  }
}

/**
 * The tags readers have on each reviewed film now (any reader's verdict or tag makes a film
 * reviewed; its tags may be none) [K7]; films nobody reviewed are absent.
 */
async function reviewedTags(db: Db): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>()
  for (const v of await currentVerdicts(db)) if (!out.has(v.imageId)) out.set(v.imageId, [])
  for (const t of await currentTags(db)) {
    const list = out.get(t.imageId)
    if (list === undefined) out.set(t.imageId, [t.tag])
    else if (!list.includes(t.tag)) list.push(t.tag)
  }
  return out
}
