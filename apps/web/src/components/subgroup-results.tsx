import type { SubgroupTestResult } from '@cxr-audit/core'
import type { AccuracyRowDto } from '../api.ts'
import { num, pValue } from '../format.ts'
import { Prop } from './accuracy-table.tsx'

const METHOD: Record<string, string> = {
  'fisher-exact': "Fisher's exact test",
  'chi-square': "Pearson's chi-square test",
}

/** "PPV between groups: Fisher's exact test, p = 0.031" (or why there is no test). */
function TestLine({ what, t }: { what: string; t: SubgroupTestResult }) {
  if (t.method === null || t.p === null)
    return (
      <li>
        {what}: <span className="muted">no test ({t.note ?? 'not enough images'})</span>
      </li>
    )
  return (
    <li className={t.p < 0.05 ? 'significant' : ''} data-testid="subgroup-test">
      {what}: {METHOD[t.method] ?? t.method}
      {t.method === 'chi-square' && t.df !== null
        ? ` (χ² = ${num(t.statistic, 2)}, df ${t.df})`
        : ''}
      , <strong>p = {pValue(t.p)}</strong>
      {t.smallExpected && (
        <span className="orange-text"> · an expected count is below 5: rough</span>
      )}
      {t.note !== null && <span className="muted"> · {t.note}</span>}
    </li>
  )
}

/** `tag:chest drain` reads "tag “chest drain”". */
export const byLabel = (by: string): string => (by.startsWith('tag:') ? `tag “${by.slice(4)}”` : by)

/**
 * Label accuracy per subgroup [W26]: each group's PPV and NPV with intervals, and whether they
 * differ between the groups (the `unknown` group is shown, not tested).
 */
export function SubgroupResults({ rows, by }: { rows: readonly AccuracyRowDto[]; by: string }) {
  return (
    <div className="subgroup-grid" data-testid="subgroups">
      {rows.map((r) => (
        <section key={r.finding} className="card subgroup-card" data-finding={r.finding}>
          <h3>
            {r.finding} <span className="muted">by {byLabel(by)}</span>
          </h3>
          <table className="table compact">
            <thead>
              <tr>
                <th>group</th>
                <th className="num">labelled +</th>
                <th className="num">PPV</th>
                <th className="num">labelled −</th>
                <th className="num">NPV</th>
              </tr>
            </thead>
            <tbody>
              {(r.subgroups ?? []).map((s) => (
                <tr key={s.group}>
                  <td>{s.group}</td>
                  <td className="num">{s.labelledPositive}</td>
                  <td className="num">
                    <Prop value={s.ppv} low={s.ppvLow} high={s.ppvHigh} />
                  </td>
                  <td className="num">{s.labelledNegative}</td>
                  <td className="num">
                    <Prop value={s.npv} low={s.npvLow} high={s.npvHigh} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {r.subgroupTest !== undefined && (
            <ul className="test-lines">
              <TestLine what="PPV between groups" t={r.subgroupTest.ppv} />
              <TestLine what="NPV between groups" t={r.subgroupTest.npv} />
            </ul>
          )}
        </section>
      ))}
    </div>
  )
}
