import { GALLERY_CELLS } from '@cxr-audit/core'
import { api } from '../api.ts'
import { interval, pct } from '../format.ts'
import { useLoad } from '../pages/use-load.ts'

/**
 * Galleries after review [W37]: once the TP, FP, TN and FN galleries of a finding are reviewed,
 * the model's call against the reader's verdict with the model's PPV and NPV against the reader
 * (95% Wilson); the same `galleryCallTables` the report prints.
 */
export function GalleryReview({ modelId }: { modelId: number }) {
  const [data] = useLoad(`gallery-review:${modelId}`, () => api.galleryReview(modelId))
  return (
    <section
      className="card section"
      data-testid="gallery-review"
      data-state={data.status === 'ready' ? 'ready' : data.status}
    >
      <h2>Galleries after review</h2>
      {data.status === 'error' && <p className="error-line">{data.error}</p>}
      {data.status === 'ready' && data.data.tables.length === 0 && (
        <p className="muted">
          No gallery of this model yet: open one with the TP, FP, TN or FN buttons.
        </p>
      )}
      {data.status === 'ready' &&
        data.data.tables.map((t) => {
          const key = `${t.finding}:${t.threshold}`
          if (!t.complete) {
            const missing = GALLERY_CELLS.filter((c) => !t.reviewed.includes(c))
            return (
              <p
                key={key}
                className="muted"
                data-testid="gallery-review-pending"
                data-finding={t.finding}
              >
                {t.finding} at threshold {t.threshold.toFixed(4)}: review the{' '}
                {missing.map((c) => c.toUpperCase()).join(', ')}{' '}
                {missing.length === 1 ? 'gallery' : 'galleries'} to see the model against the
                reader.
              </p>
            )
          }
          const row = (
            label: string,
            r: typeof t.calledPositive,
            value: string,
            ci: string,
            testid: string,
          ) => (
            <tr data-testid={testid}>
              <th scope="row">{label}</th>
              <td className="num">{r.present}</td>
              <td className="num">{r.absent}</td>
              <td className="num">{r.uncertain}</td>
              <td className="num" data-testid="value">
                {value} <span className="muted">{ci}</span>
              </td>
            </tr>
          )
          return (
            <div key={key} data-testid="gallery-call-table" data-finding={t.finding}>
              <h3>
                {t.finding} at threshold {t.threshold.toFixed(4)}
              </h3>
              <table className="table stats-table">
                <thead>
                  <tr>
                    <th>model called</th>
                    <th className="num">reader: present</th>
                    <th className="num">absent</th>
                    <th className="num">uncertain</th>
                    <th className="num">against the reader (95% Wilson)</th>
                  </tr>
                </thead>
                <tbody>
                  {row(
                    'positive (TP + FP galleries)',
                    t.calledPositive,
                    `PPV ${pct(t.ppv)}`,
                    interval(t.ppvLow, t.ppvHigh),
                    'called-positive',
                  )}
                  {row(
                    'negative (TN + FN galleries)',
                    t.calledNegative,
                    `NPV ${pct(t.npv)}`,
                    interval(t.npvLow, t.npvHigh),
                    'called-negative',
                  )}
                </tbody>
              </table>
            </div>
          )
        })}
      <p className="muted small">
        Over the reviewed gallery films as drawn: each gallery is a sample of its cell, not weighted
        by the cell&apos;s size, so these describe the films reviewed. Uncertain verdicts are left
        out of PPV and NPV; unfinished pages do not count.
      </p>
    </section>
  )
}
