import {
  POPULATION_FIGURES,
  type AccuracyStats,
  type AgreementRow,
  type PopulationEstimates,
  type ScoreEvaluation,
} from '@cxr-audit/core'

/** Every number of the report by a stable id (`accuracy/Effusion/ppv`), null where undefined. */
export type Figures = Record<string, number | null>

const ACCURACY_FIELDS = [
  'judged',
  'labelledPositive',
  'present',
  'absent',
  'uncertain',
  'labelledNegative',
  'negativePresent',
  'negativeAbsent',
  'negativeUncertain',
  'labelledUncertain',
  'ppv',
  'ppvLow',
  'ppvHigh',
  'ppvLenient',
  'ppvLenientLow',
  'ppvLenientHigh',
  'npv',
  'npvLow',
  'npvHigh',
  'npvLenient',
  'npvLenientLow',
  'npvLenientHigh',
  'sensitivity',
  'sensitivityLow',
  'sensitivityHigh',
  'specificity',
  'specificityLow',
  'specificityHigh',
] as const satisfies readonly (keyof AccuracyStats)[]

/** The label-accuracy figures of one finding [R9]. */
export function accuracyFigures(out: Figures, finding: string, s: AccuracyStats): void {
  for (const k of ACCURACY_FIELDS) out[`accuracy/${finding}/${k}`] = s[k]
}

/** The agreement figures: per finding, and per pair of readers [R9]. */
export function agreementFigures(out: Figures, rows: readonly AgreementRow[]): void {
  for (const r of rows) {
    const p = `agreement/${r.finding}`
    out[`${p}/images`] = r.images
    out[`${p}/reads`] = r.reads
    out[`${p}/fleissKappa`] = r.fleissKappa
    out[`${p}/fleissKappaLow`] = r.fleissKappaLow
    out[`${p}/fleissKappaHigh`] = r.fleissKappaHigh
    out[`${p}/percentAgreement`] = r.percentAgreement
    out[`${p}/unanimous`] = r.unanimous
    for (const pair of r.pairs) {
      const q = `${p}/pair/${pair.a}/${pair.b}`
      out[`${q}/images`] = pair.images
      out[`${q}/cohenKappa`] = pair.cohenKappa
      out[`${q}/cohenKappaLow`] = pair.cohenKappaLow
      out[`${q}/cohenKappaHigh`] = pair.cohenKappaHigh
      out[`${q}/percentAgreement`] = pair.percentAgreement
    }
  }
}

/** A model's figures for one finding against one truth [R9]. */
export function modelFigures(
  out: Figures,
  model: string,
  against: string,
  finding: string,
  e: ScoreEvaluation,
): void {
  const p = `model/${model}/${against}/${finding}`
  out[`${p}/n`] = e.n
  out[`${p}/positives`] = e.positives
  out[`${p}/negatives`] = e.negatives
  out[`${p}/auc`] = e.auc
  out[`${p}/aucLow`] = e.aucLow
  out[`${p}/aucHigh`] = e.aucHigh
  out[`${p}/averagePrecision`] = e.averagePrecision
  out[`${p}/brierScore`] = e.calibration.brierScore
  const op = e.operatingPoint
  out[`${p}/threshold`] = op?.threshold ?? null
  out[`${p}/sensitivity`] = op?.sensitivity ?? null
  out[`${p}/specificity`] = op?.specificity ?? null
  out[`${p}/ppv`] = op?.ppv ?? null
  out[`${p}/npv`] = op?.npv ?? null
}

/** Differences between two sets of figures beyond `tolerance` (absolute), by id [R9]. */
export function compareFigures(
  stated: Figures,
  recomputed: Figures,
  tolerance = 1e-12,
): { figure: string; stated: number | null | undefined; recomputed: number | null | undefined }[] {
  const out = []
  for (const id of new Set([...Object.keys(stated), ...Object.keys(recomputed)])) {
    const a = stated[id]
    const b = recomputed[id]
    const same =
      a === b || (typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= tolerance)
    if (!same) out.push({ figure: id, stated: a, recomputed: b })
  }
  return out.sort((x, y) => (x.figure < y.figure ? -1 : 1))
}

/** The population figures of one finding from the audit's design [R11]. */
export function populationFigures(out: Figures, finding: string, e: PopulationEstimates): void {
  for (const k of POPULATION_FIGURES) {
    out[`population/${finding}/${k}`] = e[k].value
    out[`population/${finding}/${k}Low`] = e[k].low
    out[`population/${finding}/${k}High`] = e[k].high
  }
  out[`population/${finding}/estimatedFilms`] = e.estimatedFilms
}
