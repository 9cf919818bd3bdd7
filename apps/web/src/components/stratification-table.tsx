import type { HiddenStratificationRow } from '@cxr-audit/core'
import { interval, num, pValue, signed } from '../format.ts'

/**
 * The hidden-stratification table [W31]: each subgroup against the rest of the images by the
 * unpaired DeLong test; flagged (p < 0.05) rows stand out, Holm-adjusted p beside.
 */
export function StratificationTable({
  rows,
  onlyFlagged,
}: {
  rows: readonly HiddenStratificationRow[]
  onlyFlagged: boolean
}) {
  const shown = onlyFlagged ? rows.filter((r) => r.flagged) : rows
  if (shown.length === 0)
    return (
      <p className="muted">{onlyFlagged ? 'No subgroup is flagged.' : 'No subgroup to compare.'}</p>
    )
  return (
    <div className="table-scroll">
      <table className="table stats-table" data-testid="stratification-table">
        <thead>
          <tr>
            <th>finding</th>
            <th>subgroup</th>
            <th className="num">images (positive)</th>
            <th className="num">AUC (95% interval)</th>
            <th className="num">rest: images (positive)</th>
            <th className="num">rest: AUC</th>
            <th className="num">difference</th>
            <th className="num">p</th>
            <th className="num">Holm p</th>
            <th>flag</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr
              key={`${r.finding}:${r.by}:${r.group}`}
              className={r.flagged ? 'flagged' : ''}
              data-flagged={r.flagged}
            >
              <td>{r.finding}</td>
              <td>{r.group}</td>
              <td className="num">
                {r.n.toLocaleString('en')} ({r.positives.toLocaleString('en')})
              </td>
              <td className="num">
                {num(r.auc)}{' '}
                <span className="ci inline">{interval(r.aucLow, r.aucHigh, 'num')}</span>
              </td>
              <td className="num">
                {r.restN.toLocaleString('en')} ({r.restPositives.toLocaleString('en')})
              </td>
              <td className="num">
                {num(r.restAuc)}{' '}
                <span className="ci inline">{interval(r.restLow, r.restHigh, 'num')}</span>
              </td>
              <td className="num">{signed(r.difference)}</td>
              <td className="num">
                {r.p === null ? <span className="muted">{r.reason ?? '–'}</span> : pValue(r.p)}
              </td>
              <td className="num">{pValue(r.pHolm)}</td>
              <td>
                {r.flagged && (
                  <span
                    className={r.flaggedHolm ? 'flag-badge holm' : 'flag-badge'}
                    title={
                      r.flaggedHolm
                        ? 'p < 0.05, also after the Holm adjustment'
                        : 'p < 0.05, not after the Holm adjustment'
                    }
                  >
                    {r.flaggedHolm ? 'differs (Holm)' : 'differs'}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
