import { mean, quantile, sampleSd, smdBinary, smdContinuous } from '../stats/descriptives.ts'
import type { CheckImage, CohortRow } from './types.ts'

/** |SMD| above this marks a meaningful imbalance between splits (Austin 2009). */
export const SMD_FLAG = 0.1

/** The splits compared, in a stable order: train before test, the rest by name. */
export function splitsOf(images: readonly CheckImage[]): string[] {
  const set = new Set<string>()
  for (const im of images) if (im.split !== null) set.add(im.split)
  const rank = (s: string): number => (s === 'train' ? 0 : s === 'test' ? 1 : 2)
  return [...set].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
}

/**
 * The cohort table comparing the splits: age (mean, SD, quartiles), sex, view position, images
 * per patient and each finding's prevalence; SMD between the first two splits for every row.
 * With one split or none there is nothing to compare and the table is empty.
 */
export function cohortTable(
  images: readonly CheckImage[],
  findings: readonly string[],
): {
  splits: string[]
  compared: [string, string] | null
  rows: CohortRow[]
} {
  const splits = splitsOf(images)
  if (splits.length < 2) return { splits, compared: null, rows: [] }
  const bySplit = new Map<string, CheckImage[]>(splits.map((s) => [s, []]))
  for (const im of images) if (im.split !== null) bySplit.get(im.split)!.push(im)
  const [a, b] = [splits[0]!, splits[1]!]
  const rows: CohortRow[] = []

  const ages = new Map(
    splits.map((s) => [s, bySplit.get(s)!.flatMap((im) => (im.age === null ? [] : [im.age]))]),
  )
  const ageSmd = smdOf(ages.get(a)!, ages.get(b)!)
  rows.push(
    row(
      'age',
      'mean',
      splits,
      (s) => ({
        value: meanOrNull(ages.get(s)!),
        sd: sdOrNull(ages.get(s)!),
        n: ages.get(s)!.length,
      }),
      ageSmd,
    ),
  )
  for (const [level, q] of [
    ['Q1', 0.25],
    ['median', 0.5],
    ['Q3', 0.75],
  ] as const) {
    rows.push(
      row(
        'age',
        level,
        splits,
        (s) => ({ value: quantileOrNull(ages.get(s)!, q), n: ages.get(s)!.length }),
        null,
      ),
    )
  }

  const categorical = (
    variable: string,
    levels: readonly string[],
    of: (im: CheckImage) => string,
  ): void => {
    for (const level of levels) {
      const p = (s: string): { value: number | null; n: number } => {
        const list = bySplit.get(s)!
        const k = list.reduce((acc, im) => acc + (of(im) === level ? 1 : 0), 0)
        return { value: list.length === 0 ? null : k / list.length, n: k }
      }
      const pa = p(a).value
      const pb = p(b).value
      rows.push(
        row(
          variable,
          level,
          splits,
          p,
          pa === null || pb === null ? null : nullable(smdBinary(pa, pb)),
        ),
      )
    }
  }
  const sexOf = (im: CheckImage): string => (im.sex === 'M' || im.sex === 'F' ? im.sex : 'unknown')
  categorical('sex', levelsOf(images, sexOf), sexOf)
  const viewOf = (im: CheckImage): string => im.view || 'unknown'
  categorical('view', levelsOf(images, viewOf), viewOf)

  const perPatient = new Map(splits.map((s) => [s, imagesPerPatient(bySplit.get(s)!)]))
  rows.push(
    row(
      'images per patient',
      'mean',
      splits,
      (s) => ({
        value: meanOrNull(perPatient.get(s)!),
        sd: sdOrNull(perPatient.get(s)!),
        n: perPatient.get(s)!.length,
      }),
      smdOf(perPatient.get(a)!, perPatient.get(b)!),
    ),
  )

  const positive =
    (f: string) =>
    (im: CheckImage): string =>
      im.positives.includes(f) ? f : ''
  for (const f of findings) categorical('finding', [f], positive(f))
  return { splits, compared: [a, b], rows }
}

function row(
  variable: string,
  level: string,
  splits: readonly string[],
  value: (split: string) => { value: number | null; sd?: number | null; n: number },
  smd: number | null,
): CohortRow {
  const values: CohortRow['values'] = {}
  for (const s of splits) values[s] = value(s)
  return { variable, level, values, smd, flag: smd !== null && Math.abs(smd) > SMD_FLAG }
}

function levelsOf(images: readonly CheckImage[], of: (im: CheckImage) => string): string[] {
  const counts = new Map<string, number>()
  for (const im of images) counts.set(of(im), (counts.get(of(im)) ?? 0) + 1)
  return [...counts].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])).map(([k]) => k)
}

function imagesPerPatient(images: readonly CheckImage[]): number[] {
  const counts = new Map<string, number>()
  for (const im of images) counts.set(im.patient, (counts.get(im.patient) ?? 0) + 1)
  return [...counts.values()]
}

const nullable = (x: number): number | null => (Number.isFinite(x) ? x : null)
/** SMD of two samples; undefined (null) when either has fewer than two values. */
const smdOf = (x: readonly number[], y: readonly number[]): number | null =>
  x.length < 2 || y.length < 2 ? null : nullable(smdContinuous(x, y))
const meanOrNull = (xs: readonly number[]): number | null => (xs.length === 0 ? null : mean(xs))
const sdOrNull = (xs: readonly number[]): number | null => (xs.length < 2 ? null : sampleSd(xs))
const quantileOrNull = (xs: readonly number[], q: number): number | null =>
  xs.length === 0 ? null : quantile(xs, q)
