import { api, type DatasetPageDto } from '../api.ts'
import { href } from '../router.ts'
import { useLoad } from './use-load.ts'
import { ImageWork } from '../components/image-work.tsx'
import { TagsBySplit } from '../components/tags-by-split.tsx'

const pct = (x: number | null, digits = 1): string =>
  x === null ? '' : `${(x * 100).toFixed(digits)}%`

/** The dataset page [W20]: counts, prevalence, co-occurrence, cohort, problems to review. */
export function DatasetPage({ id }: { id: number }) {
  const [data] = useLoad(`dataset:${id}`, () => api.dataset(id))
  if (data.status === 'loading') return <main className="page">Checking the dataset…</main>
  if (data.status === 'error')
    return (
      <main className="page">
        <p className="error-line">{data.error}</p>
      </main>
    )
  const d = data.data
  return (
    <main className="page" data-testid="dataset-page">
      <div className="page-head">
        <h1>{d.dataset.name}</h1>
        <span className="actions">
          <a className="button" href={href.models()}>
            Models
          </a>{' '}
          <a
            className="button"
            href={href.learnability(d.dataset.id)}
            data-testid="learnability-link"
          >
            Learnability
          </a>{' '}
          <a className="button" href={href.newAudit(d.dataset.id)}>
            New audit
          </a>
        </span>
      </div>
      {d.privacy !== null && <PrivacyMark privacy={d.privacy} />}
      <div className="stats">
        <Stat label="images" value={d.dataset.images} />
        <Stat label="patients" value={d.patients} />
        <Stat label="images on disk" value={d.dataset.imagesOnDisk} />
        <Stat label="problems" value={d.problems.length} />
      </div>
      <ImageWork datasetId={d.dataset.id} />
      <section className="card">
        <h2>Problems</h2>
        {d.problems.length === 0 ? (
          <p className="muted">No problem found.</p>
        ) : (
          <table className="table" data-testid="problems">
            <tbody>
              {d.problems.map((p) => (
                <tr key={p.kind} data-problem={p.kind}>
                  <td>
                    <strong>{p.kind}</strong>
                    <div className="muted small">{p.description}</div>
                  </td>
                  <td className="num">{p.count.toLocaleString('en')}</td>
                  <td className="muted small">{p.examples.slice(0, 3).join('; ')}</td>
                  <td>
                    {p.onDisk > 0 ? (
                      <a className="button small" href={href.problem(d.dataset.id, p.kind, 0)}>
                        Review {p.onDisk} on disk →
                      </a>
                    ) : (
                      <span className="muted small">none on disk</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <div className="two-columns">
        <Prevalence d={d} />
        <Cooccurrence d={d} />
      </div>
      <Cohort d={d} />
      <TagsBySplit d={d} />
    </main>
  )
}

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <div className="stat card">
      <div className="stat-value">{value.toLocaleString('en')}</div>
      <div className="muted small">{label}</div>
    </div>
  )
}

function Prevalence({ d }: { d: DatasetPageDto }) {
  const max = Math.max(...d.prevalence.map((p) => p.prevalence), 0.0001)
  return (
    <section className="card">
      <h2>Prevalence</h2>
      <div className="bars" role="table" aria-label="prevalence per finding">
        {d.prevalence.map((p) => (
          <div key={p.finding} className="bar-row" role="row">
            <span className="bar-label" role="cell">
              {p.finding}
              {p.derived ? ' *' : ''}
            </span>
            <span className="bar-track" role="cell">
              <span className="bar-fill" style={{ width: `${(p.prevalence / max) * 100}%` }} />
            </span>
            <span className="bar-value" role="cell">
              {pct(p.prevalence)}{' '}
              <span className="muted">({p.positives.toLocaleString('en')})</span>
            </span>
          </div>
        ))}
      </div>
      <p className="muted small">* derived finding (the union of others)</p>
    </section>
  )
}

/** The share of images positive for the row finding that are also positive for the column one. */
function Cooccurrence({ d }: { d: DatasetPageDto }) {
  const { findings, counts } = d.cooccurrence
  return (
    <section className="card">
      <h2>Co-occurrence</h2>
      <p className="muted small">
        Row finding positive: how often the column finding is positive too.
      </p>
      <div className="heatmap" style={{ ['--n' as string]: findings.length }}>
        <span />
        {findings.map((f) => (
          <span key={f} className="heat-col" title={f}>
            {f.slice(0, 4)}
          </span>
        ))}
        {findings.map((row, i) => (
          <Row key={row} name={row} values={counts[i] ?? []} findings={findings} index={i} />
        ))}
      </div>
    </section>
  )
}

function Row({
  name,
  values,
  findings,
  index,
}: {
  name: string
  values: number[]
  findings: string[]
  index: number
}) {
  const total = values[index] ?? 0
  return (
    <>
      <span className="heat-row">{name}</span>
      {values.map((v, j) => {
        const share = total === 0 ? 0 : v / total
        return (
          <span
            key={j}
            className={j === index ? 'heat-cell diagonal' : 'heat-cell'}
            style={{ ['--a' as string]: j === index ? 0 : Math.min(1, share * 2) }}
            title={`${name} → ${findings[j]}: ${v} of ${total} (${pct(share)})`}
          />
        )
      })}
    </>
  )
}

function Cohort({ d }: { d: DatasetPageDto }) {
  const c = d.cohort
  if (c.compared === null)
    return (
      <section className="card">
        <h2>Cohort</h2>
        <p className="muted">No split to compare (import the train and test lists).</p>
      </section>
    )
  return (
    <section className="card">
      <h2>Cohort: {c.splits.join(' vs ')}</h2>
      <table className="table">
        <thead>
          <tr>
            <th>variable</th>
            {c.splits.map((s) => (
              <th key={s}>{s}</th>
            ))}
            <th>SMD</th>
          </tr>
        </thead>
        <tbody>
          {c.rows.map((r) => (
            <tr key={`${r.variable}:${r.level}`} className={r.flag ? 'flag' : ''}>
              <td>
                {r.variable}: {r.level}
              </td>
              {c.splits.map((s) => {
                const v = r.values[s]
                const numeric = r.variable === 'age' || r.variable === 'images per patient'
                return (
                  <td key={s} className="num">
                    {v === undefined || v.value === null
                      ? ''
                      : numeric
                        ? v.value.toFixed(1)
                        : `${v.n} (${pct(v.value)})`}
                  </td>
                )
              })}
              <td className="num">{r.smd === null ? '' : r.smd.toFixed(3)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

/** The privacy mark of a DICOM dataset [D5]: loud when instances may identify their patients. */
function PrivacyMark({ privacy: p }: { privacy: NonNullable<DatasetPageDto['privacy']> }) {
  if (p.deidentified)
    return (
      <p className="banner" data-testid="privacy" data-deidentified="true">
        All {p.instances.toLocaleString('en')} DICOM instances are marked de-identified.
      </p>
    )
  return (
    <p className="banner banner-warning" data-testid="privacy" data-deidentified="false">
      <strong>Not de-identified.</strong> {p.identifiable.toLocaleString('en')} of{' '}
      {p.instances.toLocaleString('en')} DICOM instances are not marked de-identified (Patient
      Identity Removed is not YES)
      {p.burnedIn > 0
        ? `, ${p.burnedIn.toLocaleString('en')} have text burned into the pixels`
        : ''}
      . The workbench never shows patient names or ids, but the films themselves may: review them
      only where you may see patient data.
    </p>
  )
}
