import type { TruthOptionDto } from '../api.ts'

/**
 * Which truths the AUC table compares [W29]: each reader (a person or an imported label file)
 * and each consensus; the suggested ones first, the members of a group under "more".
 */
export function TruthPicker({
  truths,
  picked,
  setPicked,
}: {
  truths: readonly TruthOptionDto[]
  picked: readonly string[]
  setPicked: (p: string[]) => void
}) {
  if (truths.length === 0)
    return (
      <p className="muted small">
        Against the original labels only: nobody has judged these films yet (review an audit, or
        import expert labels with <code>cxr-audit import labels</code>).
      </p>
    )
  const toggle = (a: string): void =>
    setPicked(picked.includes(a) ? picked.filter((x) => x !== a) : [...picked, a])
  const chip = (t: TruthOptionDto) => (
    <button
      key={t.against}
      type="button"
      className={picked.includes(t.against) ? 'chip active' : 'chip'}
      aria-pressed={picked.includes(t.against)}
      title={`${t.kind}: ${t.images.toLocaleString('en')} images judged`}
      onClick={() => toggle(t.against)}
      data-testid="truth-chip"
    >
      {t.against} <span className="muted">{t.images.toLocaleString('en')}</span>
    </button>
  )
  const more = truths.filter((t) => !t.suggested)
  return (
    <div className="truth-picker">
      <span className="muted small">Compare with</span>
      {truths.filter((t) => t.suggested).map(chip)}
      {more.length > 0 && (
        <details>
          <summary className="muted small">{more.length} more readers</summary>
          <div className="chips">{more.map(chip)}</div>
        </details>
      )}
    </div>
  )
}
