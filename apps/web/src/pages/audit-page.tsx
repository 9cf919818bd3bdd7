import { api } from '../api.ts'
import { ProgressBar } from '../components/progress-bar.tsx'
import { href, useHash } from '../router.ts'
import { useServices } from '../services.tsx'
import { continueHref } from './home-page.tsx'
import { useLoad } from './use-load.ts'

/** One audit: its plan, this reader's progress per finding and sheet, the other readers [W17]. */
export function AuditPage({ id }: { id: number }) {
  const { reader } = useServices()
  const done = useHash().includes('?done')
  const [data] = useLoad(`audit:${id}:${reader?.id ?? 0}`, () => api.audit(id, reader?.id ?? null))
  if (data.status === 'loading') return <main className="page" />
  if (data.status === 'error')
    return (
      <main className="page">
        <p className="error-line">{data.error}</p>
      </main>
    )
  const { audit, progress } = data.data
  const reviewed = progress.findings.reduce((s, f) => s + f.reviewed, 0)
  return (
    <main className="page" data-testid="audit-page">
      {done && (
        <div className="banner" data-testid="audit-done">
          {reviewed >= audit.items
            ? 'Every sheet of this audit is finished. Thank you.'
            : 'That was the last sheet; some pages still have images to review.'}
        </div>
      )}
      <div className="page-head">
        <h1>
          {audit.name}
          {audit.blinded && <span className="blinded-badge">blinded</span>}
        </h1>
        <div className="button-row">
          <a className="button" href={href.results(audit.id)} data-testid="results-link">
            Results
          </a>
          <a className="button primary" href={continueHref(audit, progress)} data-testid="continue">
            {reviewed === 0 ? 'Start reviewing' : 'Continue'} →
          </a>
        </div>
      </div>
      <p className="muted">
        {audit.dataset} · seed {audit.seed} ·{' '}
        {audit.positives === null
          ? 'blinded'
          : `${audit.positives} labelled positives and ${audit.negatives} labelled negatives per finding`}{' '}
        · {audit.onePerPatient ? 'one image per patient' : 'all images per patient'}
        {audit.filters.length > 0 ? ` · ${audit.filters.join(', ')}` : ''} · created{' '}
        {new Date(audit.createdAt).toLocaleString()}
      </p>
      {audit.notes.length > 0 && (
        <ul className="notes">
          {audit.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      {reader !== null && (
        <ProgressBar done={reviewed} total={audit.items} label="reviewed by you" />
      )}
      <table className="table">
        <thead>
          <tr>
            <th>finding</th>
            <th>images</th>
            <th>reviewed</th>
            {!audit.blinded && <th>confirmed</th>}
            <th>present</th>
            <th>absent</th>
            <th>uncertain</th>
            <th>unusable</th>
            <th>sheets</th>
          </tr>
        </thead>
        <tbody>
          {progress.findings.map((f) => (
            <tr key={f.findingId} data-testid="finding-progress" data-finding={f.name}>
              <td>{f.name}</td>
              <td>{f.items}</td>
              <td data-testid="reviewed">{f.reviewed}</td>
              {!audit.blinded && <td title="left unmarked on a finished page">{f.implied}</td>}
              <td>{f.present}</td>
              <td className={f.absent > 0 ? 'red-text' : ''}>{f.absent}</td>
              <td className={f.uncertain > 0 ? 'orange-text' : ''}>{f.uncertain}</td>
              <td>{f.unusable}</td>
              <td className="page-chips">
                {Array.from({ length: f.pages }, (_, p) => (
                  <a
                    key={p}
                    className={f.pageDone[p] === true ? 'page-chip done' : 'page-chip'}
                    title={f.pageDone[p] === true ? 'finished' : 'to review'}
                    href={href.sheet(audit.id, f.findingId, p)}
                  >
                    {p + 1}
                  </a>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Readers</h2>
      {progress.readers.length === 0 ? (
        <p className="muted">No verdict yet.</p>
      ) : (
        <ul className="readers">
          {progress.readers.map((r) => (
            <li key={r.readerId}>
              {r.name}: {r.verdicts} verdicts
            </li>
          ))}
        </ul>
      )}
      <p className="muted small">
        Tags: {audit.tags.join(', ')}. Reproduce this sample with{' '}
        <code>
          cxr-audit audit create --seed {audit.seed} --finding{' '}
          {audit.findings.map((f) => f.name).join(' ')} …
        </code>
      </p>
    </main>
  )
}
