import { listModels, readersWhoJudged, type ModelRow, type Store } from '@cxr-audit/store'
import { basename } from 'node:path'
import type { ModelDto, TruthOptionDto } from '@cxr-audit/contract'
import { ApiError } from './errors.ts'

/** A model as the page lists it. */
export function toModelDto(m: ModelRow): ModelDto {
  return {
    id: m.id,
    name: m.name,
    datasetId: m.datasetId,
    dataset: m.dataset,
    createdAt: m.createdAt,
    file: m.source === null ? null : basename(m.source.file),
    findings: m.source === null ? [] : [...new Set(Object.values(m.source.columns))],
  }
}

/** The model of that id, or a 404. */
export async function modelById(store: Store, id: number): Promise<ModelRow> {
  const m = (await listModels(store.db)).find((x) => x.id === id)
  if (m === undefined) throw new ApiError(404, 'not-found', `no model ${id}`)
  return m
}

/**
 * What a model of this dataset can be measured against [W29]: every reader with a
 * current-or-past verdict on the dataset's images, each group of readers named `PREFIX:...` as
 * `consensus:PREFIX:*`, and the people together as a consensus. Names with a comma cannot be
 * part of a `consensus:A,B` list and are offered alone.
 */
export async function truthOptions(store: Store, datasetId: number): Promise<TruthOptionDto[]> {
  const readers = await readersWhoJudged(store.db, datasetId)
  const groups = new Map<string, Set<number>[]>()
  for (const [name, r] of readers) {
    const cut = name.lastIndexOf(':')
    if (cut <= 0) continue
    const prefix = name.slice(0, cut + 1)
    groups.set(prefix, [...(groups.get(prefix) ?? []), r.images])
  }
  const union = (sets: readonly Set<number>[]): number => new Set(sets.flatMap((s) => [...s])).size
  const single: TruthOptionDto[] = [...readers]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([name, r]) => ({
      against: name,
      kind: r.kind === 'person' ? 'person' : 'imported',
      images: r.images.size,
      suggested: (groups.get(name.slice(0, name.lastIndexOf(':') + 1))?.length ?? 0) < 2,
    }))
  const consensus: TruthOptionDto[] = [...groups]
    .filter(([, sets]) => sets.length > 1)
    .map(([prefix, sets]) => ({
      against: `consensus:${prefix}*`,
      kind: 'consensus',
      images: union(sets),
      suggested: true,
    }))
  const people = [...readers].filter(([n, r]) => r.kind === 'person' && !n.includes(','))
  if (people.length > 1)
    consensus.push({
      against: `consensus:${people.map(([n]) => n).join(',')}`,
      kind: 'consensus',
      images: union(people.map(([, r]) => r.images)),
      suggested: true,
    })
  // imported sources first (expert labels), then their consensus, then people; members last
  const rank = (t: TruthOptionDto): number =>
    !t.suggested ? 4 : t.kind === 'imported' ? 0 : t.kind === 'consensus' ? 1 : 2
  return [...single, ...consensus].sort((a, b) => rank(a) - rank(b))
}
