import { describe, expect, it } from 'vitest'
import golden from './golden/reading-pace.json' with { type: 'json' }
import { BREAK_SECONDS, readingPace, type FinishedPage } from './reading-pace.ts'

interface Case {
  readonly pages: FinishedPage[]
  readonly activity: number[]
  readonly breakSeconds: number
  readonly expected: Record<string, number | null>
}

const T0 = Date.parse('2026-01-05T09:00:00Z')
const s = (seconds: number): number => T0 + seconds * 1000

describe('[W34] reading pace from the times pages were finished', () => {
  it('[W34] by hand: the first page is not timed, each film gets its page time / films', () => {
    // pages of 18, 18 and 6 films finished at 0 s, 90 s and 126 s: 5 s and 6 s per film
    const pace = readingPace(
      [
        { at: s(126), films: 6 },
        { at: s(0), films: 18 },
        { at: s(90), films: 18 },
      ],
      [s(30), s(60), s(100)],
    )
    expect(pace).toEqual({
      pages: 3,
      timedPages: 2,
      timedFilms: 24,
      timedSeconds: 126,
      breaks: 0,
      // 18 films at 5 s and 6 at 6 s: the median film reads in 5 s
      medianSecondsPerFilm: 5,
      filmsPerHour: (3600 * 24) / 126,
      breakSeconds: BREAK_SECONDS,
    })
  })

  it('[W34] a silence over 5 minutes inside a page is a break: that page is not timed', () => {
    const pages = [
      { at: s(0), films: 18 },
      { at: s(400), films: 18 },
      { at: s(800), films: 18 },
    ]
    // page 2 has a mark at 200 s (gaps 200 s and 200 s: timed); page 3 has none (400 s: a break)
    const pace = readingPace(pages, [s(200)])
    expect(pace.timedPages).toBe(1)
    expect(pace.breaks).toBe(1)
    expect(pace.medianSecondsPerFilm).toBeCloseTo(400 / 18, 12)
    // exactly 300 s of silence is still reading
    expect(readingPace([pages[0]!, { at: s(300), films: 18 }], []).timedPages).toBe(1)
  })

  it('[W34] pages finished in one batch (same instant) and a single page are not timed', () => {
    expect(readingPace([{ at: s(0), films: 18 }], []).medianSecondsPerFilm).toBeNull()
    const same = readingPace(
      [
        { at: s(0), films: 18 },
        { at: s(0), films: 18 },
      ],
      [],
    )
    expect(same).toMatchObject({ timedPages: 0, medianSecondsPerFilm: null, filmsPerHour: null })
  })

  it('[W34] matches the Python reference (statistics.median) on generated readers', () => {
    const cases = golden.cases as unknown as Case[]
    expect(cases.length).toBeGreaterThan(5)
    for (const c of cases) {
      const got = readingPace(c.pages, c.activity, c.breakSeconds)
      for (const [k, v] of Object.entries(c.expected)) {
        const value = got[k as keyof typeof got]
        if (v === null) expect(value, k).toBeNull()
        else expect(value as number, k).toBeCloseTo(v, 9)
      }
    }
  })
})
