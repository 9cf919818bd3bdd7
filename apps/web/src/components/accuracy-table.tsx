import type { AccuracyStats } from '@cxr-audit/core'
import type { ReactNode } from 'react'
import type { AccuracyRowDto } from '../api.ts'
import { interval, pct } from '../format.ts'

/** A proportion with its interval below it, small. */
export function Prop({
  value,
  low,
  high,
}: {
  value: number | null
  low: number | null
  high: number | null
}) {
  return (
    <>
      <span className="prop">{pct(value)}</span>
      {low !== null && <span className="ci">{interval(low, high)}</span>}
    </>
  )
}

/** "not sampled" instead of a proportion whose stratum the audit did not draw [L23]. */
function Sampled({
  s,
  stratum,
  children,
}: {
  s: AccuracyStats
  stratum: 'positives' | 'negatives' | 'both'
  children: ReactNode
}) {
  const missing = stratum === 'both' ? s.notSampled.length > 0 : s.notSampled.includes(stratum)
  return missing ? <span className="muted small">not sampled</span> : <>{children}</>
}

/**
 * The label-accuracy table [W25]: what each original label turned out to be for the reader
 * (docs/labels.md section 2 defines every column).
 */
export function AccuracyTable({ rows }: { rows: readonly AccuracyRowDto[] }) {
  return (
    <div className="table-scroll">
      <table className="table stats-table" data-testid="accuracy-table">
        <thead>
          <tr>
            <th rowSpan={2}>finding</th>
            <th colSpan={4} className="group">
              labelled positive
            </th>
            <th rowSpan={2} className="num" title="present / labelled positive">
              PPV
            </th>
            <th rowSpan={2} className="num" title="(present + uncertain) / labelled positive">
              lenient PPV
            </th>
            <th rowSpan={2} className="num" title="films of the audit tagged image unusable">
              unusable
            </th>
            <th rowSpan={2} className="num">
              labelled negative
            </th>
            <th rowSpan={2} className="num" title="absent / labelled negative">
              NPV
            </th>
            <th
              rowSpan={2}
              className="num"
              title="of the films the reader calls positive, the share labelled positive"
            >
              sensitivity
            </th>
            <th
              rowSpan={2}
              className="num"
              title="of the films the reader calls negative, the share labelled negative"
            >
              specificity
            </th>
            <th rowSpan={2} className="num" title="Wang et al. 2017, text mining of 900 reports">
              published precision
            </th>
          </tr>
          <tr>
            <th className="num">n</th>
            <th className="num">present</th>
            <th className="num">absent</th>
            <th className="num">uncertain</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <AccuracyRow
              key={r.finding}
              name={r.finding}
              derived={r.derived}
              s={r}
              published={r.publishedPrecision}
              unusable={r.unusable}
            />
          ))}
        </tbody>
      </table>
    </div>
  )
}

export function AccuracyRow({
  name,
  derived,
  s,
  published,
  unusable,
}: {
  name: string
  derived: boolean
  s: AccuracyStats
  published: number | null
  /** Films tagged unusable [L25]; the subgroup table, which has no such column, leaves it out. */
  unusable?: number
}) {
  return (
    <tr data-testid="accuracy-row" data-finding={name}>
      <td>
        {name}
        {derived && <span className="muted small"> (derived)</span>}
      </td>
      <td className="num">{s.labelledPositive}</td>
      <td className="num">{s.present}</td>
      <td className={s.absent > 0 ? 'num red-text' : 'num'}>{s.absent}</td>
      <td className={s.uncertain > 0 ? 'num orange-text' : 'num'}>{s.uncertain}</td>
      <td className="num strong" data-testid="ppv">
        <Sampled s={s} stratum="positives">
          <Prop value={s.ppv} low={s.ppvLow} high={s.ppvHigh} />
        </Sampled>
      </td>
      <td className="num" data-testid="ppv-lenient">
        <Sampled s={s} stratum="positives">
          <Prop value={s.ppvLenient} low={s.ppvLenientLow} high={s.ppvLenientHigh} />
        </Sampled>
      </td>
      {unusable !== undefined && (
        <td className="num" data-testid="unusable">
          {unusable}
        </td>
      )}
      <td className="num">{s.labelledNegative}</td>
      <td className="num">
        <Sampled s={s} stratum="negatives">
          <Prop value={s.npv} low={s.npvLow} high={s.npvHigh} />
        </Sampled>
      </td>
      <td className="num" data-testid="sensitivity">
        <Sampled s={s} stratum="both">
          <Prop value={s.sensitivity} low={s.sensitivityLow} high={s.sensitivityHigh} />
        </Sampled>
      </td>
      <td className="num">
        <Sampled s={s} stratum="both">
          <Prop value={s.specificity} low={s.specificityLow} high={s.specificityHigh} />
        </Sampled>
      </td>
      <td className="num">{pct(published)}</td>
    </tr>
  )
}
