import type { DatasetPageDto } from '@cxr-audit/contract'

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`

/**
 * Reader tags by split [K7]: each tag's share of the reviewed films of train and test, with the
 * SMD, as the cohort table compares sex and view. Only reviewed films count: an unreviewed
 * film's tags are unknown.
 */
export function TagsBySplit({ d }: { d: DatasetPageDto }) {
  const t = d.tagsBySplit
  return (
    <section className="card" data-testid="tags-by-split">
      <h2>Reader tags by split</h2>
      {t.compared === null ? (
        <p className="muted">No split to compare (import the train and test lists).</p>
      ) : t.rows.length === 0 ? (
        <p className="muted">No reader has tagged a film yet.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>tag</th>
              {t.splits.map((s) => (
                <th key={s}>
                  {s} ({(t.reviewed[s] ?? 0).toLocaleString('en')} reviewed)
                </th>
              ))}
              <th>SMD</th>
            </tr>
          </thead>
          <tbody>
            {t.rows.map((r) => (
              <tr
                key={r.level}
                className={r.flag ? 'flag' : ''}
                data-testid="tag-split-row"
                data-tag={r.level}
              >
                <td>{r.level}</td>
                {t.splits.map((s) => {
                  const v = r.values[s]
                  return (
                    <td key={s} className="num">
                      {v === undefined || v.value === null ? '' : `${v.n} (${pct(v.value)})`}
                    </td>
                  )
                })}
                <td className="num" data-testid="tag-smd">
                  {r.smd === null ? '' : r.smd.toFixed(3)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="muted small">
        Share of the films any reader reviewed in each split; SMD of two proportions between{' '}
        {t.compared === null ? 'the splits' : `${t.compared[0]} and ${t.compared[1]}`} (flagged when
        |SMD| &gt; 0.1).
      </p>
    </section>
  )
}
