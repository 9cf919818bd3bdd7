import { describe, expect, it } from 'vitest'
import type { CheckImage } from '../checks/types.ts'
import { imagesWithProblem } from './problem-images.ts'

const im = (name: string, over: Partial<CheckImage> = {}): CheckImage => ({
  name,
  patient: name.slice(0, 8),
  age: 50,
  sex: 'M',
  view: 'PA',
  split: 'train',
  onDisk: true,
  positives: [],
  rawLabels: ['No Finding'],
  ...over,
})

describe('the images of a problem', () => {
  const images = [
    im('00000001_000.png', { age: 412 }),
    im('00000002_000.png', { rawLabels: ['No Finding', 'Mass'], view: 'LL' }),
    im('00000003_000.png', { split: 'test' }),
    im('00000003_001.png'),
    im('00000004_000.png', { sex: 'O', age: null }),
  ]
  const findings = ['Mass']

  it('[W20] recomputes each per-image check with the rules of cxr-audit check', () => {
    const of = (kind: string): string[] => imagesWithProblem(kind, images, findings)
    expect(of('age-out-of-range')).toEqual(['00000001_000.png'])
    expect(of('missing-age')).toEqual(['00000004_000.png'])
    expect(of('unknown-sex')).toEqual(['00000004_000.png'])
    expect(of('unknown-view')).toEqual(['00000002_000.png'])
    expect(of('no-finding-with-finding')).toEqual(['00000002_000.png'])
    expect(of('split-leakage')).toEqual(['00000003_000.png', '00000003_001.png'])
  })

  it('[W20] reads the images of import-time problems from their examples', () => {
    const problems = [
      {
        kind: 'duplicate-image',
        count: 1,
        description: '',
        examples: ['00000005_000.png (line 9)'],
      },
    ]
    expect(imagesWithProblem('duplicate-image', images, findings, problems)).toEqual([
      '00000005_000.png',
    ])
    expect(imagesWithProblem('bbox-unknown-image', images, findings, problems)).toEqual([])
  })

  it('[W20] [K5] opens every image of a pixel-level problem, not only the five examples', () => {
    const fact = (
      name: string,
      over: { looksInverted?: boolean; unreadableReason?: string } = {},
    ) => ({
      name,
      contentHash: null,
      phash: null,
      looksInverted: over.looksInverted ?? false,
      unreadableReason: over.unreadableReason ?? null,
    })
    const facts = ['a', 'b', 'c', 'd', 'e', 'f'].map((n) =>
      fact(`${n}.png`, { looksInverted: true }),
    )
    facts.push(fact('bad.png', { unreadableReason: 'truncated' }))
    const pixels = {
      facts,
      duplicates: {
        exact: [
          ['a.png', 'b.png'],
          ['c.png', 'd.png', 'e.png'],
        ],
        near: [{ a: 'e.png', b: 'f.png', distance: 3 }],
      },
    }
    const of = (kind: string): string[] => imagesWithProblem(kind, images, findings, [], pixels)
    expect(of('looks-inverted')).toHaveLength(6)
    expect(of('unreadable-image')).toEqual(['bad.png'])
    expect(of('duplicate-pixels')).toEqual(['a.png', 'b.png', 'c.png', 'd.png', 'e.png'])
    expect(of('near-duplicate')).toEqual(['e.png', 'f.png'])
  })
})
