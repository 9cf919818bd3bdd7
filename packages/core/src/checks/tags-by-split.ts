import { smdBinary } from '../stats/descriptives.ts'
import { SMD_FLAG, splitsOf } from './cohort.ts'
import type { CheckImage, CohortRow } from './types.ts'

/** Reader tags compared between the splits, among reviewed films [K7]. */
export interface TagsBySplit {
  readonly splits: string[]
  /** The two splits compared (train before test); null with fewer than two. */
  readonly compared: [string, string] | null
  /** Reviewed films (any reader's verdict or tag) per split: the denominators. */
  readonly reviewed: Record<string, number>
  /** One row per tag: `variable` `tag`, `level` the tag; per split the tagged share of the
   * reviewed films (`value`) and the count (`n`); SMD between the compared splits. */
  readonly rows: CohortRow[]
}

/**
 * Each reader tag's prevalence per split among the films somebody reviewed [K7], with the SMD
 * of two proportions between the first two splits, as the cohort table compares sex and view
 * (Austin 2009; `smdBinary`). An unreviewed film's tags are unknown, not absent, so it is in no
 * denominator. Tags are compared ignoring case (the first spelling seen names the row).
 */
export function tagsBySplit(images: readonly CheckImage[]): TagsBySplit {
  const splits = splitsOf(images)
  const reviewed: Record<string, number> = {}
  for (const s of splits) reviewed[s] = 0
  const counts = new Map<string, { name: string; bySplit: Map<string, number> }>()
  for (const im of images) {
    if (im.split === null || im.readerTags === undefined || im.readerTags === null) continue
    reviewed[im.split] = (reviewed[im.split] ?? 0) + 1
    for (const tag of new Set(im.readerTags.map((t) => t.toLowerCase()))) {
      let c = counts.get(tag)
      if (c === undefined) {
        const name = im.readerTags.find((t) => t.toLowerCase() === tag)!
        c = { name, bySplit: new Map() }
        counts.set(tag, c)
      }
      c.bySplit.set(im.split, (c.bySplit.get(im.split) ?? 0) + 1)
    }
  }
  const compared: [string, string] | null = splits.length < 2 ? null : [splits[0]!, splits[1]!]
  const rows = [...counts.values()]
    .sort((x, y) => x.name.localeCompare(y.name))
    .map(({ name, bySplit }): CohortRow => {
      const values: CohortRow['values'] = {}
      for (const s of splits) {
        const n = bySplit.get(s) ?? 0
        values[s] = { value: reviewed[s] === 0 ? null : n / reviewed[s]!, n }
      }
      const pa = compared === null ? null : values[compared[0]]!.value
      const pb = compared === null ? null : values[compared[1]]!.value
      const raw = pa === null || pb === null ? null : smdBinary(pa, pb)
      const smd = raw !== null && Number.isFinite(raw) ? raw : null
      return {
        variable: 'tag',
        level: name,
        values,
        smd,
        flag: smd !== null && Math.abs(smd) > SMD_FLAG,
      }
    })
  return { splits, compared, reviewed, rows }
}
