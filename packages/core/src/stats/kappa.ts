import { StatsInputError, UndefinedStatisticError, checkSameLength } from './errors.ts'

/** A category a reader can choose: a verdict such as 'present', or a number. */
export type Category = string | number

/**
 * The fraction of items on which two readers gave the same category [S8]. Throws
 * ('empty') when there are no items.
 */
export function percentAgreement(a: readonly Category[], b: readonly Category[]): number {
  checkSameLength(a, b, 'percentAgreement')
  if (a.length === 0) throw new UndefinedStatisticError('empty', 'agreement undefined: no items')
  let same = 0
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++
  return same / a.length
}

function categoryIndex(
  a: readonly Category[],
  b: readonly Category[],
  categories: readonly Category[] | undefined,
): Map<Category, number> {
  const index = new Map<Category, number>()
  if (categories !== undefined) {
    for (const category of categories) if (!index.has(category)) index.set(category, index.size)
    for (const value of [...a, ...b]) {
      if (!index.has(value)) {
        throw new StatsInputError(`cohenKappa: ${JSON.stringify(value)} is not a listed category`)
      }
    }
    return index
  }
  for (const value of [...a, ...b]) if (!index.has(value)) index.set(value, index.size)
  return index
}

/**
 * Cohen's kappa for two readers, unweighted [S6]: (p_o - p_e) / (1 - p_e), p_o the observed
 * agreement and p_e = sum_j p_aj p_bj the agreement expected from the readers' marginals.
 * Cohen, J. (1960). A coefficient of agreement for nominal scales. Educational and Psychological
 * Measurement 20(1), 37-46. Equals sklearn `cohen_kappa_score`. `categories`, when given, must
 * contain every value (unlisted values throw; sklearn would drop them); categories nobody used
 * do not change kappa. Throws ('empty') without items and ('chance-agreement-is-one') when
 * p_e = 1, i.e. both readers used one and the same category throughout (sklearn: NaN).
 */
export function cohenKappa(
  a: readonly Category[],
  b: readonly Category[],
  categories?: readonly Category[],
): number {
  checkSameLength(a, b, 'cohenKappa')
  const n = a.length
  if (n === 0) throw new UndefinedStatisticError('empty', 'kappa undefined: no items')
  const index = categoryIndex(a, b, categories)
  const q = index.size
  const rowTotals = new Float64Array(q)
  const columnTotals = new Float64Array(q)
  let agree = 0
  for (let i = 0; i < n; i++) {
    const ia = index.get(a[i] as Category) as number
    const ib = index.get(b[i] as Category) as number
    rowTotals[ia] = (rowTotals[ia] as number) + 1
    columnTotals[ib] = (columnTotals[ib] as number) + 1
    if (ia === ib) agree++
  }
  // sklearn's form: kappa = 1 - sum(w * observed) / sum(w * expected), w = 1 - identity.
  let expectedAgree = 0
  for (let j = 0; j < q; j++)
    expectedAgree += ((rowTotals[j] as number) * (columnTotals[j] as number)) / n
  const expectedDisagree = n - expectedAgree
  if (expectedDisagree <= 0) {
    throw new UndefinedStatisticError(
      'chance-agreement-is-one',
      'kappa undefined: both readers used a single category',
    )
  }
  return 1 - (n - agree) / expectedDisagree
}

/**
 * Fleiss' kappa from counts: one row per item, the number of reads in each category [S7].
 * Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters. Psychological
 * Bulletin 76(5), 378-382. With equal reads per item it equals statsmodels
 * `fleiss_kappa(method='fleiss')`. For varying numbers of reads n_i: items with n_i < 2 are
 * dropped entirely; P_i = sum_j n_ij (n_ij - 1) / (n_i (n_i - 1)); P_bar the unweighted mean of
 * P_i; p_j = (reads in category j) / (all reads), over the kept items; P_e = sum_j p_j^2;
 * kappa = (P_bar - P_e) / (1 - P_e). Throws ('too-few-raters') when no item has 2 reads and
 * ('chance-agreement-is-one') when all reads fall in one category.
 */
export function fleissKappa(countsPerItem: readonly (readonly number[])[]): number {
  const q = countsPerItem[0]?.length ?? 0
  const categoryTotals = new Float64Array(q)
  let agreementSum = 0
  let items = 0
  let reads = 0
  for (const [row, counts] of countsPerItem.entries()) {
    if (counts.length !== q) {
      throw new StatsInputError(`fleissKappa: row ${row} has ${counts.length} categories, not ${q}`)
    }
    let ni = 0
    let pairs = 0
    for (const count of counts) {
      if (!Number.isInteger(count) || count < 0) {
        throw new StatsInputError(`fleissKappa: row ${row} has a count that is not a count`)
      }
      ni += count
      pairs += count * (count - 1)
    }
    if (ni < 2) continue
    for (let j = 0; j < q; j++)
      categoryTotals[j] = (categoryTotals[j] as number) + (counts[j] as number)
    agreementSum += pairs / (ni * (ni - 1))
    items++
    reads += ni
  }
  if (items === 0) {
    throw new UndefinedStatisticError('too-few-raters', 'kappa undefined: no item has 2 reads')
  }
  const observed = agreementSum / items
  let chance = 0
  for (const total of categoryTotals) chance += (total / reads) ** 2
  if (chance >= 1) {
    throw new UndefinedStatisticError(
      'chance-agreement-is-one',
      'kappa undefined: every read is in one category',
    )
  }
  return (observed - chance) / (1 - chance)
}
