import type { AccuracyRowDto } from '../api.ts'
import { interval, pct } from '../format.ts'

const ROW = 28
const LABEL = 170
const PLOT = 560
const RIGHT = 150
const TOP = 26
const BOTTOM = 44

/**
 * The forest plot of the results page [W25], drawn by React as inline SVG (text is escaped like
 * any other): per finding, the PPV of the labels with its 95% interval (dot and whisker) beside
 * the precision Wang et al. (2017) published for their text mining (hollow diamond).
 */
export function ForestPlot({ rows }: { rows: readonly AccuracyRowDto[] }) {
  const width = LABEL + PLOT + RIGHT
  const height = TOP + rows.length * ROW + BOTTOM
  const x = (p: number): number => LABEL + p * PLOT
  const ticks = [0, 0.25, 0.5, 0.75, 1]
  return (
    <svg
      className="forest"
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      role="img"
      aria-label="Positive predictive value of the labels per finding, with 95% intervals, beside the published text-mining precision"
      data-testid="forest-plot"
    >
      <text x={LABEL} y={14} className="forest-head">
        PPV of the label (95% interval)
      </text>
      <text x={LABEL + PLOT + 12} y={14} className="forest-head">
        PPV · published
      </text>
      {ticks.map((t) => (
        <g key={t}>
          <line x1={x(t)} x2={x(t)} y1={TOP - 6} y2={TOP + rows.length * ROW} className="grid" />
          <text x={x(t)} y={TOP + rows.length * ROW + 16} className="tick" textAnchor="middle">
            {t * 100}%
          </text>
        </g>
      ))}
      {rows.map((r, i) => {
        const y = TOP + i * ROW + ROW / 2
        return (
          <g key={r.finding} data-finding={r.finding} className="forest-row">
            <text x={LABEL - 10} y={y + 4} textAnchor="end" className="label">
              {r.finding}
            </text>
            {r.ppvLow !== null && r.ppvHigh !== null && (
              <line x1={x(r.ppvLow)} x2={x(r.ppvHigh)} y1={y} y2={y} className="whisker">
                <title>{`${r.finding}: PPV ${pct(r.ppv)} ${interval(r.ppvLow, r.ppvHigh)}`}</title>
              </line>
            )}
            {r.ppv !== null && <circle cx={x(r.ppv)} cy={y} r={5} className="ppv" />}
            {/* the lenient PPV, a second hollow mark just below [L24] */}
            {r.ppvLenient !== null && r.ppvLenientLow !== null && r.ppvLenientHigh !== null && (
              <g data-testid="forest-lenient">
                <line
                  x1={x(r.ppvLenientLow)}
                  x2={x(r.ppvLenientHigh)}
                  y1={y + 8}
                  y2={y + 8}
                  stroke="#7f9fcf"
                  strokeDasharray="3 2"
                />
                <rect
                  x={x(r.ppvLenient) - 3.5}
                  y={y + 4.5}
                  width={7}
                  height={7}
                  fill="#fff"
                  stroke="#1f4e9c"
                >
                  <title>{`${r.finding}: lenient PPV ${pct(r.ppvLenient)} ${interval(r.ppvLenientLow, r.ppvLenientHigh)}`}</title>
                </rect>
              </g>
            )}
            {r.publishedPrecision !== null && (
              <path
                d={`M ${x(r.publishedPrecision)} ${y - 6} l 6 6 l -6 6 l -6 -6 z`}
                className="published"
              >
                <title>{`${r.finding}: published precision ${pct(r.publishedPrecision)}`}</title>
              </path>
            )}
            <text x={LABEL + PLOT + 12} y={y + 4} className="value">
              {r.ppv === null ? 'no positives' : pct(r.ppv, 0)}
              {r.publishedPrecision !== null ? ` · ${pct(r.publishedPrecision, 0)}` : ''}
            </text>
          </g>
        )
      })}
      <g transform={`translate(${LABEL}, ${height - 12})`} className="legend">
        <circle cx={6} cy={-4} r={5} className="ppv" />
        <text x={16} y={0}>
          PPV with 95% interval (this audit)
        </text>
        <path d="M 246 -10 l 6 6 l -6 6 l -6 -6 z" className="published" />
        <text x={258} y={0}>
          published text-mining precision (Wang 2017)
        </text>
        <rect x={472} y={-8} width={7} height={7} fill="#fff" stroke="#1f4e9c" />
        <text x={484} y={0}>
          lenient PPV
        </text>
      </g>
    </svg>
  )
}
