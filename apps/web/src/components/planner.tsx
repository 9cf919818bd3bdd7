import { expectedHalfWidth, plannedSampleSize } from '@cxr-audit/core'
import { useState } from 'react'

const pct = (x: number, digits = 1): string => `${(x * 100).toFixed(digits)}%`

/**
 * The sample-size planner [W1]: the images a 95% Wilson interval of the wanted half-width needs
 * at the expected proportion, and the half-width a given number of images gives.
 */
export function Planner({ onUse }: { onUse?: (n: number) => void }) {
  const [expected, setExpected] = useState(80)
  const [half, setHalf] = useState(5)
  const [n, setN] = useState(100)
  let planned: number | null = null
  let reverse: number | null = null
  try {
    planned = plannedSampleSize({ expected: expected / 100, halfWidth: half / 100 })
  } catch {
    planned = null
  }
  try {
    reverse = expectedHalfWidth({ expected: expected / 100, n })
  } catch {
    reverse = null
  }
  return (
    <section className="card planner" aria-label="sample-size planner" data-testid="planner">
      <h2>Sample-size planner</h2>
      <p className="muted small">
        How many images per finding give a 95% confidence interval (Wilson) of the width you want,
        if the label is right as often as you expect?
      </p>
      <label>
        Expected accuracy (%)
        <input
          type="number"
          min={0}
          max={100}
          step={1}
          value={expected}
          onChange={(e) => setExpected(Number(e.target.value))}
          data-testid="planner-expected"
        />
      </label>
      <label>
        Wanted half-width (± %)
        <input
          type="number"
          min={0.5}
          max={50}
          step={0.5}
          value={half}
          onChange={(e) => setHalf(Number(e.target.value))}
          data-testid="planner-half"
        />
      </label>
      <p className="planner-answer" data-testid="planner-n">
        {planned === null ? (
          'Give a proportion in 0-100 and a half-width in (0, 100).'
        ) : (
          <>
            <strong>{planned}</strong> images
          </>
        )}
      </p>
      {planned !== null && onUse !== undefined && (
        <button type="button" className="button" onClick={() => onUse(planned)}>
          Use {planned} positives
        </button>
      )}
      <hr />
      <label>
        …or with this many images
        <input
          type="number"
          min={1}
          step={1}
          value={n}
          onChange={(e) => setN(Math.max(1, Math.round(Number(e.target.value))))}
          data-testid="planner-count"
        />
      </label>
      <p className="planner-answer" data-testid="planner-halfwidth">
        {reverse === null ? '—' : `± ${pct(reverse)}`} around {expected}%
      </p>
    </section>
  )
}
