/** A reader's judgement of one finding on one image. */
export type ReaderVerdict = 'present' | 'absent' | 'uncertain'

/** The prefix of a consensus reader: `consensus:A,B,C`. */
export const CONSENSUS_PREFIX = 'consensus:'

/** The reader names of `consensus:A,B,C`, or null when the text names a single reader. */
export function parseConsensus(text: string): string[] | null {
  if (!text.startsWith(CONSENSUS_PREFIX)) return null
  const names = text
    .slice(CONSENSUS_PREFIX.length)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
  return [...new Set(names)]
}

/**
 * The consensus of several readers' verdicts on one image and finding [M8] (the store uses the
 * labels area's `majorityVerdict`, the same rule; this pure copy stays for callers of core): the verdict given by
 * more of them than any other (present, absent and uncertain each count as a vote); a tie for
 * the most votes is `uncertain`; null when nobody judged. This is the labels area's rule
 * ("majority verdict of several readers, ties uncertain"), kept here until its helper is shared.
 */
export function consensusVerdict(verdicts: readonly ReaderVerdict[]): ReaderVerdict | null {
  if (verdicts.length === 0) return null
  const votes = { present: 0, absent: 0, uncertain: 0 }
  for (const v of verdicts) votes[v]++
  const top = Math.max(votes.present, votes.absent, votes.uncertain)
  const winners = (Object.keys(votes) as ReaderVerdict[]).filter((k) => votes[k] === top)
  return winners.length === 1 ? winners[0]! : 'uncertain'
}
