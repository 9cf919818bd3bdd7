import type { GalleryCell, ModelEvalReport } from '@cxr-audit/core'
import type { ModelEvalDto } from '../api.ts'
import { num, pct } from '../format.ts'
import { RocCurve } from './roc-curve.tsx'

const CELLS: readonly { cell: GalleryCell; label: string; title: string }[] = [
  {
    cell: 'tp',
    label: 'TP',
    title: 'true positives: labelled positive, scored at or above the threshold',
  },
  {
    cell: 'fp',
    label: 'FP',
    title: 'false positives: labelled negative, scored at or above the threshold',
  },
  {
    cell: 'tn',
    label: 'TN',
    title: 'true negatives: labelled negative, scored below the threshold',
  },
  {
    cell: 'fn',
    label: 'FN',
    title: 'false negatives: labelled positive, scored below the threshold',
  },
]

/**
 * Per finding [W29][W30]: the ROC curve, the model at the chosen threshold (against the original
 * labels), and the four error galleries, each opened as a review sheet in one click.
 */
export function OperatingPoints({
  report,
  roc,
  busy,
  onGallery,
}: {
  report: ModelEvalReport
  roc: ModelEvalDto['roc']
  busy: string | null
  onGallery: (finding: string, cell: GalleryCell) => void
}) {
  return (
    <div className="op-grid" data-testid="operating-points">
      {report.findings.map((f) => {
        const op = f.operatingPoint
        const curve = roc?.find((c) => c.finding === f.finding)
        const counts: Record<GalleryCell, number> = {
          tp: op?.tp ?? 0,
          fp: op?.fp ?? 0,
          tn: op?.tn ?? 0,
          fn: op?.fn ?? 0,
        }
        return (
          <section
            key={f.finding}
            className="card op-card"
            data-testid="op-card"
            data-finding={f.finding}
          >
            <h3>
              {f.finding} <span className="muted small">AUC {num(f.auc)}</span>
            </h3>
            <div className="op-body">
              {curve !== undefined && (
                <RocCurve
                  finding={f.finding}
                  fpr={curve.fpr}
                  tpr={curve.tpr}
                  point={
                    op === null || op.sensitivity === null || op.specificity === null
                      ? null
                      : { fpr: 1 - op.specificity, tpr: op.sensitivity }
                  }
                />
              )}
              {op === null ? (
                <p className="muted small">No threshold: {f.reason ?? 'one class only'}.</p>
              ) : (
                <dl className="op-numbers">
                  <dt>threshold</dt>
                  <dd>{num(op.threshold, 4)}</dd>
                  <dt>sensitivity</dt>
                  <dd>{pct(op.sensitivity)}</dd>
                  <dt>specificity</dt>
                  <dd>{pct(op.specificity)}</dd>
                  <dt>PPV</dt>
                  <dd>{pct(op.ppv)}</dd>
                  <dt>NPV</dt>
                  <dd>{pct(op.npv)}</dd>
                </dl>
              )}
            </div>
            <div
              className="gallery-buttons"
              role="group"
              aria-label={`error galleries of ${f.finding}`}
            >
              {CELLS.map(({ cell, label, title }) => (
                <button
                  key={cell}
                  type="button"
                  className={`button small cell-${cell}`}
                  title={`Review 18 ${title}`}
                  disabled={busy !== null || op === null || counts[cell] === 0}
                  onClick={() => onGallery(f.finding, cell)}
                  data-testid={`gallery-${cell}`}
                >
                  {busy === `${f.finding}:${cell}` ? 'Opening…' : label}{' '}
                  <span className="count">{counts[cell].toLocaleString('en')}</span>
                </button>
              ))}
            </div>
          </section>
        )
      })}
    </div>
  )
}
