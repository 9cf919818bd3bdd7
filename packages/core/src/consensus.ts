import type { Verdict } from './verdict.ts'

/**
 * The consensus of several readers' verdicts on one finding of one image [L7]: the verdict
 * given most often (a plurality: with three readers, two agreeing decide); when two or more
 * verdicts tie for most, `uncertain`. Null without any verdict. A single read is its own
 * consensus; callers that want a quorum filter on the number of reads first.
 */
export function majorityVerdict(verdicts: readonly Verdict[]): Verdict | null {
  if (verdicts.length === 0) return null
  let present = 0
  let absent = 0
  let uncertain = 0
  for (const v of verdicts) {
    if (v === 'present') present++
    else if (v === 'absent') absent++
    else uncertain++
  }
  const top = Math.max(present, absent, uncertain)
  const winners = (present === top ? 1 : 0) + (absent === top ? 1 : 0) + (uncertain === top ? 1 : 0)
  if (winners > 1) return 'uncertain'
  return present === top ? 'present' : absent === top ? 'absent' : 'uncertain'
}

/** A reader specification: one reader's name, or `consensus:A,B,C`. */
export type ReaderSpec =
  | { readonly kind: 'reader'; readonly name: string }
  | {
      readonly kind: 'consensus'
      readonly members: readonly string[]
      /** As the user wrote it (reports print it so); `consensus:` and the members otherwise. */
      readonly text?: string | undefined
    }

export const CONSENSUS_READER_PREFIX = 'consensus:'

/**
 * Parses `--reader` [L7]: `consensus:A,B,C` names the consensus of readers A, B and C (a
 * member ending in `*` stands for every reader whose name starts with what precedes it);
 * anything else is one reader's name. Returns undefined for an empty name or member list.
 */
export function parseReaderSpec(text: string): ReaderSpec | undefined {
  const trimmed = text.trim()
  if (trimmed === '') return undefined
  if (!trimmed.toLowerCase().startsWith(CONSENSUS_READER_PREFIX))
    return { kind: 'reader', name: trimmed }
  const members = trimmed
    .slice(CONSENSUS_READER_PREFIX.length)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
  return members.length === 0
    ? undefined
    : { kind: 'consensus', members: [...new Set(members)], text: trimmed }
}

/** A reader specification as text: the name, or `consensus:A,B,C` as written. */
export const readerSpecText = (spec: ReaderSpec): string =>
  spec.kind === 'reader'
    ? spec.name
    : (spec.text ?? `${CONSENSUS_READER_PREFIX}${spec.members.join(',')}`)

/** What a model is measured against [M8]: the dataset's original labels, or readers. */
export type Against = 'original' | ReaderSpec

/** Parses `--against` [M8]: `original`, a reader's name or `consensus:A,B`; undefined when empty. */
export function parseAgainst(text: string): Against | undefined {
  const t = text.trim()
  return t === 'original' ? 'original' : parseReaderSpec(t)
}

/** Why parseReaderSpec refused a `--reader` (the CLI and the server say so). */
export const BAD_READER_SPEC = '--reader needs a reader name or consensus:A,B,C'

/** Expands `*` members of a consensus against the known reader names, keeping the given order. */
export function expandMembers(members: readonly string[], known: readonly string[]): string[] {
  const out: string[] = []
  for (const m of members) {
    const names = m.endsWith('*') ? known.filter((k) => k.startsWith(m.slice(0, -1))).sort() : [m]
    for (const n of names) if (!out.includes(n)) out.push(n)
  }
  return out
}
