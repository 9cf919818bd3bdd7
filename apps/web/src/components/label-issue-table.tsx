import type { LabelIssueReviewDto } from '../api.ts'
import { Prop } from './accuracy-table.tsx'

/**
 * The review of a label-issue audit [LI4]: per finding, how many of the labels `label-issues`
 * flagged the reader confirmed wrong — the flag's precision, with its interval.
 */
export function LabelIssueTable({ rows }: { rows: readonly LabelIssueReviewDto[] }) {
  return (
    <div className="table-scroll">
      <table className="table stats-table" data-testid="label-issue-table">
        <thead>
          <tr>
            <th>finding</th>
            <th className="num">flagged</th>
            <th className="num">judged</th>
            <th className="num" title="verdict contradicts the label">
              confirmed wrong
            </th>
            <th className="num" title="verdict agrees with the label (unmarked on a finished page)">
              label right
            </th>
            <th className="num">uncertain</th>
            <th className="num" title="confirmed wrong / judged">
              precision of the flag
            </th>
            <th className="num" title="(confirmed wrong + uncertain) / judged">
              lenient
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.auditId}:${r.finding}`} data-finding={r.finding}>
              <td>{r.finding}</td>
              <td className="num">{r.flagged}</td>
              <td className="num">{r.judged}</td>
              <td className="num" data-testid="confirmed-wrong">
                {r.confirmedWrong}
              </td>
              <td className="num">{r.confirmedRight}</td>
              <td className="num">{r.uncertain}</td>
              <td className="num" data-testid="flag-precision">
                <Prop value={r.precision} low={r.precisionLow} high={r.precisionHigh} />
              </td>
              <td className="num">
                <Prop
                  value={r.precisionLenient}
                  low={r.precisionLenientLow}
                  high={r.precisionLenientHigh}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
