import { describe, expect, it } from 'vitest'
import { hammingHex, imageProblems, nearDuplicatePairs } from './image-checks.ts'

const row = (
  name: string,
  phash: string | null,
  over: Partial<{ contentHash: string; looksInverted: boolean; unreadableReason: string }> = {},
) => ({
  name,
  phash,
  contentHash: over.contentHash ?? `sha-${name}`,
  looksInverted: over.looksInverted ?? false,
  unreadableReason: over.unreadableReason ?? null,
})

/** A brute-force reference: every pair compared. */
function allPairs(hashes: { name: string; phash: string }[], max: number) {
  const out: { a: string; b: string; distance: number }[] = []
  for (let i = 0; i < hashes.length; i++)
    for (let j = i + 1; j < hashes.length; j++) {
      const d = hammingHex(hashes[i]!.phash, hashes[j]!.phash)
      if (d <= max) out.push({ a: hashes[i]!.name, b: hashes[j]!.name, distance: d })
    }
  return out.sort(
    (p, q) => p.distance - q.distance || p.a.localeCompare(q.a) || p.b.localeCompare(q.b),
  )
}

describe('image checks', () => {
  it('[K5] counts differing bits of 64-bit hex hashes', () => {
    expect(hammingHex('0000000000000000', '0000000000000000')).toBe(0)
    expect(hammingHex('ffffffffffffffff', '0000000000000000')).toBe(64)
    expect(hammingHex('8000000000000001', '0000000000000000')).toBe(2)
  })

  it('[K5] finds the same near-duplicate pairs as comparing every pair', () => {
    // a seeded LCG so the test is the same every run
    let s = 12345
    const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0)
    const base = Array.from(
      { length: 40 },
      () => next().toString(16).padStart(8, '0') + next().toString(16).padStart(8, '0'),
    )
    const hashes = base.flatMap((h, i) => {
      // each base hash gets a variant with i % 9 flipped bits
      let v = BigInt(`0x${h}`)
      for (let k = 0; k < i % 9; k++) v ^= 1n << BigInt((k * 7 + i) % 64)
      return [
        { name: `b${i}`, phash: h },
        { name: `v${i}`, phash: v.toString(16).padStart(16, '0') },
      ]
    })
    for (const max of [0, 3, 6, 10])
      expect(nearDuplicatePairs(hashes, max)).toEqual(allPairs(hashes, max))
  })

  it('[K5] reports exact duplicates once, near-duplicates, inverted and unreadable images', () => {
    const r = imageProblems([
      row('a', '00000000000000ff', { contentHash: 'same' }),
      row('b', '00000000000000ff', { contentHash: 'same' }),
      row('c', '00000000000000f0'),
      row('d', 'ffffffffffff0000', { looksInverted: true }),
      row('e', null, { unreadableReason: 'truncated PNG' }),
    ])
    expect(r.exactDuplicates).toEqual([['a', 'b']])
    expect(r.nearDuplicates).toEqual([
      { a: 'a', b: 'c', distance: 4 },
      { a: 'b', b: 'c', distance: 4 },
    ])
    expect(r.problems.map((p) => [p.kind, p.count, p.examples])).toEqual([
      ['duplicate-pixels', 2, ['a = b']],
      ['near-duplicate', 2, ['a ~ c (4 bits)', 'b ~ c (4 bits)']],
      ['looks-inverted', 1, ['d']],
      ['unreadable-image', 1, ['e: truncated PNG']],
    ])
  })
})
