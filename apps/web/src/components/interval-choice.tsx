import type { ModelEvalReport } from '@cxr-audit/core'

/** Which AUC interval the models page shows [M51]: films independent, or patients as clusters. */
export type IntervalChoice = 'films' | 'patient'

export const clusterOf = (c: IntervalChoice): { cluster?: 'patient' } =>
  c === 'patient' ? { cluster: 'patient' } : {}

/** The choice of interval, offered beside the AUC table [M51]. */
export function IntervalPicker({
  value,
  onChange,
}: {
  value: IntervalChoice
  onChange: (c: IntervalChoice) => void
}) {
  return (
    <label className="inline-field">
      Intervals{' '}
      <select
        data-testid="interval-choice"
        value={value}
        onChange={(e) => onChange(e.target.value === 'patient' ? 'patient' : 'films')}
      >
        <option value="films">DeLong, each film independent</option>
        <option value="patient">Obuchowski, patients as clusters</option>
      </select>
    </label>
  )
}

/** Says which interval the tables show, and warns when films of one patient are counted apart. */
export function IntervalNote({ report }: { report: ModelEvalReport }) {
  const shown =
    report.cluster === 'patient'
      ? `95% intervals with patients as clusters (Obuchowski 1997), ${report.clusters.toLocaleString('en')} patients; the paired comparisons and subgroup tests resample patients.`
      : '95% DeLong intervals, each film counted as independent.'
  return (
    <>
      <p className="small" data-testid="interval-shown" data-cluster={report.cluster ?? 'films'}>
        {shown}
      </p>
      {report.warning !== undefined && (
        <p className="muted small" data-testid="interval-warning">
          {report.warning.replace('use --cluster patient', 'choose patients as clusters above')}.
        </p>
      )}
    </>
  )
}
