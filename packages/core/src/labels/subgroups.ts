import { chiSquareHomogeneity, fisherExact2x2 } from '../stats/index.ts'

/** How `--by` splits the judged images [L9]. */
export type SubgroupBy =
  | { readonly kind: 'view' | 'sex' | 'age-band' | 'split' }
  | { readonly kind: 'tag'; readonly tag: string }

/** Parses `view`, `sex`, `age-band`, `split` or `tag:NAME`; undefined for anything else. */
export function parseSubgroupBy(text: string): SubgroupBy | undefined {
  const t = text.trim()
  if (t === 'view' || t === 'sex' || t === 'age-band' || t === 'split') return { kind: t }
  if (t.startsWith('tag:') && t.slice(4).trim() !== '')
    return { kind: 'tag', tag: t.slice(4).trim() }
  return undefined
}

export const subgroupByText = (by: SubgroupBy): string =>
  by.kind === 'tag' ? `tag:${by.tag}` : by.kind

/** Age bands in years [L9]: 0-17, 18-39, 40-59, 60-79, 80+ (lower bound included). */
export const LABEL_AGE_BANDS = ['0-17', '18-39', '40-59', '60-79', '80+'] as const
export const UNKNOWN_SUBGROUP = 'unknown'

/** The age band of an age in years; `unknown` when missing or outside 0-120 (impossible). */
export function labelAgeBand(age: number | null): string {
  if (age === null || !Number.isFinite(age) || age < 0 || age > 120) return UNKNOWN_SUBGROUP
  if (age < 18) return '0-17'
  if (age < 40) return '18-39'
  if (age < 60) return '40-59'
  if (age < 80) return '60-79'
  return '80+'
}

/** What subgrouping needs to know about an image. */
export interface LabelSubgroupImage {
  readonly age: number | null
  readonly sex: string
  readonly view: string
  readonly split: string | null
  /** Tags any reader currently has on the image. */
  readonly tags: readonly string[]
}

/**
 * The subgroup of an image [L9]: the view (PA, AP, ...) and sex (M, F) as recorded, `unknown`
 * when blank (and for sex anything but M or F); the age band; the split (`unknown` without a
 * split list); for `tag:NAME`, `tagged` when any reader has that tag on the image (names compared
 * ignoring case), else `untagged`.
 */
export function labelSubgroupOf(by: SubgroupBy, image: LabelSubgroupImage): string {
  switch (by.kind) {
    case 'view':
      return image.view.trim() === '' ? UNKNOWN_SUBGROUP : image.view.trim().toUpperCase()
    case 'sex': {
      const s = image.sex.trim().toUpperCase()
      return s === 'M' || s === 'F' ? s : UNKNOWN_SUBGROUP
    }
    case 'age-band':
      return labelAgeBand(image.age)
    case 'split':
      return image.split === null || image.split === '' ? UNKNOWN_SUBGROUP : image.split
    case 'tag': {
      const want = by.tag.toLowerCase()
      return image.tags.some((t) => t.toLowerCase() === want) ? 'tagged' : 'untagged'
    }
  }
}

/** Sorts subgroup names: age bands in age order, `unknown` last, the rest alphabetically. */
export function compareSubgroups(a: string, b: string): number {
  if (a === b) return 0
  if (a === UNKNOWN_SUBGROUP) return 1
  if (b === UNKNOWN_SUBGROUP) return -1
  const ia = (LABEL_AGE_BANDS as readonly string[]).indexOf(a)
  const ib = (LABEL_AGE_BANDS as readonly string[]).indexOf(b)
  if (ia >= 0 && ib >= 0) return ia - ib
  return a < b ? -1 : 1
}

/** The test of whether a proportion differs between subgroups [L10]. */
export interface SubgroupTestResult {
  /** `fisher-exact` (two subgroups) or `chi-square` (Pearson, more than two); null: no test. */
  readonly method: 'fisher-exact' | 'chi-square' | null
  /** Chi-square statistic, or the odds ratio for Fisher's test; null when undefined. */
  readonly statistic: number | null
  readonly df: number | null
  readonly p: number | null
  /** The subgroups in the test (those with images, `unknown` left out). */
  readonly groups: readonly string[]
  /** Chi-square only: some expected count is below 5, so the approximation is rough. */
  readonly smallExpected: boolean
  readonly note: string | null
}

/**
 * Whether `success / total` differs between subgroups [L10]. Subgroups without images and the
 * `unknown` subgroup are left out. Two subgroups: Fisher's exact test, two-sided, on
 * [[success, failure], ...] (exact whatever the counts); more: Pearson's chi-square test of
 * homogeneity without continuity correction, df = groups - 1, flagging expected counts below 5.
 * No test when fewer than two subgroups remain, or when every tested image has the same outcome.
 */
export function subgroupTest(
  rows: readonly { readonly group: string; readonly success: number; readonly total: number }[],
): SubgroupTestResult {
  const kept = rows.filter((r) => r.total > 0 && r.group !== UNKNOWN_SUBGROUP)
  const groups = kept.map((r) => r.group)
  const none = (note: string, method: SubgroupTestResult['method'] = null): SubgroupTestResult => ({
    method,
    statistic: null,
    df: null,
    p: null,
    groups,
    smallExpected: false,
    note,
  })
  if (kept.length < 2) return none('fewer than two subgroups with images: nothing to compare')
  const table = kept.map((r) => [r.success, r.total - r.success])
  const method = kept.length === 2 ? 'fisher-exact' : 'chi-square'
  const successes = kept.reduce((s, r) => s + r.success, 0)
  const total = kept.reduce((s, r) => s + r.total, 0)
  if (successes === 0 || successes === total) {
    return none('undefined: every image in the tested subgroups has the same outcome', method)
  }
  const smallExpected = kept.some(
    (r) => (r.total * successes) / total < 5 || (r.total * (total - successes)) / total < 5,
  )
  if (method === 'fisher-exact') {
    const f = fisherExact2x2(table)
    return {
      method,
      statistic: Number.isFinite(f.oddsRatio) ? f.oddsRatio : null,
      df: null,
      p: f.p,
      groups,
      smallExpected: false, // Fisher's test is exact: small counts do not matter
      note: null,
    }
  }
  const c = chiSquareHomogeneity(table)
  return {
    method,
    statistic: c.statistic,
    df: c.df,
    p: c.p,
    groups,
    smallExpected,
    note: smallExpected
      ? 'some expected counts are below 5: the chi-square p is approximate'
      : null,
  }
}
