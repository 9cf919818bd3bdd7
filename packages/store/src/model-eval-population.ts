import {
  modelPopulationFigures,
  type FindingReport,
  type ModelPopulationAudit,
  type ModelPopulationSummary,
  type ReaderSpec,
} from '@cxr-audit/core'
import type { FindingRow } from './datasets.ts'
import { loadJudgedWithPages, resolveReaders } from './label-data.ts'
import {
  POPULATION_BOOTSTRAP_METHOD,
  designedAudits,
  leftOutOf,
  leftOutTotal,
  usableAudits,
  weightJudged,
  type PopulationLeftOut,
} from './label-population.ts'
import type { ModelData } from './model-data.ts'
import type { Db } from './store.ts'
import { currentVerdicts } from './verdicts.ts'

export const MODEL_POPULATION_METHOD =
  "Horvitz-Thompson weights of each random audit's design (1 / inclusion probability, times drawn / judged in the stratum); weighted Mann-Whitney AUC (= sklearn roc_auc_score with sample_weight); weighted sensitivity and specificity at the evaluation's threshold; films with an uncertain verdict or no score left out"

/**
 * `eval --against READER --population` [M48]: per finding and random audit, the model's AUC,
 * sensitivity and specificity against the reader, reweighted to the films the audit was drawn
 * from, with stratified bootstrap intervals. `--split` and `--negatives` do not narrow it: the
 * audit's design defines the population.
 */
export async function modelPopulation(
  db: Db,
  data: ModelData,
  spec: ReaderSpec,
  findings: readonly FindingReport[],
  rows: readonly FindingRow[],
  o: { readonly seed: number; readonly replicates: number; readonly confidence: number },
): Promise<{ perFinding: Map<string, ModelPopulationAudit[]>; summary: ModelPopulationSummary }> {
  const { readers } = await resolveReaders(db, spec)
  const designs = await designedAudits(db, data.dataset.id)
  const verdicts = await currentVerdicts(db, {
    readerIds: readers.map((r) => r.id),
    findingIds: rows.map((f) => f.id),
  })
  const perFinding = new Map<string, ModelPopulationAudit[]>()
  const left: PopulationLeftOut[] = []
  for (const report of findings) {
    const f = rows.find((r) => r.name === report.finding)!
    const scores = data.scores(f)
    const used = new Set<number>()
    const out: ModelPopulationAudit[] = []
    for (const { audit, items } of usableAudits(designs, verdicts, f.id)) {
      const loaded = await loadJudgedWithPages(db, {
        readers,
        findings: [f],
        allFindings: data.findings,
        auditId: audit.id,
      })
      const { weighted } = weightJudged(loaded.judged, items, f.id)
      const scored = weighted.flatMap((j) => {
        const i = data.images.indexOf.get(j.imageId)
        const score = i === undefined ? Number.NaN : scores[i]!
        if (j.verdict === 'uncertain' || Number.isNaN(score)) return []
        return [
          {
            stratum: j.stratum,
            truth: j.verdict === 'present' ? 1 : 0,
            score,
            weight: j.weight,
            imageId: j.imageId,
          },
        ]
      })
      if (scored.length === 0) continue
      for (const j of scored) used.add(j.imageId)
      out.push({
        auditId: audit.id,
        audit: audit.name,
        films: scored.length,
        ...modelPopulationFigures(scored, report.operatingPoint?.threshold ?? null, o),
      })
    }
    perFinding.set(f.name, out)
    left.push(leftOutOf(f, verdicts, designs, used))
  }
  const t = leftOutTotal(left)
  return {
    perFinding,
    summary: {
      method: MODEL_POPULATION_METHOD,
      bootstrap: { method: POPULATION_BOOTSTRAP_METHOD, ...o },
      leftOut: t,
      leftOutText: `Left out of the population figures: ${t.drawnByScore} film${t.drawnByScore === 1 ? '' : 's'} drawn by model score (label-issue audits, error galleries) or embedding clusters, ${t.designNotRecorded} from audits whose design is not recorded, ${t.notInAudit} judged outside any audit.`,
    },
  }
}
