import { median } from '../stats/descriptives.ts'

/**
 * A silence longer than this between two of a reader's events (marks, tags, viewer and preset
 * events) is a break, not reading [W34]. A page whose reading time holds such a gap is not timed.
 */
export const BREAK_SECONDS = 300

/** One finished page of a contact sheet: when it became finished, and how many films it shows. */
export interface FinishedPage {
  /** Milliseconds since the epoch. */
  readonly at: number
  readonly films: number
}

/** How fast a reader read, from the times pages were finished [W34]. */
export interface ReadingPace {
  /** Pages finished. */
  readonly pages: number
  /** Pages with a reading time: not the first, no break, not finished with the page before. */
  readonly timedPages: number
  readonly timedFilms: number
  /** Sum of the timed pages' reading times. */
  readonly timedSeconds: number
  /** Pages left untimed because a break (a silence over `breakSeconds`) fell in their time. */
  readonly breaks: number
  /** Median over the timed films of their page's seconds per film; null when nothing is timed. */
  readonly medianSecondsPerFilm: number | null
  /** 3600 x timed films / timed seconds; null when nothing is timed. */
  readonly filmsPerHour: number | null
  readonly breakSeconds: number
}

/**
 * The reading pace of one reader in one audit [W34]. A page's reading time runs from the moment
 * the reader finished the page before (any finding of the audit) to the moment this page was
 * finished; each of its films is given that time divided by the films on the page. The first
 * page (no start known), a page whose time holds a silence longer than `breakSeconds` between
 * two consecutive `activity` times (a break), and a page finished at the same instant as the one
 * before (delivered in one batch) are not timed. `activity` is every event time of the reader
 * in the audit, in milliseconds, in any order.
 */
export function readingPace(
  pages: readonly FinishedPage[],
  activity: readonly number[],
  breakSeconds: number = BREAK_SECONDS,
): ReadingPace {
  const done = [...pages].sort((a, b) => a.at - b.at)
  const times = [...activity, ...done.map((p) => p.at)].sort((a, b) => a - b)
  const perFilm: number[] = []
  let timedPages = 0
  let timedSeconds = 0
  let breaks = 0
  for (let i = 1; i < done.length; i++) {
    const from = done[i - 1]!.at
    const to = done[i]!.at
    const page = done[i]!
    if (to === from || page.films === 0) continue
    if (longestSilence(times, from, to) > breakSeconds * 1000) {
      breaks++
      continue
    }
    const seconds = (to - from) / 1000
    timedPages++
    timedSeconds += seconds
    for (let f = 0; f < page.films; f++) perFilm.push(seconds / page.films)
  }
  return {
    pages: done.length,
    timedPages,
    timedFilms: perFilm.length,
    timedSeconds,
    breaks,
    medianSecondsPerFilm: perFilm.length === 0 ? null : median(perFilm),
    filmsPerHour: timedSeconds === 0 ? null : (3600 * perFilm.length) / timedSeconds,
    breakSeconds,
  }
}

/** The longest gap between consecutive times within [from, to] (both ends included). */
function longestSilence(sorted: readonly number[], from: number, to: number): number {
  let longest = 0
  let last = from
  for (const t of sorted) {
    if (t <= from) continue
    if (t > to) break
    longest = Math.max(longest, t - last)
    last = t
  }
  return Math.max(longest, to - last)
}

/** The presets a reader applied, for tables and sentences: `lung (2), bone (1)`, most used first. */
export function presetsText(presets: Readonly<Record<string, number>> | null): string {
  if (presets === null) return 'not recorded'
  const used = Object.entries(presets).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
  return used.length === 0 ? 'none' : used.map(([name, n]) => `${name} (${n})`).join(', ')
}
