import type { Verdict } from '../verdict.ts'

const WORDS: ReadonlyMap<string, Verdict> = new Map([
  ['yes', 'present'],
  ['no', 'absent'],
  ['hedge', 'uncertain'],
  ['true', 'present'],
  ['false', 'absent'],
  ['present', 'present'],
  ['absent', 'absent'],
  ['uncertain', 'uncertain'],
])

const NUMBERS: ReadonlyMap<number, Verdict> = new Map([
  [1, 'present'],
  [0, 'absent'],
  [-1, 'uncertain'],
])

/**
 * The verdict a cell of an expert-label file stands for [L2]: YES/NO/HEDGE, 1/0/-1 (also
 * written 1.0/0.0/-1.0, as CheXpert does), true/false and present/absent/uncertain, in any
 * case and with surrounding spaces. An empty cell is `null` (no verdict: the image was not read
 * for that finding); anything else is `undefined` (not a verdict: bad input).
 */
export function parseVerdict(raw: string): Verdict | null | undefined {
  const text = raw.trim()
  if (text === '') return null
  const word = WORDS.get(text.toLowerCase())
  if (word !== undefined) return word
  if (/^[+-]?\d+(\.0*)?$/.test(text)) return NUMBERS.get(Number(text))
  return undefined
}

/** The values accepted by parseVerdict, for error messages. */
export const VERDICT_SPELLINGS = 'YES/NO/HEDGE, 1/0/-1, true/false or present/absent/uncertain'
