import { NO_FINDING, type DerivedFinding } from '../findings.ts'
import type { Verdict } from '../verdict.ts'

/** One CSV field, quoted when it holds a comma, a quote, a line break or edge spaces (RFC 4180). */
export function csvField(value: string | number | null): string {
  if (value === null) return ''
  const s = String(value)
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export const csvLine = (fields: readonly (string | number | null)[]): string =>
  fields.map(csvField).join(',')

/**
 * The header of ChestX-ray14's Data_Entry_2017_v2020.csv, written as NIH writes it (the
 * bracketed pairs unquoted, so they read back as two columns each).
 */
export const CXR14_HEADER =
  'Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,Patient Gender,View Position,OriginalImage[Width,Height],OriginalImagePixelSpacing[x,y]'

/** The header of the long export [L16]; `Label` is the original label, ignored on re-import. */
export const LONG_HEADER = ['Image Index', 'Finding', 'Reader', 'Verdict', 'Label', 'Tags', 'Time']

/** A verdict as a label value: present 1, absent 0, uncertain -1. */
export const verdictValue = (v: Verdict): number => (v === 'present' ? 1 : v === 'absent' ? 0 : -1)

export interface Relabelled {
  /** The labelled findings now positive, in the dataset's order. */
  readonly positives: string[]
  /** Whether any label changed. */
  readonly changed: boolean
  readonly added: string[]
  readonly removed: string[]
}

/**
 * The labels of one image after a reader's verdicts [L15]. A verdict on a labelled finding sets
 * it (present: positive, absent: negative); uncertain keeps the original label. A derived
 * finding judged absent makes every component negative (the union is negative only then);
 * judged present it changes nothing (which component is present cannot be told), nor does
 * uncertain. Verdicts on components are applied after those on derived findings.
 */
export function relabel(
  findings: readonly string[],
  original: ReadonlySet<string>,
  verdicts: ReadonlyMap<string, Verdict>,
  derived: readonly DerivedFinding[],
): Relabelled {
  const now = new Set(original)
  for (const d of derived) {
    if (verdicts.get(d.name) === 'absent') for (const part of d.from) now.delete(part)
  }
  for (const f of findings) {
    const v = verdicts.get(f)
    if (v === 'present') now.add(f)
    else if (v === 'absent') now.delete(f)
  }
  const positives = findings.filter((f) => now.has(f))
  const added = positives.filter((f) => !original.has(f))
  const removed = findings.filter((f) => original.has(f) && !now.has(f))
  return { positives, changed: added.length + removed.length > 0, added, removed }
}

/** `Finding Labels` as CXR14 writes it: `|`-joined, or `No Finding`. */
export const findingLabelsText = (positives: readonly string[]): string =>
  positives.length === 0 ? NO_FINDING : positives.join('|')
