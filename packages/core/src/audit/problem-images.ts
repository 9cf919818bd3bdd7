import { NO_FINDING } from '../findings.ts'
import { AGE_RANGE, KNOWN_VIEWS } from '../checks/problems.ts'
import type { CheckImage, Problem } from '../checks/types.ts'
import type { ImageFactsRow } from '../checks/image-checks.ts'
import type { DatasetCheckReport } from '../checks/dataset-checks.ts'

/** The pixel-level results, for the kinds that `cxr-audit thumbnails` makes possible. */
export interface PixelFindings {
  readonly facts: readonly ImageFactsRow[]
  readonly duplicates: DatasetCheckReport['duplicates']
}

/**
 * The names of every image concerned by a problem of `cxr-audit check`, so the dataset page can
 * open them as a review sheet [W20]. Kinds the check computes per image are recomputed here with
 * the same rules; for other kinds (found at import) the images are read from the examples.
 */
export function imagesWithProblem(
  kind: string,
  images: readonly CheckImage[],
  findings: readonly string[],
  problems: readonly Problem[] = [],
  pixels?: PixelFindings,
): string[] {
  const known = new Set(findings)
  const pick = (test: (im: CheckImage) => boolean): string[] =>
    images.filter(test).map((im) => im.name)
  switch (kind) {
    case 'missing-age':
      return pick((im) => im.age === null)
    case 'age-out-of-range':
      return pick((im) => im.age !== null && (im.age < AGE_RANGE.min || im.age > AGE_RANGE.max))
    case 'unknown-sex':
      return pick((im) => im.sex !== 'M' && im.sex !== 'F')
    case 'unknown-view':
      return pick((im) => !KNOWN_VIEWS.has(im.view))
    case 'unknown-finding':
      return pick((im) => im.rawLabels.some((r) => r !== NO_FINDING && !known.has(r)))
    case 'no-finding-with-finding':
      return pick((im) => im.rawLabels.includes(NO_FINDING) && im.rawLabels.length > 1)
    case 'missing-on-disk':
      return pick((im) => !im.onDisk)
    case 'duplicate-image': {
      const seen = new Set<string>()
      const dup = new Set<string>()
      for (const im of images) (seen.has(im.name) ? dup : seen).add(im.name)
      const fromImport = examplesOf(kind, problems)
      return [...new Set([...dup, ...fromImport])]
    }
    case 'split-leakage': {
      const splits = new Map<string, Set<string>>()
      for (const im of images) {
        if (im.split === null) continue
        const s = splits.get(im.patient) ?? new Set<string>()
        s.add(im.split)
        splits.set(im.patient, s)
      }
      return pick((im) => (splits.get(im.patient)?.size ?? 0) > 1)
    }
    case 'looks-inverted':
      if (pixels === undefined) return examplesOf(kind, problems)
      return pixels.facts.filter((f) => f.looksInverted).map((f) => f.name)
    case 'unreadable-image':
      if (pixels === undefined) return examplesOf(kind, problems)
      return pixels.facts.filter((f) => f.unreadableReason !== null).map((f) => f.name)
    case 'duplicate-pixels':
      if (pixels === undefined) return examplesOf(kind, problems)
      return [...new Set(pixels.duplicates.exact.flat())]
    case 'near-duplicate':
      if (pixels === undefined) return examplesOf(kind, problems)
      return [...new Set(pixels.duplicates.near.flatMap((p) => [p.a, p.b]))]
    default:
      return examplesOf(kind, problems)
  }
}

/** The leading image name of each example ("00000001_000.png (line 4)" -> the name). */
function examplesOf(kind: string, problems: readonly Problem[]): string[] {
  const out: string[] = []
  for (const p of problems)
    if (p.kind === kind)
      for (const e of p.examples) {
        const name = /^\S+/.exec(e)?.[0]
        if (name !== undefined && !out.includes(name)) out.push(name)
      }
  return out
}
