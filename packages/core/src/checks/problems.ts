import { NO_FINDING } from '../findings.ts'
import type { CheckImage, Problem } from './types.ts'

const EXAMPLES = 5

/** Collects examples per kind of problem; keeps the first few names of each. */
export class ProblemList {
  readonly #byKind = new Map<string, { count: number; examples: string[]; description: string }>()

  add(kind: string, description: string, example: string, count = 1): void {
    let p = this.#byKind.get(kind)
    if (p === undefined) {
      p = { count: 0, examples: [], description }
      this.#byKind.set(kind, p)
    }
    p.count += count
    if (p.examples.length < EXAMPLES) p.examples.push(example)
  }

  /** A kind counted elsewhere, with its examples. */
  addMany(kind: string, description: string, count: number, examples: readonly string[]): void {
    this.#byKind.set(kind, { count, examples: examples.slice(0, EXAMPLES), description })
  }

  list(): Problem[] {
    return [...this.#byKind].map(([kind, p]) => ({ kind, ...p }))
  }
}

// LATERAL: a CheXpert lateral with a blank AP/PA; its rare LL and RL stay listed as unusual
export const KNOWN_VIEWS: ReadonlySet<string> = new Set(['PA', 'AP', 'LATERAL'])
export const AGE_RANGE = { min: 0, max: 110 } as const

type ValueChecked = Pick<CheckImage, 'name' | 'age' | 'sex' | 'view' | 'rawLabels'>

/**
 * Impossible or suspicious values in the metadata of each image. `namesDistinct`: the caller
 * already knows no name repeats (an import keeps the first row of each), so the 112,120-name
 * set of the duplicate check is not built.
 */
export function valueProblems(
  images: readonly ValueChecked[],
  known: ReadonlySet<string>,
  into: ProblemList,
  namesDistinct = false,
): void {
  const checks = new ValueChecks(known, into, namesDistinct)
  for (const im of images) checks.check(im)
}

/** valueProblems one image at a time, in order (a streamed import checks rows as it reads). */
export class ValueChecks {
  readonly #seen: Set<string> | null

  constructor(
    readonly known: ReadonlySet<string>,
    readonly into: ProblemList,
    namesDistinct = false,
  ) {
    this.#seen = namesDistinct ? null : new Set<string>()
  }

  check(im: ValueChecked): void {
    const into = this.into
    if (im.age === null) into.add('missing-age', 'the age is missing', im.name)
    else if (im.age < AGE_RANGE.min || im.age > AGE_RANGE.max) {
      into.add('age-out-of-range', 'age outside 0-110 years', `${im.name} (${im.age})`)
    }
    if (im.sex !== 'M' && im.sex !== 'F') {
      into.add('unknown-sex', 'sex is neither M nor F', `${im.name} (${im.sex || 'blank'})`)
    }
    if (!KNOWN_VIEWS.has(im.view)) {
      into.add(
        'unknown-view',
        'view position is neither PA, AP nor LATERAL',
        `${im.name} (${im.view || 'blank'})`,
      )
    }
    const seen = this.#seen
    if (seen !== null) {
      if (seen.has(im.name))
        into.add('duplicate-image', 'the same image name appears twice', im.name)
      seen.add(im.name)
    }
    let noFinding = false
    for (const raw of im.rawLabels) {
      if (raw === NO_FINDING) noFinding = true
      else if (!this.known.has(raw))
        into.add(
          'unknown-finding',
          "a label that is not one of the dataset's findings",
          `${im.name} (${raw})`,
        )
    }
    if (noFinding && im.rawLabels.length > 1) {
      into.add('no-finding-with-finding', '"No Finding" together with a finding', im.name)
    }
  }
}

/** Patients whose images fall in more than one split: the test set leaks into training. */
export function splitLeakage(images: readonly CheckImage[]): {
  patients: number
  images: number
  examples: string[]
} {
  const splits = new Map<string, Set<string>>()
  for (const im of images) {
    if (im.split === null) continue
    let s = splits.get(im.patient)
    if (s === undefined) splits.set(im.patient, (s = new Set()))
    s.add(im.split)
  }
  const leaking = new Set<string>()
  for (const [patient, s] of splits) if (s.size > 1) leaking.add(patient)
  let count = 0
  const examples: string[] = []
  for (const im of images) {
    if (!leaking.has(im.patient)) continue
    count++
    if (examples.length < EXAMPLES) examples.push(`${im.name} (patient ${im.patient}, ${im.split})`)
  }
  return { patients: leaking.size, images: count, examples }
}
