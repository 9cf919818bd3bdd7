import { SHEET_SIZE, type Verdict } from '@cxr-audit/core'
import { latestEvents } from './latest-events.ts'
import type { Db } from './store.ts'
import { studyFilmsOf } from './study-films.ts'

export interface SheetBox {
  readonly finding: string
  readonly x: number
  readonly y: number
  readonly w: number
  readonly h: number
}

/** One tile of a contact sheet, with the reader's current marks. */
export interface SheetItem {
  /** Position in the audit (null on a dataset problem sheet). */
  readonly position: number | null
  readonly imageId: number
  readonly findingId: number | null
  readonly name: string
  readonly age: number | null
  readonly sex: string
  readonly view: string
  readonly split: string | null
  readonly onDisk: boolean
  /** Why the image could not be decoded, when known. */
  readonly unreadable: string | null
  /** The original label at draw time: 1 or 0 (the server drops it when blinded). */
  readonly labelled: number | null
  readonly boxes: SheetBox[]
  readonly verdict: Verdict | null
  /** The verdict was implied by finishing the page (the image was left unmarked). */
  readonly implied: boolean
  readonly tags: string[]
  /** A study item's films, frontal first (the item's own picture is the first) [DS26]. */
  readonly films?: { readonly name: string; readonly view: string }[]
}

interface ImageRow {
  id: number
  name: string
  age: number | null
  sex: string
  view: string
  split: string | null
  on_disk: number
  unreadable_reason: string | null
}

/** Items of one audit sheet: one finding's page of SHEET_SIZE, with the reader's marks. */
export async function auditSheetItems(
  db: Db,
  auditId: number,
  findingId: number,
  page: number,
  readerId: number | null,
): Promise<SheetItem[]> {
  const rows = await db
    .selectFrom('audit_item as a')
    .innerJoin('image as i', 'i.id', 'a.image_id')
    .select([
      'a.position',
      'a.labelled',
      'i.id',
      'i.name',
      'i.age',
      'i.sex',
      'i.view',
      'i.split',
      'i.on_disk',
      'i.unreadable_reason',
    ])
    .where('a.audit_id', '=', auditId)
    .where('a.finding_id', '=', findingId)
    .orderBy('a.position')
    .limit(SHEET_SIZE)
    .offset(page * SHEET_SIZE)
    .execute()
  const ids = rows.map((r) => r.id)
  const [verdicts, tags, boxes, films] = await Promise.all([
    readerVerdicts(db, auditId, findingId, readerId, ids),
    readerTags(db, readerId, ids),
    imageBoxes(db, ids),
    studyFilmsOf(db, ids),
  ])
  return rows.map((r) => ({
    ...tile(r, boxes, tags, films),
    position: r.position,
    findingId,
    labelled: r.labelled,
    verdict: verdicts.get(r.id)?.verdict ?? null,
    implied: verdicts.get(r.id)?.implied ?? false,
  }))
}

/** Tiles of arbitrary images of a dataset (a problem sheet): tags only, no finding. */
export async function imageSheetItems(
  db: Db,
  datasetId: number,
  imageIds: readonly number[],
  readerId: number | null,
): Promise<SheetItem[]> {
  if (imageIds.length === 0) return []
  const rows = await db
    .selectFrom('image as i')
    .select(['i.id', 'i.name', 'i.age', 'i.sex', 'i.view', 'i.split', 'i.on_disk'])
    .select('i.unreadable_reason')
    .where('i.dataset_id', '=', datasetId)
    .where('i.id', 'in', [...imageIds])
    .execute()
  const order = new Map(imageIds.map((id, i) => [id, i]))
  rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!)
  const ids = rows.map((r) => r.id)
  const [tags, boxes, films] = await Promise.all([
    readerTags(db, readerId, ids),
    imageBoxes(db, ids),
    studyFilmsOf(db, ids),
  ])
  return rows.map((r) => ({
    ...tile(r, boxes, tags, films),
    position: null,
    findingId: null,
    labelled: null,
    verdict: null,
    implied: false,
  }))
}

function tile(
  r: ImageRow,
  boxes: Map<number, SheetBox[]>,
  tags: Map<number, string[]>,
  films: Map<number, { name: string; view: string }[]>,
): Omit<SheetItem, 'position' | 'findingId' | 'labelled' | 'verdict' | 'implied'> {
  const list = films.get(r.id)
  return {
    ...(list === undefined ? {} : { films: list }),
    imageId: r.id,
    name: r.name,
    age: r.age,
    sex: r.sex,
    view: r.view,
    split: r.split,
    onDisk: r.on_disk === 1,
    unreadable: r.unreadable_reason,
    boxes: boxes.get(r.id) ?? [],
    tags: tags.get(r.id) ?? [],
  }
}

/** The reader's latest verdict per image within the audit (withdrawn ones left out). */
async function readerVerdicts(
  db: Db,
  auditId: number,
  findingId: number,
  readerId: number | null,
  imageIds: readonly number[],
): Promise<Map<number, { verdict: Verdict; implied: boolean }>> {
  const out = new Map<number, { verdict: Verdict; implied: boolean }>()
  if (readerId === null || imageIds.length === 0) return out
  const rows = await latestEvents(db, 'verdict_event', {
    auditId,
    readerIds: [readerId],
    findingIds: [findingId],
    imageIds,
  })
    .select(['e.image_id', 'e.verdict', 'e.implied'])
    .execute()
  for (const r of rows)
    if (r.verdict !== null)
      out.set(r.image_id, { verdict: r.verdict as Verdict, implied: r.implied === 1 })
  return out
}

/** The reader's tags currently on, per image (tags belong to the film, not to an audit). */
export async function readerTags(
  db: Db,
  readerId: number | null,
  imageIds: readonly number[],
): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>()
  if (readerId === null || imageIds.length === 0) return out
  const rows = await latestEvents(db, 'tag_event', { readerIds: [readerId], imageIds })
    .select(['e.image_id', 'e.tag'])
    .where('e.on', '=', 1)
    .orderBy('e.id')
    .execute()
  for (const r of rows) {
    const list = out.get(r.image_id)
    if (list === undefined) out.set(r.image_id, [r.tag])
    else list.push(r.tag)
  }
  return out
}

async function imageBoxes(db: Db, imageIds: readonly number[]): Promise<Map<number, SheetBox[]>> {
  const out = new Map<number, SheetBox[]>()
  if (imageIds.length === 0) return out
  const rows = await db
    .selectFrom('box')
    .innerJoin('finding', 'finding.id', 'box.finding_id')
    .select(['box.image_id', 'finding.name', 'box.x', 'box.y', 'box.w', 'box.h'])
    .where('box.image_id', 'in', [...imageIds])
    .orderBy('box.id')
    .execute()
  for (const r of rows) {
    const b = { finding: r.name, x: r.x, y: r.y, w: r.w, h: r.h }
    const list = out.get(r.image_id)
    if (list === undefined) out.set(r.image_id, [b])
    else list.push(b)
  }
  return out
}
