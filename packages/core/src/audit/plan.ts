import { badSeed, parseSeed } from '../random.ts'
import { AuditInputError } from './errors.ts'
import type { NegativesFrom } from '../models/report.ts'

/** The tags every new audit offers unless it names its own [W10]. */
export const DEFAULT_TAGS: readonly string[] = [
  'chest drain',
  'severe lung disease',
  'rotated',
  'inverted',
  'lateral',
  'poor quality',
  'support device',
]

/** Always available besides the audit's tags: the film cannot be judged (key `u`) [W11]. */
export const UNUSABLE_TAG = 'image unusable'

/** Keys 1-9 toggle the first nine tags: more would have no key. */
export const MAX_TAGS = 9

/** Filters on image metadata; every given one must hold. */
export interface AuditFilters {
  readonly view?: string
  readonly sex?: string
  readonly split?: string
  readonly ageMin?: number
  readonly ageMax?: number
}

/** Everything that decides which images an audit draws, stored with the audit. */
export interface AuditPlan {
  readonly findings: readonly string[]
  /** Labelled positives drawn per finding. */
  readonly positives: number
  /** Labelled negatives drawn per finding. */
  readonly negatives: number
  /** A non-negative safe integer [W2]. */
  readonly seed: number
  readonly filters: AuditFilters
  /** One image per patient within each finding (the default) [W4]. */
  readonly onePerPatient: boolean
  readonly blinded: boolean
  /** Negatives from every labelled negative (default) or `No Finding` films only [W33]. */
  readonly negativesFrom?: NegativesFrom
}

/** The largest count a plan accepts per finding and stratum (a sanity bound, not a quota). */
export const MAX_PER_STRATUM = 100_000

/** An audit's seed [W2]: parseSeed's sampling seed, or an AuditInputError. */
export function parseAuditSeed(text: string | number): number {
  const seed = parseSeed(text)
  if (typeof seed !== 'number') throw new AuditInputError(badSeed(text))
  return seed
}

/** A count of images per stratum: a whole number from 0 to MAX_PER_STRATUM. */
export function parseCount(what: string, text: string | number): number {
  const s = typeof text === 'number' ? String(text) : text.trim()
  const n = Number(s)
  if (!/^\d+$/.test(s) || !Number.isSafeInteger(n) || n > MAX_PER_STRATUM) {
    throw new AuditInputError(
      `${what} must be a whole number from 0 to ${MAX_PER_STRATUM}, got "${String(text)}"`,
    )
  }
  return n
}

const FILTER_KEYS = ['view', 'sex', 'split', 'age'] as const

/**
 * Reads `key=value` filters: `view=PA`, `sex=F`, `split=test`, `age=18-65` (inclusive; `age=65-`
 * and `age=-17` leave one end open) [W5].
 */
export function parseFilters(specs: readonly string[]): AuditFilters {
  const out: {
    view?: string
    sex?: string
    split?: string
    ageMin?: number
    ageMax?: number
  } = {}
  for (const spec of specs) {
    const m = /^\s*([a-z]+)\s*=\s*(.*?)\s*$/i.exec(spec)
    const key = m?.[1]?.toLowerCase()
    const value = m?.[2] ?? ''
    if (m === null || !FILTER_KEYS.includes(key as (typeof FILTER_KEYS)[number])) {
      throw new AuditInputError(
        `unknown filter "${spec}": use ${FILTER_KEYS.map((k) => `${k}=...`).join(', ')}`,
      )
    }
    if (value === '') throw new AuditInputError(`the filter "${spec}" has no value`)
    if (key === 'view') out.view = value.toUpperCase()
    else if (key === 'sex') out.sex = value.toUpperCase()
    else if (key === 'split') out.split = value.toLowerCase()
    else {
      const a = /^(\d{1,3})?\s*-\s*(\d{1,3})?$/.exec(value)
      const single = /^\d{1,3}$/.test(value)
      if (single) {
        out.ageMin = Number(value)
        out.ageMax = Number(value)
      } else if (a !== null && (a[1] !== undefined || a[2] !== undefined)) {
        if (a[1] !== undefined) out.ageMin = Number(a[1])
        if (a[2] !== undefined) out.ageMax = Number(a[2])
      } else {
        throw new AuditInputError(`the age filter "${spec}" must look like age=18-65`)
      }
      if (out.ageMin !== undefined && out.ageMax !== undefined && out.ageMin > out.ageMax) {
        throw new AuditInputError(`the age filter "${spec}" is empty (min above max)`)
      }
    }
  }
  return out
}

/** Image metadata the filters look at. */
export interface FilterableImage {
  readonly view: string
  readonly sex: string
  readonly split: string | null
  readonly age: number | null
}

export function matchesFilters(image: FilterableImage, f: AuditFilters): boolean {
  if (f.view !== undefined && image.view.toUpperCase() !== f.view) return false
  if (f.sex !== undefined && image.sex.toUpperCase() !== f.sex) return false
  if (f.split !== undefined && (image.split ?? '').toLowerCase() !== f.split) return false
  if (f.ageMin !== undefined && (image.age === null || image.age < f.ageMin)) return false
  if (f.ageMax !== undefined && (image.age === null || image.age > f.ageMax)) return false
  return true
}

/** The filters as `key=value` words, for messages and the audit list. */
export function describeFilters(f: AuditFilters): string[] {
  const out: string[] = []
  if (f.view !== undefined) out.push(`view=${f.view}`)
  if (f.sex !== undefined) out.push(`sex=${f.sex}`)
  if (f.split !== undefined) out.push(`split=${f.split}`)
  if (f.ageMin !== undefined || f.ageMax !== undefined)
    out.push(f.ageMin === f.ageMax ? `age=${f.ageMin}` : `age=${f.ageMin ?? ''}-${f.ageMax ?? ''}`)
  return out
}

/**
 * The tag set of an audit: trimmed, non-empty, unique (case-insensitively), at most nine, none
 * equal to the built-in "image unusable" [W10].
 */
export function normaliseTags(tags: readonly string[]): string[] {
  const out: string[] = []
  const seen = new Set<string>()
  for (const raw of tags) {
    const t = raw.trim().replace(/\s+/g, ' ')
    if (t === '') continue
    if (t.length > 40) throw new AuditInputError(`the tag "${t}" is longer than 40 characters`)
    const key = t.toLowerCase()
    if (key === UNUSABLE_TAG) continue
    if (seen.has(key)) continue
    seen.add(key)
    out.push(t)
  }
  if (out.length > MAX_TAGS)
    throw new AuditInputError(`at most ${MAX_TAGS} tags (keys 1-9), got ${out.length}`)
  return out
}
