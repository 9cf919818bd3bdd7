/** What the dataset checks need to know about one image (as loaded from the store). */
export interface CheckImage {
  readonly name: string
  readonly patient: string
  readonly age: number | null
  readonly sex: string
  readonly view: string
  readonly split: string | null
  readonly onDisk: boolean
  /** Findings labelled positive (canonical names). */
  readonly positives: readonly string[]
  /** Label names as written in the source (to spot unknown findings and No Finding + X). */
  readonly rawLabels: readonly string[]
  /** The tags readers have on the film now; null or absent when nobody reviewed it [K7]. */
  readonly readerTags?: readonly string[] | null
}

export interface Problem {
  readonly kind: string
  readonly count: number
  readonly examples: readonly string[]
  /** One line saying what the kind means, for people reading the report. */
  readonly description: string
}

export interface CohortRow {
  /** e.g. `age`, `sex`, `view`, `images per patient`, `finding`. */
  readonly variable: string
  /** The level for categorical rows (`M`, `PA`, `Atelectasis`), the statistic for age rows. */
  readonly level: string
  /** Per split: a number (mean, proportion or quantile) and, where it has one, its SD and count. */
  readonly values: Record<string, { value: number | null; sd?: number | null; n: number }>
  /** Standardised mean difference between the two compared splits (null when not defined). */
  readonly smd: number | null
  /** |SMD| > 0.1: the splits differ enough to matter. */
  readonly flag: boolean
}
