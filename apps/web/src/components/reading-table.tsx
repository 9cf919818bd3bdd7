import { presetsText } from '@cxr-audit/core'
import type { ReadingConditionsDto } from '../api.ts'
import { DASH, num, pct } from '../format.ts'

/**
 * The reading conditions of an audit's readers [W36]: median seconds per film and films per hour
 * from the times pages were finished, the share of judged films opened in the viewer, and the
 * window presets applied; "not recorded" where the reader's client recorded no viewer use.
 */
export function ReadingTable({ r }: { r: ReadingConditionsDto }) {
  if (r.readers.length === 0)
    return <p className="muted">No one has read this audit in the workbench yet.</p>
  return (
    <>
      <table className="table stats-table" data-testid="reading-table">
        <thead>
          <tr>
            <th>Reader</th>
            <th className="num">Films</th>
            <th className="num">Pages timed</th>
            <th className="num">Median s / film</th>
            <th className="num">Films / hour</th>
            <th className="num">Opened in viewer</th>
            <th>Window presets</th>
          </tr>
        </thead>
        <tbody>
          {r.readers.map((x) => (
            <tr key={x.readerId} data-reader={x.reader}>
              <td>{x.reader}</td>
              <td className="num">{x.films}</td>
              <td className="num">
                {x.timedPages} of {x.pages}
              </td>
              <td className="num" data-testid="median-seconds">
                {x.medianSecondsPerFilm === null ? 'not timed' : num(x.medianSecondsPerFilm, 1)}
              </td>
              <td className="num" data-testid="films-per-hour">
                {x.filmsPerHour === null ? 'not timed' : num(x.filmsPerHour, 0)}
              </td>
              <td className="num" data-testid="viewer-share">
                {x.viewerFilms === null
                  ? 'not recorded'
                  : `${x.viewerFilms} (${x.viewerShare === null ? DASH : pct(x.viewerShare)})`}
              </td>
              <td data-testid="presets">{presetsText(x.presets)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">
        A page&apos;s time runs from the moment the reader finished the page before to the moment
        this one was finished, shared among its films; the first page of a sitting and a page with a
        silence of more than {r.breakSeconds / 60} minutes (a break) are not timed.
      </p>
    </>
  )
}
