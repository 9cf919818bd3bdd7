import { useState } from 'react'
import { api, reportUrl, type ResultsDto } from '../api.ts'
import { AccuracyTable } from '../components/accuracy-table.tsx'
import { AgreementTable } from '../components/agreement-table.tsx'
import { ForestPlot } from '../components/forest-plot.tsx'
import { LabelIssueTable } from '../components/label-issue-table.tsx'
import { ReadingTable } from '../components/reading-table.tsx'
import { SubgroupResults, byLabel } from '../components/subgroup-results.tsx'
import { href } from '../router.ts'
import { useLoad } from './use-load.ts'

const BY = ['view', 'sex', 'age-band', 'split'] as const

/**
 * An audit's results [W24]-[W28]: how often its labels were right per finding, with intervals,
 * the forest plot, per-subgroup accuracy, agreement between its readers, the sample, and the
 * report to download. The numbers are `labelAccuracy` and `readerAgreement` of the store.
 */
export function ResultsPage({ id }: { id: number }) {
  const [reader, setReader] = useState('')
  const [by, setBy] = useState('')
  const [ci, setCi] = useState('wilson')
  const key = `results:${id}:${reader}:${by}:${ci}`
  const [data] = useLoad(key, () =>
    api
      .results(id, { ...(reader === '' ? {} : { reader }), ...(by === '' ? {} : { by }), ci })
      .then((d) => ({ key, d })),
  )
  if (data.status === 'loading') return <main className="page" data-state="loading" />
  if (data.status === 'error')
    return (
      <main className="page" data-state="error">
        <p className="error-line">{data.error}</p>
        <a href={href.audit(id)}>Back to the audit</a>
      </main>
    )
  const r = data.data.d
  const a = r.audit
  const fresh = data.data.key === key
  return (
    <main
      className="page results-page"
      data-testid="results-page"
      data-state={fresh ? 'ready' : 'loading'}
    >
      <div className="page-head">
        <div>
          <a className="muted small" href={href.audit(a.id)}>
            ← {a.name}
          </a>
          <h1>Results</h1>
        </div>
        {r.accuracy !== null && (
          <div className="button-row">
            <a
              className="button"
              href={reportUrl(a.id, 'html', r.reader ?? undefined)}
              download
              data-testid="report-html"
            >
              Download report (HTML)
            </a>
            <a
              className="button"
              href={reportUrl(a.id, 'pdf', r.reader ?? undefined)}
              download
              data-testid="report-pdf"
            >
              PDF
            </a>
            <a
              className="button"
              href={reportUrl(a.id, 'zip', r.reader ?? undefined)}
              download
              data-testid="report-zip"
              title="Every table as CSV and LaTeX, every figure as SVG and PDF"
            >
              Tables &amp; figures (ZIP)
            </a>
          </div>
        )}
      </div>
      <p className="muted">
        {a.dataset} · audit “{a.name}” · seed {a.seed}
        {a.blinded ? ' · blinded' : ''} · {a.readers.length}{' '}
        {a.readers.length === 1 ? 'reader' : 'readers'}
      </p>
      <Controls
        r={r}
        reader={reader}
        setReader={setReader}
        by={by}
        setBy={setBy}
        ci={ci}
        setCi={setCi}
      />
      {r.notes.length > 0 && (
        <ul className="notes" data-testid="results-notes">
          {r.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      {r.accuracy !== null && (
        <>
          {r.accuracy.labelIssues.length > 0 && (
            <section className="card section" data-testid="label-issue-review">
              <h2>Flagged labels confirmed wrong</h2>
              <p className="muted small">
                The labels model “{r.accuracy.labelIssues[0]!.model}” flagged as likely wrong
                (confident learning, {r.accuracy.labelIssues[0]!.filter}, ranked by{' '}
                {r.accuracy.labelIssues[0]!.rank}), as the reader judged them. Precision of the
                flag: the share of judged flags whose label the reader found wrong;{' '}
                {r.accuracy.ci === 'wilson' ? 'Wilson' : 'Clopper-Pearson'} 95% intervals.
              </p>
              <LabelIssueTable rows={r.accuracy.labelIssues} />
            </section>
          )}
          <section className="card section">
            <h2>How often the labels were right</h2>
            <p className="muted small">
              Verdicts of{' '}
              {r.accuracy.consensus
                ? `the majority of ${r.accuracy.readers.join(', ')} (ties uncertain)`
                : r.accuracy.reader}
              ; {r.accuracy.ci === 'wilson' ? 'Wilson' : 'Clopper-Pearson'} 95% intervals. PPV:
              share of positive labels the reader confirmed; NPV: share of negative labels the
              reader found negative; uncertain verdicts count only in the lenient PPV.
            </p>
            <p className="muted small" data-testid="unfinished-images">
              {unfinishedText(r.accuracy.unfinishedImages)}
            </p>
            <AccuracyTable rows={r.accuracy.findings} />
            {r.accuracy.noCounterpart.map((n) => (
              <p key={n.finding} className="muted small">
                {n.finding}: {n.reason}
              </p>
            ))}
          </section>
          <section className="card section">
            <h2>PPV against the published text-mining precision</h2>
            <ForestPlot rows={r.accuracy.findings} />
          </section>
          {r.accuracy.by !== null && (
            <section className="section">
              <h2>By {byLabel(r.accuracy.by)}</h2>
              <SubgroupResults rows={r.accuracy.findings} by={r.accuracy.by} />
            </section>
          )}
        </>
      )}
      {r.agreement !== null && (
        <section className="card section">
          <h2>Agreement between readers</h2>
          <AgreementTable a={r.agreement} />
        </section>
      )}
      <section className="card section" data-testid="reading-conditions">
        <h2>Reading conditions</h2>
        <ReadingTable r={r.readingConditions} />
      </section>
      <Sample r={r} />
    </main>
  )
}

function Controls(p: {
  r: ResultsDto
  reader: string
  setReader: (v: string) => void
  by: string
  setBy: (v: string) => void
  ci: string
  setCi: (v: string) => void
}) {
  const readers = p.r.audit.readers
  return (
    <div className="controls">
      <label>
        Verdicts of
        <select
          value={p.reader}
          onChange={(e) => p.setReader(e.target.value)}
          data-testid="results-reader"
          disabled={readers.length === 0}
        >
          <option value="">
            {readers.length > 1
              ? readers.length === 2
                ? 'consensus of both readers'
                : `consensus of all ${readers.length} readers`
              : (readers[0] ?? 'nobody yet')}
          </option>
          {readers.length > 1 &&
            readers.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
        </select>
      </label>
      <label>
        Subgroups
        <select value={p.by} onChange={(e) => p.setBy(e.target.value)} data-testid="results-by">
          <option value="">none</option>
          {BY.map((b) => (
            <option key={b} value={b}>
              {b}
            </option>
          ))}
          {p.r.tags.map((t) => (
            <option key={t} value={`tag:${t}`}>
              tag: {t}
            </option>
          ))}
        </select>
      </label>
      <label>
        Intervals
        <select value={p.ci} onChange={(e) => p.setCi(e.target.value)}>
          <option value="wilson">Wilson</option>
          <option value="clopper-pearson">Clopper-Pearson (exact)</option>
        </select>
      </label>
    </div>
  )
}

/** The sample the audit drew [W27]: per finding, by original label, and the seed. */
function Sample({ r }: { r: ResultsDto }) {
  const a = r.audit
  return (
    <section className="card section">
      <h2>Sample</h2>
      <table className="table compact" data-testid="sample-table">
        <thead>
          <tr>
            <th>finding</th>
            <th className="num">images drawn</th>
            <th className="num">labelled positive</th>
            <th className="num">labelled negative</th>
            <th className="num">label uncertain</th>
          </tr>
        </thead>
        <tbody>
          {a.sample.map((s) => (
            <tr key={s.finding}>
              <td>{s.finding}</td>
              <td className="num">{s.items}</td>
              <td className="num">{s.labelledPositive}</td>
              <td className="num">{s.labelledNegative}</td>
              <td className="num">{s.labelledUncertain}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">
        Seed {a.seed}: the same seed and the same images on disk draw the same sample. Created{' '}
        {new Date(a.createdAt).toLocaleString()}. Readers: {a.readers.join(', ') || 'none yet'}.
      </p>
    </section>
  )
}

/** [L25]: films on pages the reader has not finished are left out, and the page says so. */
export function unfinishedText(n: number): string {
  return n === 0
    ? 'Unfinished pages: none (every counted film is on a finished page).'
    : `Unfinished pages: ${n} film${n === 1 ? '' : 's'} left out until the reader finishes their page.`
}
