import { createRng, sampleWithoutReplacement, type Seed } from '../stats/index.ts'
import { ModelSpecError } from './errors.ts'

/** The four cells of the confusion table [M30]. */
export const GALLERY_CELLS = ['tp', 'fp', 'tn', 'fn'] as const
export type GalleryCell = (typeof GALLERY_CELLS)[number]

/** Images per contact sheet in the workbench: a gallery is one sheet unless asked otherwise. */
export const GALLERY_SIZE = 18

export const CELL_NAMES: Readonly<Record<GalleryCell, string>> = {
  tp: 'true positives',
  fp: 'false positives',
  tn: 'true negatives',
  fn: 'false negatives',
}

export function parseGalleryCell(text: string): GalleryCell {
  const t = text.trim().toLowerCase()
  if ((GALLERY_CELLS as readonly string[]).includes(t)) return t as GalleryCell
  throw new ModelSpecError(`unknown cell "${text}": use tp, fp, tn or fn`)
}

/**
 * The cell of an image [M30]: called positive when score >= threshold; tp/fn for a labelled
 * positive (1), fp/tn for a labelled negative (0); null for any other label (uncertain).
 */
export function cellOf(label: number, score: number, threshold: number): GalleryCell | null {
  const called = score >= threshold
  if (label === 1) return called ? 'tp' : 'fn'
  if (label === 0) return called ? 'fp' : 'tn'
  return null
}

/**
 * The text the generator of one gallery is seeded with [M31]: the seed, the model, the finding
 * and the cell, so each cell's sheet does not depend on which other cells were drawn.
 */
export function gallerySeedText(
  seed: number,
  model: string,
  finding: string,
  cell: GalleryCell,
): string {
  return `${seed}:${model}:${finding}:${cell}`
}

/**
 * The gallery's images [M31]: the candidates sorted by `key` (so the database's row order does
 * not matter), then the first `size` draws of the seeded Fisher-Yates shuffle
 * (sampleWithoutReplacement with createRng(seed)); all of them, in drawn order, when there
 * are fewer than `size`.
 */
export function drawGallery<T>(
  candidates: readonly T[],
  key: (item: T) => string,
  size: number,
  seed: Seed,
): T[] {
  if (!Number.isInteger(size) || size < 1) {
    throw new ModelSpecError(`the gallery size must be a positive whole number, got ${size}`)
  }
  const sorted = [...candidates].sort((a, b) => {
    const ka = key(a)
    const kb = key(b)
    return ka < kb ? -1 : ka > kb ? 1 : 0
  })
  return sampleWithoutReplacement(sorted, Math.min(size, sorted.length), createRng(seed))
}
