import { chiSquareHomogeneity, fisherExact2x2 } from '../stats/index.ts'
import { UNKNOWN_GROUP } from '../subgroups.ts'

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
  const kept = rows.filter((r) => r.total > 0 && r.group !== UNKNOWN_GROUP)
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
