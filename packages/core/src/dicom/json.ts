/**
 * The DICOM JSON Model (PS3.18 F.2): what QIDO-RS and WADO-RS metadata answer. Keys are tags as
 * eight upper-case hex digits (`00100020`).
 */
export interface DicomJsonAttribute {
  readonly vr: string
  readonly Value?: readonly unknown[]
  readonly BulkDataURI?: string
  readonly InlineBinary?: string
}

export type DicomJsonDataset = Readonly<Record<string, DicomJsonAttribute>>

/**
 * Read access to one data set's attributes, whatever it was parsed from (DICOM JSON here; a
 * Part 10 file read by dicom-parser for a folder import), so attribute extraction is written
 * once. Tags are eight hex digits, any case.
 */
export interface DicomAttributes {
  /** The first value as text (PN as its alphabetic group, numbers as written), trimmed. */
  text(tag: string): string | undefined
  /** Every value as text. */
  texts(tag: string): string[]
  /** The items of a sequence. */
  items(tag: string): DicomAttributes[]
  /** Whether the attribute is present at all (even empty). */
  has(tag: string): boolean
}

const key = (tag: string): string => tag.toUpperCase()

function asText(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined
  if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim()
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : undefined
  if (typeof v === 'object' && 'Alphabetic' in v)
    return asText((v as { Alphabetic: unknown }).Alphabetic)
  return undefined
}

/** {@link DicomAttributes} over a DICOM JSON data set. */
export function jsonAttributes(ds: DicomJsonDataset): DicomAttributes {
  const values = (tag: string): readonly unknown[] => ds[key(tag)]?.Value ?? []
  return {
    text: (tag) => {
      for (const v of values(tag)) {
        const t = asText(v)
        if (t !== undefined) return t
      }
      return undefined
    },
    texts: (tag) => values(tag).flatMap((v) => asText(v) ?? []),
    items: (tag) =>
      values(tag).flatMap((v) =>
        typeof v === 'object' && v !== null ? [jsonAttributes(v as DicomJsonDataset)] : [],
      ),
    has: (tag) => ds[key(tag)] !== undefined,
  }
}
