import type { Problem } from './types.ts'

/** Pixel facts of one image, as stored by `cxr-audit thumbnails`. */
export interface ImageFactsRow {
  readonly name: string
  readonly contentHash: string | null
  /** 64-bit perceptual hash, 16 hex digits. */
  readonly phash: string | null
  readonly looksInverted: boolean
  readonly unreadableReason: string | null
}

/** Two perceptual hashes this close (bits of 64) are near-duplicates worth a look. */
export const NEAR_DUPLICATE_BITS = 6

export interface DuplicateGroup {
  readonly images: string[]
  /** Largest Hamming distance between the group's first image and the others (0 for exact). */
  readonly distance: number
}

/** Pairs of 32-bit halves of a 64-bit hex hash. */
function halves(hex: string): [number, number] {
  return [parseInt(hex.slice(0, 8), 16) >>> 0, parseInt(hex.slice(8, 16), 16) >>> 0]
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24
}

export function hammingHex(a: string, b: string): number {
  const [a1, a2] = halves(a)
  const [b1, b2] = halves(b)
  return popcount((a1 ^ b1) >>> 0) + popcount((a2 ^ b2) >>> 0)
}

/**
 * Near-duplicate pairs by perceptual hash within `maxBits`, without comparing all pairs: by
 * the pigeonhole principle two hashes within d bits agree exactly on at least one of d + 1
 * disjoint blocks, so only images sharing a block are compared (Manku et al. 2007).
 */
export function nearDuplicatePairs(
  hashes: readonly { name: string; phash: string }[],
  maxBits = NEAR_DUPLICATE_BITS,
): { a: string; b: string; distance: number }[] {
  const blocks = maxBits + 1
  const edges: number[] = []
  for (let k = 0; k <= blocks; k++) edges.push(Math.round((k * 64) / blocks))
  const bits = hashes.map((h) => BigInt(`0x${h.phash}`))
  const seen = new Set<string>()
  const out: { a: string; b: string; distance: number }[] = []
  for (let k = 0; k < blocks; k++) {
    const lo = BigInt(edges[k]!)
    const mask = (1n << BigInt(edges[k + 1]! - edges[k]!)) - 1n
    const buckets = new Map<bigint, number[]>()
    bits.forEach((b, i) => {
      const key = (b >> lo) & mask
      const list = buckets.get(key)
      if (list === undefined) buckets.set(key, [i])
      else list.push(i)
    })
    for (const list of buckets.values()) {
      for (let x = 0; x < list.length; x++) {
        for (let y = x + 1; y < list.length; y++) {
          const i = list[x]!
          const j = list[y]!
          const key = `${i}:${j}`
          if (seen.has(key)) continue
          seen.add(key)
          const d = hammingHex(hashes[i]!.phash, hashes[j]!.phash)
          if (d <= maxBits) out.push({ a: hashes[i]!.name, b: hashes[j]!.name, distance: d })
        }
      }
    }
  }
  return out.sort(
    (p, q) => p.distance - q.distance || p.a.localeCompare(q.a) || p.b.localeCompare(q.b),
  )
}

/** Image-level problems: exact duplicates, near-duplicates, inverted-looking and unreadable images. */
export function imageProblems(
  rows: readonly ImageFactsRow[],
  maxBits = NEAR_DUPLICATE_BITS,
): {
  problems: Problem[]
  exactDuplicates: string[][]
  nearDuplicates: { a: string; b: string; distance: number }[]
} {
  const byHash = new Map<string, string[]>()
  for (const r of rows) {
    if (r.contentHash === null) continue
    const list = byHash.get(r.contentHash)
    if (list === undefined) byHash.set(r.contentHash, [r.name])
    else list.push(r.name)
  }
  const exactDuplicates = [...byHash.values()].filter((g) => g.length > 1)
  const group = new Map<string, number>()
  exactDuplicates.forEach((g, i) => g.forEach((name) => group.set(name, i)))
  const hashed = rows.flatMap((r) => (r.phash === null ? [] : [{ name: r.name, phash: r.phash }]))
  // pairs within one exact-duplicate group are already reported as such
  const near = nearDuplicatePairs(hashed, maxBits).filter(
    (p) => group.get(p.a) === undefined || group.get(p.a) !== group.get(p.b),
  )
  const problems: Problem[] = []
  if (exactDuplicates.length > 0) {
    problems.push({
      kind: 'duplicate-pixels',
      description: 'files with identical bytes under different names',
      count: exactDuplicates.reduce((n, g) => n + g.length, 0),
      examples: exactDuplicates.slice(0, 5).map((g) => g.join(' = ')),
    })
  }
  if (near.length > 0) {
    problems.push({
      kind: 'near-duplicate',
      description: `images whose perceptual hashes differ by at most ${maxBits} of 64 bits: the same film re-saved, or a follow-up that looks identical`,
      count: near.length,
      examples: near.slice(0, 5).map((p) => `${p.a} ~ ${p.b} (${p.distance} bits)`),
    })
  }
  const inverted = rows.filter((r) => r.looksInverted)
  if (inverted.length > 0) {
    problems.push({
      kind: 'looks-inverted',
      description: 'photometry looks inverted (bright lungs, dark bone): review as "inverted?"',
      count: inverted.length,
      examples: inverted.slice(0, 5).map((r) => r.name),
    })
  }
  const unreadable = rows.filter((r) => r.unreadableReason !== null)
  if (unreadable.length > 0) {
    problems.push({
      kind: 'unreadable-image',
      description: 'the file cannot be decoded',
      count: unreadable.length,
      examples: unreadable.slice(0, 5).map((r) => `${r.name}: ${r.unreadableReason}`),
    })
  }
  return { problems, exactDuplicates, nearDuplicates: near }
}
