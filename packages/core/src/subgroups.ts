/**
 * Subgroups of images, one home for the labels area ([L9]) and the model audit ([M20], [M21]):
 * what `--by` can split by, the age bands, the group order. The two areas name some groups
 * differently (their JSON contracts say so), so each has its own `...SubgroupOf` rule below.
 */

/** What `--by` splits images by. */
export type SubgroupBy =
  | { readonly kind: 'view' | 'sex' | 'age-band' | 'split' }
  | { readonly kind: 'tag'; readonly tag: string }

/** A `--by` as written and as the reports print it. */
export type SubgroupByText = 'sex' | 'view' | 'age-band' | 'split' | `tag:${string}`

/** Parses `view`, `sex`, `age-band`, `split` or `tag:NAME`; undefined for anything else. */
export function parseSubgroupBy(text: string): SubgroupBy | undefined {
  const t = text.trim()
  if (t === 'view' || t === 'sex' || t === 'age-band' || t === 'split') return { kind: t }
  if (t.startsWith('tag:') && t.slice(4).trim() !== '')
    return { kind: 'tag', tag: t.slice(4).trim() }
  return undefined
}

export const subgroupByText = (by: SubgroupBy): SubgroupByText =>
  by.kind === 'tag' ? `tag:${by.tag}` : by.kind

/** Why the model audit refuses a `--by` [M20]. */
export const badSubgroupBy = (text: string): string =>
  `cannot split by "${text}": use sex, view, age-band, split or tag:NAME (e.g. tag:chest drain)`

/**
 * Age bands in whole years [L9], [M20]: 0-17, 18-39, 40-59, 60-79, 80+. An age is in the band
 * whose lower edge it reaches: 17.9 is 0-17, 18 is 18-39.
 */
export const AGE_BANDS = ['0-17', '18-39', '40-59', '60-79', '80+'] as const
export type AgeBand = (typeof AGE_BANDS)[number]
const AGE_EDGES = [18, 40, 60, 80] as const

/** The group of images whose value is missing or impossible. */
export const UNKNOWN_GROUP = 'unknown'
/** The model audit's split group of images that no split list placed [M20]. */
export const NO_SPLIT_GROUP = 'none'

/**
 * The age band of an age in years; `unknown` for a missing age or one outside 0-120 (impossible,
 * as the 2017 release's ages over 400).
 */
export function ageBand(age: number | null): string {
  if (age === null || !Number.isFinite(age) || age < 0 || age > 120) return UNKNOWN_GROUP
  let band = 0
  while (band < AGE_EDGES.length && age >= AGE_EDGES[band]!) band++
  return AGE_BANDS[band]!
}

/** A stable order for groups: age bands in age order, then the rest alphabetically, `unknown` and `none` last. */
export function compareGroups(a: string, b: string): number {
  const ia = (AGE_BANDS as readonly string[]).indexOf(a)
  const ib = (AGE_BANDS as readonly string[]).indexOf(b)
  if (ia >= 0 || ib >= 0) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib)
  if (a === UNKNOWN_GROUP || a === NO_SPLIT_GROUP) return 1
  if (b === UNKNOWN_GROUP || b === NO_SPLIT_GROUP) return -1
  return a < b ? -1 : a > b ? 1 : 0
}

/** What a subgroup is decided from, for one image. */
export interface SubgroupFacts {
  readonly age: number | null
  readonly sex: string
  readonly view: string
  readonly split: string | null
}

/** What the labels area knows of an image: its facts and the tags any reader has on it now. */
export interface LabelSubgroupImage extends SubgroupFacts {
  readonly tags: readonly string[]
}

/**
 * The labels area's subgroup of an image [L9]: the view (PA, AP, ...) upper case and sex (M, F)
 * as recorded, `unknown` when blank (and for sex anything but M or F); the age band; the split
 * (`unknown` without a split list); for a tag, `tagged` when any reader has that tag on the
 * image (names compared ignoring case), else `untagged`.
 */
export function labelSubgroupOf(by: SubgroupBy, image: LabelSubgroupImage): string {
  switch (by.kind) {
    case 'view':
      return image.view.trim() === '' ? UNKNOWN_GROUP : image.view.trim().toUpperCase()
    case 'sex': {
      const s = image.sex.trim().toUpperCase()
      return s === 'M' || s === 'F' ? s : UNKNOWN_GROUP
    }
    case 'age-band':
      return ageBand(image.age)
    case 'split':
      return image.split === null || image.split === '' ? UNKNOWN_GROUP : image.split
    case 'tag': {
      const want = by.tag.toLowerCase()
      return image.tags.some((t) => t.toLowerCase() === want) ? 'tagged' : 'untagged'
    }
  }
}

/** What the model audit knows of an image [M21]. */
export interface ModelSubgroupImage extends SubgroupFacts {
  /**
   * Tags any reader currently has on for this image, or null when no reader has reviewed the
   * image (no verdict and no tag): its tags are unknown, not absent.
   */
  readonly tags: ReadonlySet<string> | null
}

/** The model audit's names of the group of images that carry a tag, and of those reviewed without it. */
export const withTag = (tag: string): string => tag
export const withoutTag = (tag: string): string => `no ${tag}`

/**
 * The model audit's subgroup of an image [M20], [M21]: sex, view and split as stored (blank
 * `unknown`, no split `none`), the age band; for a tag, the tag's name or `no NAME`, or null
 * when the image takes no part (nobody reviewed it).
 */
export function modelSubgroupOf(by: SubgroupBy, image: ModelSubgroupImage): string | null {
  switch (by.kind) {
    case 'sex':
      return image.sex === '' ? UNKNOWN_GROUP : image.sex
    case 'view':
      return image.view === '' ? UNKNOWN_GROUP : image.view
    case 'age-band':
      return ageBand(image.age)
    case 'split':
      return image.split === null || image.split === '' ? NO_SPLIT_GROUP : image.split
    case 'tag':
      if (image.tags === null) return null
      return image.tags.has(by.tag) ? withTag(by.tag) : withoutTag(by.tag)
  }
}
