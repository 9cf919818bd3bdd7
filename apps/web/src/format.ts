/** Numbers as the results and models pages print them (null is a dash, never NaN). */

export const DASH = '–'

export const pct = (x: number | null | undefined, digits = 1): string =>
  x === null || x === undefined ? DASH : `${(x * 100).toFixed(digits)}%`

export const num = (x: number | null | undefined, digits = 3): string =>
  x === null || x === undefined ? DASH : x.toFixed(digits)

/** A 95% interval: "(71.2–88.0%)" or "(0.812–0.861)"; empty when undefined. */
export function interval(
  low: number | null | undefined,
  high: number | null | undefined,
  as: 'pct' | 'num' = 'pct',
): string {
  if (low === null || low === undefined || high === null || high === undefined) return ''
  return as === 'pct'
    ? `(${(low * 100).toFixed(1)}–${(high * 100).toFixed(1)}%)`
    : `(${low.toFixed(3)}–${high.toFixed(3)})`
}

/** A p-value: three significant digits, "< 0.001" below. */
export const pValue = (p: number | null | undefined): string =>
  p === null || p === undefined ? DASH : p < 0.001 ? '< 0.001' : p.toFixed(3)

/** A signed difference: "+0.052". */
export const signed = (x: number | null | undefined, digits = 3): string =>
  x === null || x === undefined ? DASH : `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(digits)}`
