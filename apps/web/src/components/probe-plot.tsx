import type { ProbePairDto, ProbeRunDto } from '../api.ts'
import { interval, num } from '../format.ts'

const ROW = 34
const LABEL = 220
const PLOT = 520
const RIGHT = 210
const TOP = 28
const BOTTOM = 44

/**
 * Probe AUCs beside their shuffled-label nulls [KC6], inline SVG: per probe setting the
 * out-of-fold AUC with its DeLong interval (filled dot) and the null's (hollow dot, below), on
 * an AUC axis from 0.3 to 1 with 0.5, chance, marked.
 */
export function ProbePlot({ pairs }: { pairs: readonly ProbePairDto[] }) {
  const width = LABEL + PLOT + RIGHT
  const height = TOP + pairs.length * ROW + BOTTOM
  const lo = 0.3
  const x = (auc: number): number => LABEL + ((Math.max(lo, auc) - lo) / (1 - lo)) * PLOT
  const ticks = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]
  const mark = (r: ProbeRunDto | null, y: number, kind: 'real' | 'null', key: string) =>
    r === null ? null : (
      <g key={key} data-probe={kind}>
        <line x1={x(r.aucLow)} x2={x(r.aucHigh)} y1={y} y2={y} className={`whisker ${kind}`} />
        <circle cx={x(r.auc)} cy={y} r={4.5} className={`dot ${kind}`} />
      </g>
    )
  return (
    <svg
      className="forest"
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      role="img"
      aria-label="Out-of-fold AUC of each linear probe with its 95% DeLong interval, beside the shuffled-label null"
      data-testid="probe-plot"
    >
      <text x={LABEL} y={14} className="forest-head">
        Out-of-fold AUC (95% interval): ● probe ○ shuffled labels
      </text>
      {ticks.map((t) => (
        <g key={t}>
          <line
            x1={x(t)}
            x2={x(t)}
            y1={TOP - 6}
            y2={TOP + pairs.length * ROW}
            className={t === 0.5 ? 'grid chance' : 'grid'}
          />
          <text x={x(t)} y={TOP + pairs.length * ROW + 16} className="tick" textAnchor="middle">
            {t.toFixed(1)}
          </text>
        </g>
      ))}
      {pairs.map((p, i) => {
        const y = TOP + i * ROW + ROW / 2
        return (
          <g key={`${p.finding}:${p.negatives}:${p.folds}:${p.embeddingModel}`}>
            <text x={LABEL - 10} y={y - 2} textAnchor="end" className="label">
              {p.finding}
            </text>
            <text x={LABEL - 10} y={y + 11} textAnchor="end" className="tick">
              negatives: {p.negatives}, {p.folds} folds
            </text>
            {mark(p.real, y - 5, 'real', 'r')}
            {mark(p.shuffled, y + 6, 'null', 'n')}
            <text x={LABEL + PLOT + 12} y={y - 2} className="tick">
              {p.real === null
                ? 'no probe run'
                : `${num(p.real.auc)} ${interval(p.real.aucLow, p.real.aucHigh, 'num')}`}
            </text>
            <text x={LABEL + PLOT + 12} y={y + 11} className="tick">
              {p.shuffled === null
                ? 'no null run'
                : `null ${num(p.shuffled.auc)} ${interval(p.shuffled.aucLow, p.shuffled.aucHigh, 'num')}`}
            </text>
          </g>
        )
      })}
    </svg>
  )
}
