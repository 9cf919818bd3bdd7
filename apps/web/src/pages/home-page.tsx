import { api, type AuditDto, type AuditProgressDto, type ReaderDto } from '../api.ts'
import { ProgressBar } from '../components/progress-bar.tsx'
import { ReaderForm } from '../components/reader-form.tsx'
import { go, href } from '../router.ts'
import { useServices } from '../services.tsx'
import { useLoad } from './use-load.ts'

/** The first sheet to review: the first page with an image still to mark. */
export function continueHref(audit: AuditDto, progress: AuditProgressDto | null): string {
  const open = progress?.findings.find((f) => f.nextPage !== null)
  if (open !== undefined) return href.sheet(audit.id, open.findingId, open.nextPage!)
  const first = audit.findings[0]
  return first === undefined ? href.audit(audit.id) : href.sheet(audit.id, first.findingId, 0)
}

interface HomeData {
  audits: { audit: AuditDto; progress: AuditProgressDto | null }[]
  datasets: Awaited<ReturnType<typeof api.datasets>>
}

async function loadHome(reader: ReaderDto | null, datasetsToo: boolean): Promise<HomeData> {
  // a reader (accounts mode) sees the audits assigned to them, not the datasets
  const [audits, datasets] = await Promise.all([
    api.audits(),
    datasetsToo ? api.datasets() : Promise.resolve([]),
  ])
  const withProgress = await Promise.all(
    audits.map(async (audit) => ({
      audit,
      progress: reader === null ? null : (await api.audit(audit.id, reader.id)).progress,
    })),
  )
  return { audits: withProgress, datasets }
}

/** Home: the audits with this reader's progress; a first visit reaches a sheet in one click [W23]. */
export function HomePage() {
  const { reader, setReader, account } = useServices()
  const isReader = account.mode === 'user' && account.user.role === 'reader'
  const [data] = useLoad(`home:${reader?.id ?? 0}`, () => loadHome(reader, !isReader))
  if (data.status === 'loading') return <main className="page" data-state="loading" />
  if (data.status === 'error')
    return (
      <main className="page">
        <p className="error-line">Cannot reach the server: {data.error}</p>
      </main>
    )
  const { audits, datasets } = data.data
  const first = audits.at(-1)
  return (
    <main className="page" data-testid="home" data-state="ready">
      {reader === null && first !== undefined && (
        <section className="welcome card">
          <h1>Review chest X-ray labels, image by image</h1>
          <p className="muted">
            Sheets of 18 films. Mark a label <span className="red-text">wrong</span> with x,{' '}
            <span className="orange-text">doubtful</span> with d; unmarked images confirm it when
            you finish the page. Give your name once, then start with “{first.audit.name}”.
          </p>
          <ReaderForm
            onReader={setReader}
            submitLabel={`Start reviewing “${first.audit.name}”`}
            after={() => go(continueHref(first.audit, null))}
          />
        </section>
      )}
      <div className="page-head">
        <h1>Audits</h1>
        <a className="button" href={href.newAudit()}>
          New audit
        </a>
      </div>
      {audits.length === 0 && (
        <p className="muted">
          No audit yet. <a href={href.newAudit()}>Create one</a> or run{' '}
          <code>cxr-audit audit create --name N --finding Pneumothorax</code>.
        </p>
      )}
      <ul className="audit-list">
        {audits.map(({ audit, progress }) => {
          const reviewed = progress?.findings.reduce((s, f) => s + f.reviewed, 0) ?? 0
          return (
            <li
              key={audit.id}
              className="card audit-card"
              data-testid="audit-card"
              data-audit={audit.name}
            >
              <div className="audit-card-head">
                <a href={href.audit(audit.id)} className="audit-name">
                  {audit.name}
                </a>
                {audit.blinded && <span className="blinded-badge">blinded</span>}
                <span className="muted">
                  {audit.dataset} · {audit.findings.map((f) => f.name).join(', ')} · {audit.items}{' '}
                  images · seed {audit.seed}
                </span>
                <a className="small" href={href.results(audit.id)} data-testid="results-link">
                  Results
                </a>
              </div>
              {reader !== null && (
                <ProgressBar done={reviewed} total={audit.items} label="reviewed by you" />
              )}
              {reader !== null && (
                <a
                  className="button primary"
                  href={continueHref(audit, progress)}
                  data-testid="continue"
                >
                  {reviewed === 0
                    ? 'Start reviewing'
                    : reviewed >= audit.items
                      ? 'Review again'
                      : 'Continue'}{' '}
                  →
                </a>
              )}
            </li>
          )
        })}
      </ul>
      {datasets.length > 0 && (
        <>
          <h2 className="section-title">Datasets</h2>
          <ul className="dataset-list">
            {datasets.map((d) => (
              <li key={d.id} className="card">
                <a href={href.dataset(d.id)}>{d.name}</a>{' '}
                <span className="muted">
                  {d.images.toLocaleString('en')} images, {d.imagesOnDisk.toLocaleString('en')} on
                  disk
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </main>
  )
}
