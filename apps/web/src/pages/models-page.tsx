import type { GalleryCell } from '@cxr-audit/core'
import { useState } from 'react'
import { api, type ModelPageDto } from '../api.ts'
import { GalleryReview } from '../components/gallery-review.tsx'
import {
  IntervalNote,
  IntervalPicker,
  clusterOf,
  type IntervalChoice,
} from '../components/interval-choice.tsx'
import { ModelAucTable, TruthAucTable, type TruthEval } from '../components/model-auc-table.tsx'
import { OperatingPoints } from '../components/operating-points.tsx'
import { ReaderForm } from '../components/reader-form.tsx'
import { StratificationTable } from '../components/stratification-table.tsx'
import { TruthPicker } from '../components/truth-picker.tsx'
import { ThresholdPicker } from '../components/threshold-picker.tsx'
import { go, href } from '../router.ts'
import { useServices } from '../services.tsx'
import { useLoad } from './use-load.ts'

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e))

async function loadPage(id: number | null): Promise<ModelPageDto | null> {
  const first = id ?? (await api.models())[0]?.id
  return first === undefined ? null : api.model(first)
}

async function loadTruths(
  id: number,
  picked: readonly string[],
  interval: IntervalChoice,
): Promise<TruthEval[]> {
  return Promise.all(
    picked.map((against) =>
      api
        .modelEval(id, { against, compare: true, ...clusterOf(interval) })
        .then((d): TruthEval => ({ against, report: d.report }))
        .catch((e: unknown): TruthEval => ({ against, error: message(e) })),
    ),
  )
}

/** The models of a dataset and one model's audit [W29]-[W31]. */
export function ModelsPage({ id }: { id: number | null }) {
  const [page] = useLoad(`model-page:${id ?? 0}`, () => loadPage(id))
  if (page.status === 'loading') return <main className="page" data-state="loading" />
  if (page.status === 'error')
    return (
      <main className="page">
        <p className="error-line">{page.error}</p>
      </main>
    )
  if (page.data === null)
    return (
      <main className="page" data-testid="models-page">
        <h1>Models</h1>
        <p className="muted">
          No model yet. Import a model&apos;s predictions with{' '}
          <code>cxr-audit import predictions --file preds.csv --model NAME</code>.
        </p>
      </main>
    )
  return <ModelView key={page.data.model.id} page={page.data} />
}

function ModelView({ page }: { page: ModelPageDto }) {
  const { reader, setReader } = useServices()
  const m = page.model
  const [threshold, setThreshold] = useState('youden')
  const [interval, setIntervalChoice] = useState<IntervalChoice>('films')
  const [picked, setPicked] = useState<string[]>(() =>
    page.truths
      .filter((t) => t.suggested)
      .slice(0, 3)
      .map((t) => t.against),
  )
  const [by, setBy] = useState('view')
  const [onlyFlagged, setOnlyFlagged] = useState(false)
  const [seed, setSeed] = useState(1)
  const [busy, setBusy] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const oKey = `eval:${m.id}:${threshold}:${interval}`
  const [orig] = useLoad(oKey, () =>
    api
      .modelEval(m.id, { threshold, curves: true, ...clusterOf(interval) })
      .then((d) => ({ key: oKey, d })),
  )
  const tKey = `truths:${m.id}:${picked.join('\u0000')}:${interval}`
  const [truths] = useLoad(tKey, () =>
    loadTruths(m.id, picked, interval).then((d) => ({ key: tKey, d })),
  )
  const sKey = `strat:${m.id}:${by}:${threshold}:${interval}`
  const [strat] = useLoad(sKey, () =>
    api
      .modelEval(m.id, { by: [by], threshold, ...clusterOf(interval) })
      .then((d) => ({ key: sKey, d })),
  )
  const state = (l: typeof orig | typeof truths | typeof strat, key: string): string =>
    l.status === 'ready' ? (l.data.key === key ? 'ready' : 'loading') : l.status

  const openGallery = (finding: string, cell: GalleryCell): void => {
    if (reader === null) {
      setError('Give your name first: a gallery is a review audit, opened in your name.')
      return
    }
    setBusy(`${finding}:${cell}`)
    setError(null)
    api
      .createGallery(m.id, { readerId: reader.id, finding, cell, threshold, seed })
      .then((a) => {
        if (a.sheet === null) setError(a.report.galleries.flatMap((g) => g.notes).join('; '))
        else go(href.sheet(a.sheet.auditId, a.sheet.findingId, a.sheet.page))
      })
      .catch((e: unknown) => setError(message(e)))
      .finally(() => setBusy(null))
  }

  return (
    <main className="page models-page" data-testid="models-page" data-model={m.name}>
      <div className="page-head">
        <div>
          <h1>Model “{m.name}”</h1>
          <p className="muted">
            {m.dataset}
            {m.file !== null ? ` · ${m.file}` : ''} · {m.findings.length} findings scored · imported{' '}
            {new Date(m.createdAt).toLocaleDateString()}
            {orig.status === 'ready'
              ? ` · ${orig.data.d.report.images.toLocaleString('en')} images`
              : ''}
          </p>
        </div>
        {page.models.length > 1 && (
          <nav className="chips" aria-label="models of this dataset">
            {page.models.map((x) => (
              <a
                key={x.id}
                className={x.id === m.id ? 'chip active' : 'chip'}
                href={href.models(x.id)}
              >
                {x.name}
              </a>
            ))}
          </nav>
        )}
      </div>

      <section className="card section" data-state={state(orig, oKey)} data-testid="auc-section">
        <h2>AUC per finding</h2>
        <IntervalPicker value={interval} onChange={setIntervalChoice} />
        {orig.status === 'error' && <p className="error-line">{orig.error}</p>}
        {orig.status === 'loading' && <p className="muted">Computing AUCs and intervals…</p>}
        {orig.status === 'ready' && <ModelAucTable original={orig.data.d.report} />}
        {orig.status === 'ready' && <IntervalNote report={orig.data.d.report} />}
        <p className="muted small">
          Every image the model scored. Published AUCs used other test sets and label versions:
          context, not a benchmark.
        </p>
      </section>

      <section
        className="card section"
        data-state={state(truths, tKey)}
        data-testid="truth-section"
      >
        <h2>Against what readers saw, on the same films</h2>
        <TruthPicker truths={page.truths} picked={picked} setPicked={setPicked} />
        {truths.status === 'loading' && <p className="muted">Computing…</p>}
        {truths.status === 'ready' && <TruthAucTable truths={truths.data.d} />}
        <p className="muted small">
          Only the films each reader judged count (uncertain verdicts left out); beside it, the
          original labels on exactly those films, and the difference with a paired bootstrap
          interval over {interval === 'patient' ? 'patients' : 'films'} (* the interval excludes 0).
        </p>
      </section>

      <section
        className="card section"
        data-state={state(orig, oKey)}
        data-testid="gallery-section"
      >
        <h2>Threshold and error galleries</h2>
        <div className="controls">
          <ThresholdPicker value={threshold} onChange={setThreshold} />
          <label>
            Gallery seed
            <input
              type="number"
              min={0}
              value={seed}
              onChange={(e) => setSeed(Math.max(0, Math.floor(Number(e.target.value) || 0)))}
            />
          </label>
        </div>
        <p className="muted small">
          Against the original labels. Each button opens 18 films of that cell, drawn with the seed,
          as a review audit: are the “true” positives really positive, are the false positives label
          errors?
        </p>
        {reader === null && <ReaderForm onReader={setReader} submitLabel="Save my name" />}
        {error !== null && (
          <p className="error-line" data-testid="gallery-error">
            {error}
          </p>
        )}
        {orig.status === 'ready' && (
          <OperatingPoints
            report={orig.data.d.report}
            roc={orig.data.d.roc}
            busy={busy}
            onGallery={openGallery}
          />
        )}
      </section>

      <GalleryReview modelId={m.id} />

      <section className="card section" data-state={state(strat, sKey)} data-testid="strat-section">
        <h2>Hidden stratification</h2>
        <div className="controls">
          <label>
            Subgroups by
            <select value={by} onChange={(e) => setBy(e.target.value)} data-testid="strat-by">
              {['view', 'sex', 'age-band', 'split'].map((b) => (
                <option key={b} value={b}>
                  {b}
                </option>
              ))}
              {page.tags.map((t) => (
                <option key={t} value={`tag:${t}`}>
                  tag: {t}
                </option>
              ))}
            </select>
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={onlyFlagged}
              onChange={(e) => setOnlyFlagged(e.target.checked)}
            />
            only flagged subgroups
          </label>
        </div>
        <p className="muted small">
          Each subgroup against the rest of the images, by{' '}
          {interval === 'patient'
            ? 'a patient bootstrap test (patients resampled)'
            : 'DeLong’s unpaired test'}
          . Flagged when p &lt; 0.05; with many subgroups prefer the Holm-adjusted p.
        </p>
        {strat.status === 'error' && <p className="error-line">{strat.error}</p>}
        {strat.status === 'ready' && (
          <StratificationTable
            rows={strat.data.d.report.hiddenStratification}
            onlyFlagged={onlyFlagged}
          />
        )}
      </section>
    </main>
  )
}
