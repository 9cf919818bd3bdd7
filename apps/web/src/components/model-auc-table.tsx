import type { FindingReport, ModelEvalReport, PublishedAucSource } from '@cxr-audit/core'
import { interval, num, signed } from '../format.ts'

/** A truth's evaluation, or why there is none. */
export type TruthEval =
  | { readonly against: string; readonly report: ModelEvalReport }
  | { readonly against: string; readonly error: string }

const PUBLISHED: Record<PublishedAucSource, string> = {
  wang2017: 'Wang 2017',
  yao2017: 'Yao 2017',
  chexnet2017: 'CheXNet 2017',
  wang2017_official_split: 'Wang, official split',
}
const SOURCES = Object.keys(PUBLISHED) as PublishedAucSource[]

function Auc({ f }: { f: Pick<FindingReport, 'auc' | 'aucLow' | 'aucHigh' | 'reason'> }) {
  if (f.auc === null) return <span className="muted">undefined ({f.reason ?? 'no data'})</span>
  return (
    <>
      <strong className="prop">{num(f.auc)}</strong>{' '}
      <span className="ci inline">{interval(f.aucLow, f.aucHigh, 'num')}</span>
    </>
  )
}

const count = (n: number, positives: number): string =>
  `${n.toLocaleString('en')} (${positives.toLocaleString('en')})`

/**
 * AUC against the original labels on every scored image, beside the published AUCs [W29]
 * (context only: the papers used other test sets and label versions).
 */
export function ModelAucTable({ original }: { original: ModelEvalReport }) {
  // only a dataset with a published table (ChestX-ray14) shows the column [DS22]
  const sources = original.findings.some((f) => f.publishedAuc !== null) ? SOURCES : []
  const rows = sources.length > 0 ? 2 : 1
  return (
    <div className="table-scroll">
      <table className="table stats-table" data-testid="auc-table">
        <thead>
          <tr>
            <th rowSpan={rows}>finding</th>
            <th rowSpan={rows} className="num">
              images (positive)
            </th>
            <th rowSpan={rows} className="num">
              AUC against the original labels (95% interval)
            </th>
            {sources.length > 0 && (
              <th colSpan={sources.length} className="group">
                published AUC
              </th>
            )}
          </tr>
          {sources.length > 0 && (
            <tr>
              {sources.map((k) => (
                <th key={k} className="num">
                  {PUBLISHED[k]}
                </th>
              ))}
            </tr>
          )}
        </thead>
        <tbody>
          {original.findings.map((f) => (
            <tr key={f.finding} data-testid="auc-row" data-finding={f.finding}>
              <td>
                {f.finding}
                {f.derivedFrom !== null && (
                  <span className="muted small"> (max of {f.derivedFrom.join(', ')})</span>
                )}
              </td>
              <td className="num">{count(f.n, f.positives)}</td>
              <td className="num">
                <Auc f={f} />
              </td>
              {sources.map((k) => (
                <td key={k} className="num muted">
                  {num(f.publishedAuc?.[k])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/**
 * Against each chosen reader, on the films that reader judged [W29]: the AUC against the
 * reader, against the original labels on the same films, and the paired bootstrap difference.
 */
export function TruthAucTable({ truths }: { truths: readonly TruthEval[] }) {
  const findings = [
    ...new Set(
      truths.flatMap((t) => ('report' in t ? t.report.findings.map((f) => f.finding) : [])),
    ),
  ]
  return (
    <>
      {truths
        .filter((t) => 'error' in t)
        .map((t) => (
          <p key={t.against} className="muted small">
            {t.against}: {'error' in t ? t.error : ''}
          </p>
        ))}
      {findings.length > 0 && (
        <div className="table-scroll">
          <table className="table stats-table" data-testid="truth-table">
            <thead>
              <tr>
                <th>finding</th>
                <th>truth</th>
                <th className="num">films (positive)</th>
                <th className="num">AUC against the reader</th>
                <th className="num">AUC against the original labels, same films</th>
                <th className="num">difference (95% interval)</th>
              </tr>
            </thead>
            <tbody>
              {findings.flatMap((name) =>
                truths.flatMap((t) => {
                  const f =
                    'report' in t ? t.report.findings.find((x) => x.finding === name) : undefined
                  if (f === undefined) return []
                  const c = f.comparison
                  return [
                    <tr
                      key={`${name}:${t.against}`}
                      data-testid="truth-row"
                      data-finding={name}
                      data-truth={t.against}
                    >
                      <td>{name}</td>
                      <td>{t.against}</td>
                      <td className="num">
                        {count(f.n, f.positives)}
                        {f.excludedUncertain > 0 && (
                          <div className="muted small">
                            {f.excludedUncertain} uncertain left out
                          </div>
                        )}
                      </td>
                      <td className="num">
                        <Auc f={f} />
                      </td>
                      <td className="num">
                        {f.original === undefined ? '–' : <Auc f={f.original} />}
                      </td>
                      <td
                        className={
                          c?.significant === true ? 'num difference significant' : 'num difference'
                        }
                      >
                        {c === undefined || c.difference === null ? (
                          <span className="muted">{c?.reason ?? '–'}</span>
                        ) : (
                          <>
                            {signed(c.difference)}{' '}
                            <span className="ci inline">{interval(c.low, c.high, 'num')}</span>
                            {c.significant === true ? ' *' : ''}
                          </>
                        )}
                      </td>
                    </tr>,
                  ]
                }),
              )}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}
