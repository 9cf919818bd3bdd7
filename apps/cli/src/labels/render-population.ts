import type { LabelPopulationReport, PopulationFinding } from '@cxr-audit/store'
import { pct, table } from '../output.ts'

const est = (e: { value: number | null; low: number | null; high: number | null }): string =>
  e.value === null ? 'not sampled' : `${pct(e.value)} (${pct(e.low)}-${pct(e.high)})`

const strata = (f: PopulationFinding): string =>
  f.strata
    .map(
      (s) =>
        `${s.stratum === 'positive' ? 'L+' : 'L-'} ${s.judged}/${s.sampleFilms} of ${s.datasetFilms ?? '?'}`,
    )
    .join(', ')

/** The `stats labels --population` table [L26]-[L28]. */
export function renderPopulation(p: LabelPopulationReport): string {
  const b = p.bootstrap
  const out = [
    '',
    `Population estimates (whole dataset, reweighted by each random audit's design; ${Math.round(b.confidence * 100)}% stratified bootstrap intervals, ${b.replicates} replicates, seed ${b.seed}):`,
  ]
  if (p.findings.length === 0)
    out.push('No verdicts of this reader in a random audit with a recorded design.')
  else
    out.push(
      table(
        [
          'finding',
          'audit',
          'strata judged/drawn of films',
          'prevalence',
          'sens',
          'spec',
          'PPV',
          'NPV',
        ],
        p.findings.map((f) => [
          f.finding,
          `${f.auditId} "${f.audit}"`,
          strata(f),
          est(f.prevalence),
          est(f.sensitivity),
          est(f.specificity),
          est(f.ppv),
          est(f.npv),
        ]),
      ),
    )
  const t = p.leftOutTotal
  out.push(
    `Left out of the population figures: ${t.drawnByScore} film${t.drawnByScore === 1 ? '' : 's'} drawn by model score (label-issue audits, error galleries, clusters), ${t.designNotRecorded} from audits whose design is not recorded, ${t.notInAudit} judged outside any audit.`,
  )
  return out.join('\n')
}
