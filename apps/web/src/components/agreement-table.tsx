import type { AgreementDto } from '../api.ts'
import { interval, num, pct } from '../format.ts'

/**
 * Agreement between the audit's readers [W27]: Fleiss' kappa over all of them with its
 * bootstrap interval, percent agreement, and Cohen's kappa for every pair (docs/labels.md
 * section 3).
 */
export function AgreementTable({ a }: { a: AgreementDto }) {
  const pairs = a.findings.flatMap((f) => f.pairs.map((p) => ({ finding: f.finding, ...p })))
  return (
    <>
      <table className="table stats-table" data-testid="agreement-table">
        <thead>
          <tr>
            <th>finding</th>
            <th className="num">images</th>
            <th className="num">reads</th>
            <th className="num">Fleiss' κ (95% interval)</th>
            <th className="num">agreement</th>
            <th className="num">unanimous</th>
          </tr>
        </thead>
        <tbody>
          {a.findings.map((f) => (
            <tr key={f.finding} data-finding={f.finding}>
              <td>
                {f.finding}
                {f.note !== null && <div className="muted small">{f.note}</div>}
              </td>
              <td className="num">{f.images}</td>
              <td className="num">{f.reads}</td>
              <td className="num strong">
                {num(f.fleissKappa, 2)}{' '}
                <span className="ci inline">
                  {interval(f.fleissKappaLow, f.fleissKappaHigh, 'num')}
                </span>
              </td>
              <td className="num">{pct(f.percentAgreement)}</td>
              <td className="num">{pct(f.unanimous)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Pairs of readers</h3>
      <table className="table stats-table" data-testid="pairs-table">
        <thead>
          <tr>
            <th>finding</th>
            <th>readers</th>
            <th className="num">images</th>
            <th className="num">Cohen's κ (95% interval)</th>
            <th className="num">agreement</th>
          </tr>
        </thead>
        <tbody>
          {pairs.map((p) => (
            <tr key={`${p.finding}:${p.a}:${p.b}`}>
              <td>{p.finding}</td>
              <td>
                {p.a} · {p.b}
              </td>
              <td className="num">{p.images}</td>
              <td className="num">
                {num(p.cohenKappa, 2)}{' '}
                <span className="ci inline">
                  {interval(p.cohenKappaLow, p.cohenKappaHigh, 'num')}
                </span>
                {p.note !== null && <div className="muted small">{p.note}</div>}
              </td>
              <td className="num">{pct(p.percentAgreement)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">
        Intervals: {a.interval}, {a.replicates} resamples, seed {String(a.seed)}. Categories
        present, absent and uncertain; images read once are left out.
      </p>
    </>
  )
}
