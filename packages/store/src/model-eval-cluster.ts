import { UndefinedStatisticError, formatCount, obuchowski, type AucSummary } from '@cxr-audit/core'
import type { ModelData } from './model-data.ts'
import type { FindingSet, Scope } from './model-eval.ts'

/** How films are grouped for the AUC interval: each film alone, or by patient [M44]. */
export type ClusterBy = 'patient'

export const OBUCHOWSKI_METHOD =
  "95% interval with patients as clusters: AUC +/- 1.96 sqrt(Obuchowski's variance), clipped to [0, 1] (Obuchowski 1997, Biometrics 53:567-578; one film per patient gives DeLong's)"

/** The patients among the films in the evaluation, and how many have more than one film. */
export function patientCounts(
  data: ModelData,
  scope: Scope,
): { patients: number; repeated: number } {
  const films = new Map<string, number>()
  const patient = data.images.patient
  for (let i = 0; i < patient.length; i++) {
    if (!scope.inSplit(i)) continue
    films.set(patient[i]!, (films.get(patient[i]!) ?? 0) + 1)
  }
  let repeated = 0
  for (const n of films.values()) if (n > 1) repeated++
  return { patients: films.size, repeated }
}

/** The sentence `eval` prints when films are counted as independent but patients repeat. */
export function repeatedPatientsWarning(repeated: number, patients: number, films: number): string {
  const c = formatCount
  return `${c(repeated)} of the ${c(patients)} patients have more than one film among the ${c(films)} scored films: the AUC intervals count films as independent and are too narrow; use --cluster patient`
}

/** The clustered fields of one finding's report: Obuchowski's interval over its films [M44]. */
export function clusteredSummary(
  data: ModelData,
  set: FindingSet,
  summary: AucSummary,
): Pick<AucSummary, 'aucLow' | 'aucHigh' | 'variance' | 'intervalReason'> & {
  clusters: number
} {
  const patients = Array.from(set.index, (i) => data.images.patient[i]!)
  const clusters = new Set(patients).size
  if (summary.auc === null) return { aucLow: null, aucHigh: null, variance: null, clusters }
  try {
    const r = obuchowski(set.labels, set.scores, patients)
    return { aucLow: r.low, aucHigh: r.high, variance: r.variance, clusters }
  } catch (e) {
    if (!(e instanceof UndefinedStatisticError)) throw e
    return { aucLow: null, aucHigh: null, variance: null, intervalReason: e.reason, clusters }
  }
}
