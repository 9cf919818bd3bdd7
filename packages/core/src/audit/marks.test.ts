import { describe, expect, it } from 'vitest'
import { finishPage, isPageFinished, markColour, verdictForKey } from './marks.ts'

describe('verdict keys', () => {
  it('[W12] with the label shown, x says the label is wrong and c confirms it', () => {
    expect(verdictForKey('x', 1)).toBe('absent')
    expect(verdictForKey('c', 1)).toBe('present')
    // a labelled negative marked red means the finding is there after all
    expect(verdictForKey('x', 0)).toBe('present')
    expect(verdictForKey('c', 0)).toBe('absent')
    expect(verdictForKey('d', 0)).toBe('uncertain')
  })

  it('[W12] blinded, the keys are absolute: x absent, c present, d uncertain', () => {
    expect(verdictForKey('x', null)).toBe('absent')
    expect(verdictForKey('c', null)).toBe('present')
    expect(verdictForKey('d', null)).toBe('uncertain')
  })

  it('[W12] red where the verdict contradicts the label shown', () => {
    expect(markColour('absent', 1)).toBe('red')
    expect(markColour('present', 0)).toBe('red')
    expect(markColour('present', 1)).toBe('confirmed')
    expect(markColour('uncertain', 1)).toBe('orange')
    expect(markColour('absent', null)).toBe('red')
    expect(markColour('present', null)).toBe('green')
  })
})

describe('finishing a page', () => {
  const item = (
    labelled: number | null,
    verdict: 'present' | 'absent' | null,
    unusable = false,
  ) => ({
    imageId: Math.round(Math.random() * 1e6),
    findingId: 3,
    labelled,
    verdict,
    unusable,
  })

  it('[W13] unmarked items confirm their original label; marked and unusable ones are left', () => {
    const items = [item(1, null), item(0, null), item(1, 'absent'), item(1, null, true)]
    const f = finishPage(items, false)
    expect(f.missing).toEqual([])
    expect(f.implied).toEqual([
      { imageId: items[0]!.imageId, findingId: 3, verdict: 'present' },
      { imageId: items[1]!.imageId, findingId: 3, verdict: 'absent' },
    ])
  })

  it('[W13] blinded: nothing is implied, every unmarked usable item is missing', () => {
    const items = [
      item(null, null),
      item(null, 'present'),
      item(null, null, true),
      item(null, null),
    ]
    expect(finishPage(items, true)).toEqual({ implied: [], missing: [0, 3] })
  })

  it('[W13] a page is finished when every item has a verdict or is unusable', () => {
    expect(isPageFinished([item(1, 'present'), item(1, null, true)])).toBe(true)
    expect(isPageFinished([item(1, 'present'), item(1, null)])).toBe(false)
  })
})
