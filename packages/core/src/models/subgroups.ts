/** Something wrong with an option of a model audit (a subgroup key, a threshold rule, a cell). */
export class ModelSpecError extends Error {
  override readonly name = 'ModelSpecError'
}

/**
 * Age bands in whole years [M20]: 0-17, 18-39, 40-59, 60-79, 80+ (the labels area uses the
 * same). An age is in the band whose lower edge it reaches: 17.9 is 0-17, 18 is 18-39.
 */
export const AGE_BANDS = ['0-17', '18-39', '40-59', '60-79', '80+'] as const
export type AgeBand = (typeof AGE_BANDS)[number]
const AGE_EDGES = [18, 40, 60, 80] as const

/** The group of images whose value is missing or impossible. */
export const UNKNOWN_GROUP = 'unknown'
/** The split group of images that no split list placed. */
export const NO_SPLIT_GROUP = 'none'

/**
 * The age band of an age in years; `unknown` for a missing age or one outside 0-120 (impossible,
 * as the 2017 release's ages over 400), the same rule as the labels area's `labelAgeBand`.
 */
export function ageBand(age: number | null): string {
  if (age === null || !Number.isFinite(age) || age < 0 || age > 120) return UNKNOWN_GROUP
  let band = 0
  while (band < AGE_EDGES.length && age >= AGE_EDGES[band]!) band++
  return AGE_BANDS[band]!
}

/** What `--by` can split images by [M20]. */
export type SubgroupKey = 'sex' | 'view' | 'age-band' | 'split' | `tag:${string}`

/** Parses `sex`, `view`, `age-band`, `split` or `tag:NAME`. */
export function parseSubgroupKey(text: string): SubgroupKey {
  const t = text.trim()
  if (t === 'sex' || t === 'view' || t === 'age-band' || t === 'split') return t
  if (t.startsWith('tag:') && t.slice(4).trim() !== '') return `tag:${t.slice(4).trim()}`
  throw new ModelSpecError(
    `cannot split by "${text}": use sex, view, age-band, split or tag:NAME (e.g. tag:chest drain)`,
  )
}

/** What a subgroup is decided from, for one image. */
export interface SubgroupImage {
  readonly age: number | null
  readonly sex: string
  readonly view: string
  readonly split: string | null
  /**
   * Tags any reader currently has on for this image, or null when no reader has reviewed the
   * image (no verdict and no tag): its tags are unknown, not absent [M21].
   */
  readonly tags: ReadonlySet<string> | null
}

/** The name of the group of images that carry the tag, and of those reviewed without it. */
export const withTag = (tag: string): string => tag
export const withoutTag = (tag: string): string => `no ${tag}`

/**
 * The subgroup of an image for a key [M20], [M21], or null when the image takes no part (a
 * `tag:` split of an image nobody reviewed).
 */
export function subgroupOf(key: SubgroupKey, image: SubgroupImage): string | null {
  switch (key) {
    case 'sex':
      return image.sex === '' ? UNKNOWN_GROUP : image.sex
    case 'view':
      return image.view === '' ? UNKNOWN_GROUP : image.view
    case 'age-band':
      return ageBand(image.age)
    case 'split':
      return image.split === null || image.split === '' ? NO_SPLIT_GROUP : image.split
    default: {
      const tag = key.slice(4)
      if (image.tags === null) return null
      return image.tags.has(tag) ? withTag(tag) : withoutTag(tag)
    }
  }
}

/** A stable order for groups: age bands in age order, then the rest alphabetically. */
export function compareGroups(a: string, b: string): number {
  const ia = (AGE_BANDS as readonly string[]).indexOf(a)
  const ib = (AGE_BANDS as readonly string[]).indexOf(b)
  if (ia >= 0 || ib >= 0) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib)
  if (a === UNKNOWN_GROUP || a === NO_SPLIT_GROUP) return 1
  if (b === UNKNOWN_GROUP || b === NO_SPLIT_GROUP) return -1
  return a < b ? -1 : a > b ? 1 : 0
}
