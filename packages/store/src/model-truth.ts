import {
  expandMembers,
  majorityVerdict,
  readerSpecText,
  type ReaderSpec,
  type Verdict,
  type SubgroupBy,
} from '@cxr-audit/core'
import type { FindingRow } from './datasets.ts'
import { findReader, listReaders } from './readers.ts'
import { StoreError, type Db } from './store.ts'
import { currentTags, currentVerdicts } from './verdicts.ts'

/** A reader's (or a consensus') current verdicts: finding id -> image id -> verdict [M8]. */
export interface ReaderTruth {
  readonly readers: readonly string[]
  readonly verdicts: ReadonlyMap<number, ReadonlyMap<number, Verdict>>
}

/**
 * The current verdicts of a reader, or of `consensus:A,B,...` (the labels area's majority
 * verdict of those readers per image and finding, ties uncertain; `g:*` stands for every reader
 * whose name starts with `g:`) [M8], on the given findings. Unknown readers are a StoreError
 * naming the known ones.
 */
export async function loadReaderTruth(
  db: Db,
  spec: ReaderSpec,
  findings: readonly FindingRow[],
): Promise<ReaderTruth> {
  const names =
    spec.kind === 'reader'
      ? [spec.name]
      : expandMembers(
          spec.members,
          (await listReaders(db)).map((r) => r.name),
        )
  if (names.length === 0) throw new StoreError(`no reader matches "${readerSpecText(spec)}"`)
  const ids: number[] = []
  for (const name of names) {
    const reader = await findReader(db, name)
    if (reader === undefined) {
      const known = (await listReaders(db)).map((r) => `"${r.name}"`).join(', ')
      throw new StoreError(
        `no reader "${name}" (${known === '' ? 'no readers yet' : `readers: ${known}`}); use --against original for the dataset's labels`,
      )
    }
    ids.push(reader.id)
  }
  const rows = await currentVerdicts(db, {
    readerIds: ids,
    findingIds: findings.map((f) => f.id),
  })
  const votes = new Map<number, Map<number, Verdict[]>>()
  for (const r of rows) {
    let byImage = votes.get(r.findingId)
    if (byImage === undefined) {
      byImage = new Map()
      votes.set(r.findingId, byImage)
    }
    const list = byImage.get(r.imageId)
    if (list === undefined) byImage.set(r.imageId, [r.verdict])
    else list.push(r.verdict)
  }
  const verdicts = new Map<number, Map<number, Verdict>>()
  for (const [findingId, byImage] of votes) {
    const out = new Map<number, Verdict>()
    for (const [imageId, list] of byImage) {
      const v = ids.length === 1 ? list[0]! : majorityVerdict(list)
      if (v !== null) out.set(imageId, v)
    }
    verdicts.set(findingId, out)
  }
  return { readers: names, verdicts }
}

/** Which images carry each asked tag, and which images anybody reviewed [M21]. */
export interface TagGroups {
  /** Lower-case tag -> image ids where some reader has it on now. */
  readonly tagged: ReadonlyMap<string, ReadonlySet<number>>
  /** Images with a current verdict or tag of any reader. */
  readonly reviewed: ReadonlySet<number>
}

/** Loads the tags named by `tag:` keys (case-insensitive), or nothing without such keys. */
export async function loadTagGroups(db: Db, keys: readonly SubgroupBy[]): Promise<TagGroups> {
  const wanted = keys.flatMap((k) => (k.kind === 'tag' ? [k.tag.toLowerCase()] : []))
  if (wanted.length === 0) return { tagged: new Map(), reviewed: new Set() }
  const tags = await currentTags(db)
  const verdicts = await currentVerdicts(db)
  const reviewed = new Set<number>()
  for (const v of verdicts) reviewed.add(v.imageId)
  const tagged = new Map<string, Set<number>>(wanted.map((w) => [w, new Set<number>()]))
  for (const t of tags) {
    reviewed.add(t.imageId)
    tagged.get(t.tag.toLowerCase())?.add(t.imageId)
  }
  return { tagged, reviewed }
}
