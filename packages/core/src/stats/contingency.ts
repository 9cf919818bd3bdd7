import { chiSquareSurvival } from './distributions.ts'
import { StatsInputError, UndefinedStatisticError } from './errors.ts'

export interface ChiSquareResult {
  readonly statistic: number
  readonly df: number
  readonly p: number
}

/**
 * Pearson's chi-square test of homogeneity (or independence) of an r x c table of counts
 * [S20]: statistic = sum (O - E)^2 / E with E = row total x column total / N, df = (r-1)(c-1),
 * p = P(chi-square(df) > statistic); no continuity correction. Equals
 * `scipy.stats.chi2_contingency(table, correction=False)`, including statistic 0 and p = 1 when
 * df = 0. Pearson, K. (1900). Philosophical Magazine 50(302), 157-175. A zero row or column
 * total throws ('zero-margin'), as SciPy does.
 */
export function chiSquareHomogeneity(table: readonly (readonly number[])[]): ChiSquareResult {
  const rows = table.length
  const columns = table[0]?.length ?? 0
  if (rows === 0 || columns === 0) throw new StatsInputError('chiSquareHomogeneity: empty table')
  const rowTotals = new Float64Array(rows)
  const columnTotals = new Float64Array(columns)
  let total = 0
  for (const [r, row] of table.entries()) {
    if (row.length !== columns) {
      throw new StatsInputError(
        `chiSquareHomogeneity: row ${r} has ${row.length} cells, not ${columns}`,
      )
    }
    for (const [c, count] of row.entries()) {
      if (!(count >= 0 && Number.isFinite(count))) {
        throw new StatsInputError(`chiSquareHomogeneity: cell [${r}][${c}] is ${count}`)
      }
      rowTotals[r] = (rowTotals[r] as number) + count
      columnTotals[c] = (columnTotals[c] as number) + count
      total += count
    }
  }
  if (rowTotals.includes(0) || columnTotals.includes(0)) {
    throw new UndefinedStatisticError(
      'zero-margin',
      'chi-square undefined: a row or column total is 0',
    )
  }
  const df = (rows - 1) * (columns - 1)
  if (df === 0) return { statistic: 0, df: 0, p: 1 }
  let statistic = 0
  for (const [r, row] of table.entries()) {
    for (const [c, count] of row.entries()) {
      const expected = ((rowTotals[r] as number) * (columnTotals[c] as number)) / total
      statistic += ((count - expected) * (count - expected)) / expected
    }
  }
  return { statistic, df, p: chiSquareSurvival(statistic, df) }
}

export interface FisherResult {
  /** a d / (b c); Infinity when b or c is 0; NaN when a row or column total is 0. */
  readonly oddsRatio: number
  /** Two-sided p-value. */
  readonly p: number
}

/**
 * Fisher's exact test of a 2 x 2 table [[a, b], [c, d]], two-sided [S21]: the sum of the
 * hypergeometric probabilities (margins fixed) of every table no more likely than the observed
 * one, with a relative tolerance of 1e-7 for ties (R's `fisher.test`; SciPy uses 1e-14, which
 * agrees on integer tables). Equals `scipy.stats.fisher_exact`, including p = 1 and odds ratio
 * NaN when a row or column total is 0. Fisher, R. A. (1922). JRSS 85(1), 87-94. The
 * probabilities come from the ratio recurrence P(x+1)/P(x), so no factorials overflow.
 */
export function fisherExact2x2(table: readonly (readonly number[])[]): FisherResult {
  const [first, second] = table
  if (table.length !== 2 || first?.length !== 2 || second?.length !== 2) {
    throw new StatsInputError('fisherExact2x2: the table must be 2 x 2')
  }
  const [a, b] = first as [number, number]
  const [c, d] = second as [number, number]
  for (const count of [a, b, c, d]) {
    if (!Number.isInteger(count) || count < 0) {
      throw new StatsInputError(`fisherExact2x2: ${count} is not a count`)
    }
  }
  const row1 = a + b
  const row2 = c + d
  const column1 = a + c
  if (row1 === 0 || row2 === 0 || column1 === 0 || b + d === 0) {
    return { oddsRatio: Number.NaN, p: 1 }
  }
  const oddsRatio = b > 0 && c > 0 ? (a * d) / (b * c) : Infinity
  // x = the top-left cell, from max(0, column1 - row2) to min(row1, column1).
  const low = Math.max(0, column1 - row2)
  const high = Math.min(row1, column1)
  const weights = new Float64Array(high - low + 1)
  // Relative probabilities from the mode outwards, so every weight is <= 1 and none overflows.
  const mode = Math.min(
    high,
    Math.max(low, Math.floor(((column1 + 1) * (row1 + 1)) / (row1 + row2 + 2))),
  )
  weights[mode - low] = 1
  for (let x = mode; x < high; x++) {
    const ratio = ((row1 - x) * (column1 - x)) / ((x + 1) * (row2 - column1 + x + 1))
    weights[x + 1 - low] = (weights[x - low] as number) * ratio
  }
  for (let x = mode; x > low; x--) {
    const ratio = (x * (row2 - column1 + x)) / ((row1 - x + 1) * (column1 - x + 1))
    weights[x - 1 - low] = (weights[x - low] as number) * ratio
  }
  const observed = (weights[a - low] as number) * (1 + 1e-7)
  let total = 0
  let tail = 0
  for (const weight of weights) {
    total += weight
    if (weight <= observed) tail += weight
  }
  return { oddsRatio, p: Math.min(1, tail / total) }
}
