import type { AuditDesign, LabelPopulationReport } from '@cxr-audit/store'

/**
 * The sampling-design paragraph of the methods [R4]: reads the design as the audit stored it
 * (its plan) and says "not recorded" for every part the database does not hold. Kept in one
 * function so that a richer stored design (strata sizes in the dataset, weights) is described
 * here and nowhere else.
 */
export function samplingDesignSentences(plan: unknown, seed: string | null): string[] {
  if (plan === null || typeof plan !== 'object') {
    return [
      "Sampling design: not recorded (the verdicts were not given in an audit drawn by cxr-audit, e.g. an imported expert-label file, so the films are the readers' own selection).",
    ]
  }
  const p = plan as Record<string, unknown>
  const out: string[] = []
  const findings = Array.isArray(p['findings']) ? (p['findings'] as unknown[]).map(String) : null
  const positives = typeof p['positives'] === 'number' ? p['positives'] : null
  const negatives = typeof p['negatives'] === 'number' ? p['negatives'] : null
  out.push(
    findings === null
      ? 'Findings sampled: not recorded.'
      : `The audit drew films for ${findings.length} finding${findings.length === 1 ? '' : 's'} (${findings.join(', ')}).`,
  )
  out.push(
    positives === null && negatives === null
      ? 'Films asked for per finding: not recorded.'
      : `Per finding it asked for ${positives ?? 'an unrecorded number of'} films labelled positive and ${negatives ?? 'an unrecorded number of'} films labelled negative, each drawn at random without replacement from the films with that original label.`,
  )
  const draw = Array.isArray(p['draw']) ? (p['draw'] as Record<string, unknown>[]) : null
  if (draw === null) out.push('Stratum sizes (films available and drawn): not recorded.')
  else {
    const parts = draw.map((d) => {
      const s = (k: string): string => {
        const x = d[k] as Record<string, unknown> | undefined
        return x === undefined
          ? 'not recorded'
          : `${String(x['drawn'] ?? '?')} of ${String(x['available'] ?? '?')}`
      }
      return `${String(d['finding'])}: positives ${s('positives')}, negatives ${s('negatives')}`
    })
    out.push(`Strata (films drawn of those available): ${parts.join('; ')}.`)
  }
  out.push(
    seed === null
      ? 'Random seed: not recorded.'
      : `The draw is reproducible from seed ${seed}${typeof p['sampler'] === 'string' ? ` with the sampler ${p['sampler']}` : ''}.`,
  )
  out.push(
    typeof p['onePerPatient'] === 'boolean'
      ? p['onePerPatient']
        ? 'At most one film per patient was drawn for each finding.'
        : 'Several films of one patient could be drawn.'
      : 'One film per patient or not: not recorded.',
  )
  const filters = p['filters']
  if (filters === undefined || filters === null || typeof filters !== 'object')
    out.push('Filters: not recorded.')
  else {
    const f = filters as Record<string, unknown>
    const list = Object.entries(f).map(([k, v]) =>
      k === 'ageMin'
        ? `age at least ${String(v)}`
        : k === 'ageMax'
          ? `age at most ${String(v)}`
          : `${k} ${String(v)}`,
    )
    out.push(
      list.length === 0
        ? 'No filter restricted the films eligible.'
        : `Only films with ${list.join(', ')} were eligible.`,
    )
  }
  return out
}

const pc = (x: number | null): string => (x === null ? 'not sampled' : `${(x * 100).toFixed(1)}%`)
const ci = (e: { value: number | null; low: number | null; high: number | null }): string =>
  e.value === null ? 'not sampled' : `${pc(e.value)} (${pc(e.low)}-${pc(e.high)})`

/**
 * The design as recorded (#11 item 7, #15) and the population estimates when asked [R11]: how
 * the films were chosen (at random or by score), the strata with their sizes in the dataset and
 * in the sample, the weights, then each estimate with its interval and the bootstrap used.
 */
export function designSentences(
  design: AuditDesign | null,
  population: LabelPopulationReport | undefined,
): string[] {
  if (design === null) return []
  const out: string[] = []
  out.push(
    design.drawnBy === 'random'
      ? `The films were drawn at random within strata (finding x original label${design.negativesFrom === 'no-finding' ? '; negatives from No Finding films only' : ''}), ${design.unit === 'patient' ? 'one film per patient' : 'film by film'}, seed ${design.seed ?? 'not recorded'}.`
      : `The films were chosen by ${design.drawnBy} (not at random), so they estimate nothing about the dataset as a whole.`,
  )
  if (design.strata.length > 0)
    out.push(
      `Strata (films in the dataset on disk through the filters, films in the sample): ${design.strata
        .map(
          (s) =>
            `${s.finding} labelled ${s.stratum} ${s.datasetFilms ?? 'not recorded'}, ${s.sampleFilms}`,
        )
        .join('; ')}.`,
    )
  out.push(`Each film's inclusion probability: ${design.weights}.`)
  if (population === undefined) return out
  const b = population.bootstrap
  out.push(
    `Population estimates reweight each judged film by the inverse of its inclusion probability (Horvitz-Thompson 1952), times drawn over judged films in its stratum; intervals are ${Math.round(b.confidence * 100)}% stratified percentile bootstrap intervals (${b.replicates} replicates resampling within strata, seed ${b.seed}).`,
  )
  for (const f of population.findings)
    out.push(
      `${f.finding} (audit ${f.auditId}): prevalence by the reader ${ci(f.prevalence)}, sensitivity of the original label ${ci(f.sensitivity)}, specificity ${ci(f.specificity)}, PPV ${ci(f.ppv)}, NPV ${ci(f.npv)}, standing for ${Math.round(f.estimatedFilms)} films.`,
    )
  if (population.findings.length === 0)
    out.push('No population estimate: the audit has no recorded design or no judged film.')
  const t = population.leftOutTotal
  if (t.drawnByScore + t.designNotRecorded + t.notInAudit > 0)
    out.push(
      `Left out of the population estimates: ${t.drawnByScore} films drawn by model score, ${t.designNotRecorded} from audits without a recorded design, ${t.notInAudit} judged outside any audit.`,
    )
  return out
}
