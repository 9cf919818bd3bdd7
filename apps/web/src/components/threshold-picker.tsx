import { useState } from 'react'

const RULES = [
  { value: 'youden', label: "Youden's J (sensitivity + specificity − 1, maximal)" },
  { value: 'sens:0.9', label: 'sensitivity 90%' },
  { value: 'sens:0.95', label: 'sensitivity 95%' },
] as const

/** The threshold rule [W29]: youden, a target sensitivity, or a fixed score (applied on Enter or blur). */
export function ThresholdPicker({
  value,
  onChange,
}: {
  value: string
  onChange: (v: string) => void
}) {
  const fixed = !RULES.some((r) => r.value === value)
  const [draft, setDraft] = useState(fixed ? value : '0.5')
  const apply = (): void => {
    const n = Number(draft)
    if (draft.trim() !== '' && Number.isFinite(n)) onChange(String(n))
  }
  return (
    <>
      <label>
        Threshold
        <select
          value={fixed ? 'fixed' : value}
          onChange={(e) => (e.target.value === 'fixed' ? apply() : onChange(e.target.value))}
          data-testid="threshold"
        >
          {RULES.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
          <option value="fixed">a fixed score…</option>
        </select>
      </label>
      {fixed && (
        <label>
          Score
          <input
            type="number"
            step="any"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            onBlur={apply}
            onKeyDown={(e) => e.key === 'Enter' && apply()}
            data-testid="threshold-value"
          />
        </label>
      )}
    </>
  )
}
