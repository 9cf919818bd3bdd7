/** A reader's judgement of one finding on one image (see docs/SPEC-labels.md [L2]). */
export type LabelVerdict = 'present' | 'absent' | 'uncertain'

export const LABEL_VERDICTS: readonly LabelVerdict[] = ['present', 'absent', 'uncertain']

const WORDS: ReadonlyMap<string, LabelVerdict> = new Map([
  ['yes', 'present'],
  ['no', 'absent'],
  ['hedge', 'uncertain'],
  ['true', 'present'],
  ['false', 'absent'],
  ['present', 'present'],
  ['absent', 'absent'],
  ['uncertain', 'uncertain'],
])

const NUMBERS: ReadonlyMap<number, LabelVerdict> = new Map([
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
export function parseVerdict(raw: string): LabelVerdict | null | undefined {
  const text = raw.trim()
  if (text === '') return null
  const word = WORDS.get(text.toLowerCase())
  if (word !== undefined) return word
  if (/^[+-]?\d+(\.0*)?$/.test(text)) return NUMBERS.get(Number(text))
  return undefined
}

/** The values accepted by parseVerdict, for error messages. */
export const VERDICT_SPELLINGS = 'YES/NO/HEDGE, 1/0/-1, true/false or present/absent/uncertain'
