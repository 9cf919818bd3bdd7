import { parseAgainst, type Against } from '../consensus.ts'
import { badSubgroupBy, parseSubgroupBy, type SubgroupBy } from '../subgroups.ts'
import { ModelSpecError } from './errors.ts'
import { parseThresholdSpec, type ThresholdSpec } from './threshold.ts'

/** The model audit's options as a user writes them (CLI flags, query parameters). */
export interface ModelOptionsText {
  readonly against?: string | undefined
  readonly threshold?: string | undefined
  readonly by?: readonly string[] | undefined
}

/** The same options typed, as the store takes them. */
export interface ModelOptions {
  readonly against?: Against | undefined
  readonly threshold?: ThresholdSpec | undefined
  readonly by?: readonly SubgroupBy[] | undefined
}

/**
 * Parses the model audit's options at the edge (the CLI, the server) [M8], [M14], [M20]: the
 * threshold rule, then the subgroup splits, then the truth. A bad one is a ModelSpecError
 * naming it, which the CLI and the server report as bad input.
 */
export function parseModelOptions(o: ModelOptionsText): ModelOptions {
  const threshold = o.threshold === undefined ? undefined : parseThresholdSpec(o.threshold)
  const by = o.by?.map((text) => {
    const parsed = parseSubgroupBy(text)
    if (parsed === undefined) throw new ModelSpecError(badSubgroupBy(text))
    return parsed
  })
  let against: Against | undefined
  if (o.against !== undefined) {
    against = parseAgainst(o.against)
    if (against === undefined)
      throw new ModelSpecError('consensus: needs reader names, e.g. consensus:A,B')
  }
  return { against, threshold, by }
}
