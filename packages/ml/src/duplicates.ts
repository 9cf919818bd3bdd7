import type { Problem } from '@cxr-audit/core'
import type { EmbeddingMatrix } from '@cxr-audit/store'
import { centreAndNormalise, similarPairs } from './similarity.ts'

/** Default cosine (after centring) above which two films are listed: see docs/SPEC-ml.md [ML8]. */
export const EMBEDDING_DUPLICATE_COSINE = 0.8

/** At most this many pairs are listed in the report (all are counted). */
export const MAX_LISTED_PAIRS = 10_000

export interface EmbeddingPair {
  readonly a: string
  readonly b: string
  /** Cosine similarity of the centred vectors, 4 decimals. */
  readonly cosine: number
  readonly samePatient: boolean
  /** The two images' splits (null: not in any split list). */
  readonly splits: readonly [string | null, string | null]
}

/** `check --json` `duplicates.embedding`: pairs of films whose embeddings are nearly the same. */
export interface EmbeddingDuplicates {
  /** The embedding model used (the one run most recently on this dataset). */
  readonly model: string
  readonly modelSha256: string
  readonly threshold: number
  /** Images with a vector of that model. */
  readonly images: number
  readonly pairs: number
  /** Pairs of one patient's films (follow-ups, repeats). */
  readonly withinPatient: number
  /** Pairs of two patients' films: a film filed under two patients, or look-alikes. */
  readonly acrossPatients: number
  /** Pairs whose films are in different splits: a possible leak from train to test. */
  readonly acrossSplits: number
  /** The pairs, most similar first (at most MAX_LISTED_PAIRS). */
  readonly list: readonly EmbeddingPair[]
  readonly truncated: boolean
}

/**
 * Near-duplicate films by embedding [ML8]: every pair whose centred cosine is at least
 * `threshold`, within and across patients and splits, with the problems `check` lists.
 */
export async function embeddingDuplicates(
  m: EmbeddingMatrix,
  threshold = EMBEDDING_DUPLICATE_COSINE,
  onProgress?: (done: number, total: number) => void,
): Promise<{ duplicates: EmbeddingDuplicates; problems: Problem[] }> {
  const n = m.images.length
  const d = m.model.dimensions
  const unit = centreAndNormalise(m.vectors, n, d)
  const found = await similarPairs(unit, n, d, threshold, undefined, onProgress)
  const all: EmbeddingPair[] = found.map(({ i, j, cosine }) => {
    const a = m.images[i]!
    const b = m.images[j]!
    return {
      a: a.name,
      b: b.name,
      cosine: Math.round(cosine * 1e4) / 1e4,
      samePatient: a.patient === b.patient,
      splits: [a.split, b.split],
    }
  })
  const crossSplit = all.filter((p) => p.splits[0] !== p.splits[1])
  const withinPatient = all.filter((p) => p.samePatient).length
  const duplicates: EmbeddingDuplicates = {
    model: m.model.name,
    modelSha256: m.model.sha256,
    threshold,
    images: n,
    pairs: all.length,
    withinPatient,
    acrossPatients: all.length - withinPatient,
    acrossSplits: crossSplit.length,
    list: all.slice(0, MAX_LISTED_PAIRS),
    truncated: all.length > MAX_LISTED_PAIRS,
  }
  const example = (p: EmbeddingPair): string =>
    `${p.a} ~ ${p.b} (cosine ${p.cosine.toFixed(3)}${p.samePatient ? ', same patient' : ''}${p.splits[0] !== p.splits[1] ? `, ${p.splits[0] ?? 'no split'}/${p.splits[1] ?? 'no split'}` : ''})`
  const problems: Problem[] = []
  if (all.length > 0) {
    problems.push({
      kind: 'embedding-near-duplicate',
      description: `films whose embeddings (${m.model.name}, centred) have a cosine of at least ${threshold}: the same film processed differently, a follow-up that looks the same, or look-alikes worth a glance`,
      count: all.length,
      examples: all.slice(0, 5).map(example),
    })
  }
  if (crossSplit.length > 0) {
    problems.push({
      kind: 'embedding-near-duplicate-across-splits',
      description: `near-duplicates by embedding in different splits: a possible leak between train and test`,
      count: crossSplit.length,
      examples: crossSplit.slice(0, 5).map(example),
    })
  }
  return { duplicates, problems }
}
