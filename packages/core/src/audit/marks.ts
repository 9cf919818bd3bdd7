import type { Verdict } from '../verdict.ts'

/** The three verdict keys: `x` red, `d` orange, `c` (or space) confirm. */
export type MarkKey = 'x' | 'd' | 'c'

/** How a verdict is drawn on a tile. */
export type MarkColour = 'red' | 'orange' | 'confirmed' | 'green'

/**
 * The verdict a key gives [W12]. With the original label shown, the keys judge the label: `x`
 * (red) says it is wrong (absent for a labelled positive, present for a labelled negative), `c`
 * confirms it, `d` (orange) doubts it. Blinded (`labelled` null) there is no label to judge and
 * the keys are absolute: `x` absent, `c` present, `d` uncertain.
 */
export function verdictForKey(key: MarkKey, labelled: number | null): Verdict {
  if (key === 'd') return 'uncertain'
  const positive = labelled === null || labelled === 1
  if (key === 'c') return positive ? 'present' : 'absent'
  return positive ? 'absent' : 'present'
}

/** Red where the verdict contradicts the label shown (blinded: absent), orange when uncertain. */
export function markColour(verdict: Verdict, labelled: number | null): MarkColour {
  if (verdict === 'uncertain') return 'orange'
  if (labelled === null) return verdict === 'absent' ? 'red' : 'green'
  const agrees = (verdict === 'present') === (labelled === 1)
  return agrees ? 'confirmed' : 'red'
}

/** What the page-finish rule needs to know about one item of a sheet. */
export interface PageItemState {
  readonly imageId: number
  readonly findingId: number
  /** 1 or 0; null when blinded (the label is not known to the client). */
  readonly labelled: number | null
  /** The reader's current verdict, null when unmarked. */
  readonly verdict: Verdict | null
  /** Tagged "image unusable": needs no verdict. */
  readonly unusable: boolean
}

export interface PageFinish {
  /** Verdicts to store (as implied events) for the unmarked items. */
  readonly implied: { imageId: number; findingId: number; verdict: Verdict }[]
  /** Indexes of the items that still need an explicit verdict (blinded only). */
  readonly missing: number[]
}

/**
 * Finishing a page [W13]: unblinded, every unmarked item (not tagged unusable) confirms its
 * original label, as in the critique's method (present for a labelled positive, absent for a
 * labelled negative); blinded, nothing is implied and every unmarked usable item is missing.
 */
export function finishPage(items: readonly PageItemState[], blinded: boolean): PageFinish {
  const implied: PageFinish['implied'] = []
  const missing: number[] = []
  items.forEach((it, i) => {
    if (it.verdict !== null || it.unusable) return
    if (blinded || it.labelled === null) missing.push(i)
    else
      implied.push({
        imageId: it.imageId,
        findingId: it.findingId,
        verdict: it.labelled === 1 ? 'present' : 'absent',
      })
  })
  return { implied, missing }
}

/** A page is finished when every item has a verdict or is tagged unusable [W13]. */
export function isPageFinished(items: readonly PageItemState[]): boolean {
  return items.every((it) => it.verdict !== null || it.unusable)
}
