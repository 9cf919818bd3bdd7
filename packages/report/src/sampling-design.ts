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
