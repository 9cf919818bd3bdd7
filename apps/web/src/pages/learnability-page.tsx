import { api, thumbnailUrl, type ClusterRunDto, type LabelIssueQueueDto } from '../api.ts'
import { ProbePlot } from '../components/probe-plot.tsx'
import { interval, num, pct } from '../format.ts'
import { href } from '../router.ts'
import { useLoad } from './use-load.ts'

/** Films shown per cluster strip (the audit holds the rest). */
const STRIP = 12

/**
 * The learnability page of a dataset [KC6]: the linear probes beside their shuffled-label
 * nulls, the label-issue queues with how many flags readers confirmed, and the hidden
 * subgroups as strips of thumbnails, each opening its review sheet.
 */
export function LearnabilityPage({ id }: { id: number }) {
  const [data] = useLoad(`learnability:${id}`, () => api.learnability(id))
  if (data.status === 'loading') return <main className="page">Loading the lab…</main>
  if (data.status === 'error')
    return (
      <main className="page">
        <p className="error-line">{data.error}</p>
      </main>
    )
  const d = data.data
  return (
    <main className="page" data-testid="learnability-page">
      <div className="page-head">
        <h1>Learnability · {d.dataset.name}</h1>
        <span className="actions">
          <a className="button" href={href.dataset(d.dataset.id)}>
            Dataset
          </a>
        </span>
      </div>
      <section className="card" data-testid="probes">
        <h2>Linear probes and the shuffled-label null</h2>
        {d.probes.length === 0 ? (
          <p className="muted">
            No probe yet: run <code>cxr-audit probe --finding F</code> and{' '}
            <code>cxr-audit probe --finding F --shuffle-labels</code>.
          </p>
        ) : (
          <>
            <ProbePlot pairs={d.probes} />
            <table className="table" data-testid="probe-table">
              <thead>
                <tr>
                  <th>Finding</th>
                  <th>Negatives</th>
                  <th className="num">Films</th>
                  <th className="num">Positives</th>
                  <th className="num">AUC (95% CI)</th>
                  <th className="num">Training AUC</th>
                  <th className="num">Null AUC (95% CI)</th>
                  <th className="num">Null training AUC</th>
                  <th>Notes</th>
                </tr>
              </thead>
              <tbody>
                {d.probes.map((p) => (
                  <tr
                    key={`${p.finding}:${p.negatives}:${p.folds}:${p.embeddingModel}`}
                    data-finding={p.finding}
                    data-negatives={p.negatives}
                  >
                    <td>{p.finding}</td>
                    <td>{p.negatives}</td>
                    <td className="num">{(p.real ?? p.shuffled)?.n.toLocaleString('en')}</td>
                    <td className="num">
                      {(p.real ?? p.shuffled)?.positives.toLocaleString('en')}
                    </td>
                    <td className="num" data-cell="auc">
                      {p.real === null
                        ? '–'
                        : `${num(p.real.auc)} ${interval(p.real.aucLow, p.real.aucHigh, 'num')}`}
                    </td>
                    <td className="num">{num(p.real?.trainAuc)}</td>
                    <td className="num" data-cell="null-auc">
                      {p.shuffled === null
                        ? '–'
                        : `${num(p.shuffled.auc)} ${interval(p.shuffled.aucLow, p.shuffled.aucHigh, 'num')}`}
                    </td>
                    <td className="num">{num(p.shuffled?.trainAuc)}</td>
                    <td className="muted small">
                      {[
                        p.real?.warning,
                        p.shuffled?.warning,
                        p.real?.model && `saved as model ${p.real.model}`,
                      ]
                        .filter(Boolean)
                        .join(' ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
      <section className="card" data-testid="queues">
        <h2>Label-issue queues</h2>
        {d.labelIssues.length === 0 ? (
          <p className="muted">
            No queue yet: run <code>cxr-audit label-issues --model NAME --audit NAME</code>.
          </p>
        ) : (
          <Queues queues={d.labelIssues} />
        )}
      </section>
      <section className="card" data-testid="clusters">
        <h2>Hidden subgroups</h2>
        {d.clusters.length === 0 ? (
          <p className="muted">
            No cluster run yet: run <code>cxr-audit clusters --finding F --k K --audit NAME</code>.
          </p>
        ) : (
          d.clusters.map((run) => <Clusters key={`${run.name}:${run.finding}`} run={run} />)
        )}
      </section>
    </main>
  )
}

function Queues({ queues }: { queues: readonly LabelIssueQueueDto[] }) {
  return (
    <table className="table" data-testid="queue-table">
      <thead>
        <tr>
          <th>Audit</th>
          <th>Finding</th>
          <th>Model · filter · rank</th>
          <th className="num">Flagged</th>
          <th>Reader</th>
          <th className="num">Judged</th>
          <th className="num">Confirmed wrong</th>
          <th className="num">Confirmation rate (95% CI)</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {queues.flatMap((q) => {
          const open =
            q.findingId === null ? null : (
              <a className="button small" href={href.sheet(q.auditId, q.findingId, 0)}>
                Review →
              </a>
            )
          const head = (
            <>
              <td>{q.audit}</td>
              <td>{q.finding}</td>
              <td className="muted small">
                {q.model} · {q.filter} · {q.rank}
              </td>
              <td className="num">
                {q.flagged} <span className="muted small">of {q.issues}</span>
              </td>
            </>
          )
          if (q.reviews.length === 0)
            return [
              <tr key={`${q.auditId}:${q.finding}`} data-queue={`${q.audit}:${q.finding}`}>
                {head}
                <td className="muted">not reviewed yet</td>
                <td className="num">0</td>
                <td className="num">–</td>
                <td className="num">–</td>
                <td>{open}</td>
              </tr>,
            ]
          return q.reviews.map((r) => (
            <tr
              key={`${q.auditId}:${q.finding}:${r.reader}`}
              data-queue={`${q.audit}:${q.finding}`}
              data-reader={r.reader}
            >
              {head}
              <td>{r.reader}</td>
              <td className="num" data-cell="judged">
                {r.judged}
              </td>
              <td className="num" data-cell="confirmed-wrong">
                {r.confirmedWrong}
              </td>
              <td className="num" data-cell="confirmation-rate">
                {pct(r.precision)} {interval(r.precisionLow, r.precisionHigh)}
              </td>
              <td>{open}</td>
            </tr>
          ))
        })}
      </tbody>
    </table>
  )
}

function Clusters({ run }: { run: ClusterRunDto }) {
  return (
    <div className="cluster-run" data-run={run.name}>
      <h3>
        {run.name}: {run.finding}, k = {run.k}, seed {run.seed}
        {run.model !== null && <span className="muted small"> · model {run.model}</span>}
      </h3>
      {run.clusters.map((c) => {
        const rate = c.auc ?? c.sensitivity
        return (
          <div key={c.auditId} className="cluster" data-cluster={c.cluster}>
            <div className="small">
              <strong>Cluster {c.cluster}</strong> · {c.size} films ({c.positives} positive)
              {rate !== null && rate.value !== null && (
                <>
                  {' '}
                  · {c.auc !== null ? 'AUC' : 'sensitivity'}{' '}
                  {c.auc !== null ? num(rate.value) : pct(rate.value)}{' '}
                  {interval(rate.low, rate.high, c.auc !== null ? 'num' : 'pct')}
                </>
              )}
              {c.tags.length > 0 && (
                <span className="muted">
                  {' '}
                  · tags:{' '}
                  {c.tags
                    .slice(0, 4)
                    .map((t) => `${t.tag} ${t.films}`)
                    .join(', ')}
                </span>
              )}{' '}
              {c.findingId !== null && (
                <a className="button small" href={href.sheet(c.auditId, c.findingId, 0)}>
                  Review sheet →
                </a>
              )}
            </div>
            <div className="cluster-strip" data-testid="cluster-strip">
              {c.images.slice(0, STRIP).map((image) => (
                <img key={image} src={thumbnailUrl(image)} alt="" loading="lazy" />
              ))}
            </div>
          </div>
        )
      })}
    </div>
  )
}
