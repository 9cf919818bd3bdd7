import { presetsText } from '@cxr-audit/core'
import type { ReaderConditions } from '@cxr-audit/store'
import { pct } from './escape.ts'
import type { ReportModel } from './report-data.ts'
import type { ReportTable } from './tables.ts'

const minutes = (s: number): string =>
  s < 90 ? `${Math.round(s)} s` : `${(s / 60).toFixed(1)} min`

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/** The person readers of the report with their reading conditions in its audit [W36]. */
function conditionsOf(m: ReportModel): readonly ReaderConditions[] {
  return m.readingConditions?.readers ?? []
}

/**
 * The "Reading conditions" paragraph of the methods [R4][W36]: in an audit, each person
 * reader's median time per film and films per hour (from the times pages were finished), the
 * share of films opened in the full-resolution viewer and the window presets applied, each "not
 * recorded" when the database does not know it. Outside an audit, the active reading time
 * between marks [R5].
 */
export function readingSentences(m: ReportModel): string[] {
  const out: string[] = []
  const persons = m.readers.filter((r) => r.kind === 'person')
  if (m.readingConditions === null) {
    for (const r of persons) {
      if (r.reading === null) continue
      const per = r.reading.items === 0 ? 0 : r.reading.activeSeconds / r.reading.items
      out.push(
        `${r.name} marked ${r.reading.items} film-finding pairs between ${r.reading.first} and ${r.reading.last}, in about ${minutes(r.reading.activeSeconds)} of active reading (${per.toFixed(1)} s per film; gaps of 5 minutes or more between marks not counted).`,
      )
    }
    if (out.length === 0)
      out.push('Reading time per film: not recorded (no reader marked films in cxr-audit).')
    out.push('Use of the full-resolution viewer and window presets: not recorded.')
    return out
  }
  const readers = conditionsOf(m)
  if (readers.length === 0) {
    out.push('Reading time per film: not recorded (no reader marked films in cxr-audit).')
    out.push('Use of the full-resolution viewer and window presets: not recorded.')
    return out
  }
  const breakText = `${m.readingConditions.breakSeconds / 60} minutes`
  for (const r of readers) {
    const read = `${r.reader} read ${plural(r.films, 'film')} on ${plural(r.pages, 'finished page')} between ${r.first} and ${r.last}`
    out.push(
      r.medianSecondsPerFilm === null || r.filmsPerHour === null
        ? `${read}; time per film: not recorded (no page was finished within ${breakText} of the page before it).`
        : `${read}: median ${r.medianSecondsPerFilm.toFixed(1)} s per film, ${Math.round(r.filmsPerHour)} films per hour, over ${plural(r.timedPages, 'timed page')} (${plural(r.timedFilms, 'film')}).`,
    )
  }
  if (readers.some((r) => r.medianSecondsPerFilm !== null))
    out.push(
      `A page's reading time runs from the moment the reader finished the page before to the moment this page was finished, shared equally among its films; the first page of a sitting and a page holding a silence of more than ${breakText} between two of the reader's actions (a break) are not timed.`,
    )
  const recorded = readers.filter((r) => r.recorded)
  if (recorded.length === 0)
    out.push('Use of the full-resolution viewer and window presets: not recorded.')
  for (const r of readers) {
    if (!r.recorded) {
      if (recorded.length > 0)
        out.push(
          `Use of the full-resolution viewer and window presets by ${r.reader}: not recorded.`,
        )
      continue
    }
    const presets =
      r.presets === null || Object.keys(r.presets).length === 0
        ? 'applied no window preset'
        : `applied the window presets ${presetsText(r.presets)}`
    out.push(
      `${r.reader} opened ${r.viewerFilms} of ${plural(r.films, 'judged film')} (${pct(r.viewerShare)}) in the full-resolution viewer and ${presets}.`,
    )
  }
  return out
}

/** The reading conditions as a table of the report and its exports [W36]; null outside an audit. */
export function readingTable(m: ReportModel): ReportTable | null {
  const readers = conditionsOf(m)
  if (readers.length === 0) return null
  return {
    id: 'reading-conditions',
    title: 'Reading conditions',
    columns: [
      'reader',
      'films',
      'pages timed',
      'median s per film',
      'films per hour',
      'opened in viewer',
      'window presets',
    ],
    rows: readers.map((r) => [
      r.reader,
      String(r.films),
      `${r.timedPages} of ${r.pages}`,
      r.medianSecondsPerFilm === null ? 'not timed' : r.medianSecondsPerFilm.toFixed(1),
      r.filmsPerHour === null ? 'not timed' : String(Math.round(r.filmsPerHour)),
      r.viewerFilms === null ? 'not recorded' : `${r.viewerFilms} (${pct(r.viewerShare)})`,
      presetsText(r.presets),
    ]),
  }
}
