const SIZE = 150
const PAD = 22

/**
 * A small ROC curve as inline SVG [W29]: false-positive rate across, sensitivity up, the chance
 * diagonal dashed, and the operating point of the chosen threshold as a dot.
 */
export function RocCurve({
  finding,
  fpr,
  tpr,
  point,
}: {
  finding: string
  fpr: readonly number[]
  tpr: readonly number[]
  point: { fpr: number; tpr: number } | null
}) {
  const w = SIZE - PAD
  const x = (f: number): number => PAD + f * w
  const y = (t: number): number => (1 - t) * w + 2
  const d = fpr
    .map((f, i) => `${i === 0 ? 'M' : 'L'}${x(f).toFixed(1)},${y(tpr[i]!).toFixed(1)}`)
    .join('')
  return (
    <svg
      className="roc"
      viewBox={`0 0 ${SIZE} ${SIZE}`}
      width={SIZE}
      height={SIZE}
      role="img"
      aria-label={`ROC curve of ${finding}`}
      data-testid="roc-curve"
    >
      <rect x={PAD} y={2} width={w} height={w} className="frame" />
      <line x1={x(0)} y1={y(0)} x2={x(1)} y2={y(1)} className="chance" />
      <path d={d} className="curve" />
      {point !== null && (
        <circle cx={x(point.fpr)} cy={y(point.tpr)} r={4} className="point">
          <title>{`operating point: sensitivity ${(point.tpr * 100).toFixed(1)}%, specificity ${((1 - point.fpr) * 100).toFixed(1)}%`}</title>
        </circle>
      )}
      <text x={PAD + w / 2} y={SIZE - 4} textAnchor="middle" className="axis">
        1 − specificity
      </text>
      <text
        x={10}
        y={2 + w / 2}
        textAnchor="middle"
        className="axis"
        transform={`rotate(-90 10 ${2 + w / 2})`}
      >
        sensitivity
      </text>
    </svg>
  )
}
