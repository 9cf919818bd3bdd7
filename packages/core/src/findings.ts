/** The 14 findings of NIH ChestX-ray14, in the order of Wang et al. 2017. */
export const CXR14_FINDINGS = [
  'Atelectasis',
  'Cardiomegaly',
  'Effusion',
  'Infiltration',
  'Mass',
  'Nodule',
  'Pneumonia',
  'Pneumothorax',
  'Consolidation',
  'Edema',
  'Emphysema',
  'Fibrosis',
  'Pleural_Thickening',
  'Hernia',
] as const

export type Cxr14Finding = (typeof CXR14_FINDINGS)[number]

export const NO_FINDING = 'No Finding'

/** A finding defined as the union of others: positive when any component is positive. */
export interface DerivedFinding {
  readonly name: string
  readonly from: readonly string[]
}

/** The derived findings every CXR14 import starts with; `derive` can add or redefine. */
export const DEFAULT_DERIVED: readonly DerivedFinding[] = [
  { name: 'Opacity', from: ['Atelectasis', 'Pneumonia', 'Consolidation', 'Infiltration'] },
  { name: 'Nodule/Mass', from: ['Nodule', 'Mass'] },
]

/**
 * The matching key of a finding name: case, spaces, underscores, hyphens and `/` do not count,
 * so `Pleural Thickening` = `Pleural_Thickening` and `Nodule/mass` = `Nodule/Mass`.
 */
export function findingKey(name: string): string {
  return name.toLowerCase().replace(/[\s_/-]+/g, '')
}

/** Other names for a finding that sources use (keys as made by findingKey). */
const ALIASES: ReadonlyMap<string, string> = new Map([
  ['infiltrate', 'Infiltration'],
  ['infiltrates', 'Infiltration'],
  ['effusions', 'Effusion'],
  ['pleuraleffusion', 'Effusion'],
  ['noduleormass', 'Nodule/Mass'],
  ['airspaceopacity', 'Opacity'],
  ['lungopacity', 'Opacity'],
  ['nofindings', NO_FINDING],
])

/** Resolves names to the canonical findings of a dataset, by key and then by alias. */
export class FindingNames {
  readonly #byKey = new Map<string, string>()

  constructor(names: Iterable<string>) {
    for (const name of names) this.#byKey.set(findingKey(name), name)
  }

  /** The canonical name, or undefined when the name matches no finding. */
  resolve(name: string): string | undefined {
    const key = findingKey(name)
    const direct = this.#byKey.get(key)
    if (direct !== undefined) return direct
    const alias = ALIASES.get(key)
    return alias === undefined ? undefined : this.#byKey.get(findingKey(alias))
  }
}

/**
 * Resolves finding names as a user writes them (any spelling FindingNames accepts, among `all`)
 * to findings, in the order asked, each once: the one resolver of every command that takes
 * `--finding`. A name that matches nothing in `among` (default `all`) is refused with
 * `unknown(raw, name)`, where `name` is the finding it matched in `all` (the model audit says
 * "no scores for ..."), unless `missing(raw)` lets it through into `missing`.
 */
export function resolveFindingNames<F extends { readonly name: string }>(
  all: readonly F[],
  names: readonly string[],
  o: {
    readonly among?: readonly F[]
    readonly unknown: (raw: string, name: string | undefined) => Error
    readonly missing?: (raw: string) => boolean
  },
): { found: F[]; missing: string[] } {
  const resolver = new FindingNames(all.map((f) => f.name))
  const among = o.among ?? all
  const found: F[] = []
  const missing: string[] = []
  for (const raw of names) {
    const name = resolver.resolve(raw)
    const f = among.find((x) => x.name === name)
    if (f === undefined) {
      if (o.missing?.(raw) === true) missing.push(raw)
      else throw o.unknown(raw, name)
    } else if (!found.includes(f)) found.push(f)
  }
  return { found, missing }
}

/** Positive when any component is positive: the union. Labels are 1, 0 or -1 (uncertain). */
export function derivedLabel(values: readonly number[]): number {
  let uncertain = false
  for (const v of values) {
    if (v === 1) return 1
    if (v === -1) uncertain = true
  }
  return uncertain ? -1 : 0
}
