import { DEFAULT_TAGS } from '@cxr-audit/core'
import { useState } from 'react'
import { api, HttpError, type DatasetDto, type FindingOption } from '../api.ts'
import { Planner } from '../components/planner.tsx'
import { go, href } from '../router.ts'
import { useLoad } from './use-load.ts'

async function loadForm(
  dataset: number | null,
): Promise<{ datasets: DatasetDto[]; id: number | null; findings: FindingOption[] }> {
  const datasets = await api.datasets()
  const id = dataset ?? datasets[0]?.id ?? null
  return { datasets, id, findings: id === null ? [] : await api.findings(id) }
}

const randomSeed = (): number => crypto.getRandomValues(new Uint32Array(1))[0]! % 1_000_000

/** Create an audit: the same draw as `cxr-audit audit create` [W3]-[W8]. */
export function NewAuditPage({ dataset }: { dataset: number | null }) {
  const [data] = useLoad(`new:${dataset ?? 0}`, () => loadForm(dataset))
  const [name, setName] = useState('')
  const [picked, setPicked] = useState<string[]>([])
  const [positives, setPositives] = useState(100)
  const [negatives, setNegatives] = useState(0)
  const [seed, setSeed] = useState(() => String(randomSeed()))
  const [view, setView] = useState('')
  const [blinded, setBlinded] = useState(false)
  const [onePerPatient, setOnePerPatient] = useState(true)
  const [tags, setTags] = useState(DEFAULT_TAGS.join(', '))
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  if (data.status !== 'ready')
    return (
      <main className="page">
        {data.status === 'error' && <p className="error-line">{data.error}</p>}
      </main>
    )
  const { datasets, id, findings } = data.data
  if (id === null)
    return (
      <main className="page">
        <h1>New audit</h1>
        <p>
          No dataset yet: import one with <code>cxr-audit import cxr14 …</code>.
        </p>
      </main>
    )
  const submit = (): void => {
    setBusy(true)
    setError(null)
    api
      .createAudit({
        datasetId: id,
        name,
        findings: picked,
        positives,
        negatives,
        seed,
        filters: view === '' ? {} : { view },
        blinded,
        onePerPatient,
        tags: tags
          .split(',')
          .map((t) => t.trim())
          .filter((t) => t !== ''),
      })
      .then(({ audit }) => go(href.audit(audit.id)))
      .catch((e: unknown) => setError(e instanceof HttpError ? e.message : String(e)))
      .finally(() => setBusy(false))
  }
  return (
    <main className="page two-columns">
      <form
        className="card form"
        data-testid="new-audit"
        onSubmit={(e) => {
          e.preventDefault()
          submit()
        }}
      >
        <h1>New audit</h1>
        {datasets.length > 1 && (
          <label>
            Dataset
            <select value={id} onChange={(e) => go(href.newAudit(Number(e.target.value)))}>
              {datasets.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Name
          <input
            type="text"
            required
            maxLength={120}
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-testid="audit-name"
          />
        </label>
        <fieldset className="findings-pick">
          <legend>Findings</legend>
          {findings.map((f) => (
            <label key={f.findingId} className={f.positivesOnDisk === 0 ? 'check muted' : 'check'}>
              <input
                type="checkbox"
                checked={picked.includes(f.name)}
                onChange={(e) =>
                  setPicked(
                    e.target.checked ? [...picked, f.name] : picked.filter((x) => x !== f.name),
                  )
                }
                data-testid={`finding-${f.name}`}
              />
              {f.name}
              <span className="muted small">
                {' '}
                {f.positivesOnDisk} + / {f.negativesOnDisk} − on disk
                {f.uncertainOnDisk > 0 && (
                  <span data-testid="uncertain-on-disk" title="labelled uncertain: never drawn">
                    {' '}
                    ({f.uncertainOnDisk} uncertain, not drawn)
                  </span>
                )}
              </span>
            </label>
          ))}
        </fieldset>
        <div className="row">
          <label>
            Labelled positives per finding
            <input
              type="number"
              min={0}
              value={positives}
              onChange={(e) => setPositives(Number(e.target.value))}
              data-testid="audit-positives"
            />
          </label>
          <label>
            Labelled negatives per finding
            <input
              type="number"
              min={0}
              value={negatives}
              onChange={(e) => setNegatives(Number(e.target.value))}
              data-testid="audit-negatives"
            />
          </label>
        </div>
        <div className="row">
          <label>
            Seed (a whole number)
            <input
              type="text"
              inputMode="numeric"
              pattern="\d{1,15}"
              value={seed}
              onChange={(e) => setSeed(e.target.value)}
              data-testid="audit-seed"
            />
          </label>
          <label>
            View
            <select value={view} onChange={(e) => setView(e.target.value)}>
              <option value="">any</option>
              <option value="PA">PA</option>
              <option value="AP">AP</option>
            </select>
          </label>
        </div>
        <label className="check">
          <input
            type="checkbox"
            checked={blinded}
            onChange={(e) => setBlinded(e.target.checked)}
            data-testid="audit-blinded"
          />
          Blinded: readers do not see the original label; positives and negatives are mixed
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={onePerPatient}
            onChange={(e) => setOnePerPatient(e.target.checked)}
          />
          One image per patient
        </label>
        <label>
          Tags (keys 1-9, comma-separated)
          <input type="text" value={tags} onChange={(e) => setTags(e.target.value)} />
        </label>
        {error !== null && (
          <p className="error-line" role="alert" data-testid="audit-error">
            {error}
          </p>
        )}
        <button
          type="submit"
          className="button primary"
          disabled={busy || picked.length === 0 || name.trim() === ''}
          data-testid="audit-create"
        >
          Draw the sample
        </button>
      </form>
      <Planner onUse={setPositives} />
    </main>
  )
}
