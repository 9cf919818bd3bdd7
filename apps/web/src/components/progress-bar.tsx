export function ProgressBar({
  done,
  total,
  label,
}: {
  done: number
  total: number
  label: string
}) {
  const pct = total === 0 ? 0 : Math.round((done / total) * 100)
  return (
    <div className="progress" title={`${done} of ${total} ${label}`}>
      <div className="progress-track">
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      <span className="progress-text">
        {done} / {total} {label}
      </span>
    </div>
  )
}
