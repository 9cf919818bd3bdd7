import { parseQualifiedFinding, type QualifiedFinding, type SamePair } from '@cxr-audit/core'
import { declareSameFindings, sameFindingPairs } from '@cxr-audit/store'
import type { Context } from '../context.ts'
import { UsageError } from '../errors.ts'
import { table } from '../output.ts'

export interface FindingsSameResult {
  /** The pair declared by this call, or null when listing. */
  readonly declared: { a: QualifiedFinding; b: QualifiedFinding; new: boolean } | null
  /** The built-in table of the public sets, then every declared pair. */
  readonly same: SamePair[]
}

const parse = (text: string): QualifiedFinding => {
  const f = parseQualifiedFinding(text)
  if (f === undefined)
    throw new UsageError(`'${text}': expected 'Dataset:Finding', e.g. 'CheXpert:Pleural Effusion'`)
  return f
}

/** `cxr-audit findings same [A B]` [DS5]. */
export async function findingsSameCommand(
  ctx: Context,
  a: string | undefined,
  b: string | undefined,
): Promise<FindingsSameResult> {
  if ((a === undefined) !== (b === undefined))
    throw new UsageError('give two findings (findings same A B), or none to list the pairs')
  const store = await ctx.store()
  let declared: FindingsSameResult['declared'] = null
  if (a !== undefined && b !== undefined) {
    const x = parse(a)
    const y = parse(b)
    if (x.dataset === y.dataset)
      throw new UsageError('both findings are of the same dataset: derive a finding instead')
    declared = { a: x, b: y, new: await declareSameFindings(store.db, x, y) }
  }
  const same = await sameFindingPairs(store.db)
  const name = (f: QualifiedFinding): string => `${f.dataset}:${f.finding}`
  ctx.say(
    declared !== null
      ? `${name(declared.a)} = ${name(declared.b)}${declared.new ? '' : ' (already declared)'}`
      : table(
          ['finding', 'same as', 'source'],
          same.map((p) => [name(p.a), name(p.b), p.source]),
        ),
  )
  return { declared, same }
}
