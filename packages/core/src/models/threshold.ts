import {
  confusionAt,
  thresholdForSensitivity,
  youdenThreshold,
  type BinaryLabels,
} from '../stats/index.ts'
import { thresholdForSensitivityOf, youdenThresholdOf, type CurveCounts } from '../stats/curves.ts'
import { ModelSpecError } from './errors.ts'

/** How the operating threshold is chosen [M14]. */
export type ThresholdSpec =
  | { readonly rule: 'youden' }
  | { readonly rule: 'sensitivity'; readonly target: number }
  | { readonly rule: 'fixed'; readonly value: number }

export const DEFAULT_THRESHOLD: ThresholdSpec = { rule: 'youden' }

/** Parses `youden`, `sens:0.9` (a target sensitivity in (0, 1]) or a number. */
export function parseThresholdSpec(text: string): ThresholdSpec {
  const t = text.trim().toLowerCase()
  if (t === 'youden') return { rule: 'youden' }
  const sens = /^sens(?:itivity)?[:=](.+)$/.exec(t)
  if (sens !== null) {
    const target = Number(sens[1])
    if (!(target > 0 && target <= 1)) {
      throw new ModelSpecError(`a target sensitivity must be in (0, 1], got "${sens[1]}"`)
    }
    return { rule: 'sensitivity', target }
  }
  const value = t === '' ? NaN : Number(t)
  if (!Number.isFinite(value)) {
    throw new ModelSpecError(
      `cannot read the threshold "${text}": use youden, sens:0.9 (a target sensitivity) or a number`,
    )
  }
  return { rule: 'fixed', value }
}

/** The text form of a rule, as parseThresholdSpec reads it. */
export function formatThresholdSpec(spec: ThresholdSpec): string {
  return spec.rule === 'youden'
    ? 'youden'
    : spec.rule === 'sensitivity'
      ? `sens:${spec.target}`
      : String(spec.value)
}

/** The model at one threshold: score >= threshold is called positive [M14]. */
export interface OperatingPointReport {
  readonly rule: ThresholdSpec['rule']
  /** The target sensitivity of the `sensitivity` rule. */
  readonly target?: number
  readonly threshold: number
  readonly sensitivity: number | null
  readonly specificity: number | null
  /** Positive predictive value: tp / (tp + fp); null when nothing is called positive. */
  readonly ppv: number | null
  /** Negative predictive value: tn / (tn + fn); null when nothing is called negative. */
  readonly npv: number | null
  /** Youden's J = sensitivity + specificity - 1. */
  readonly youdenJ: number | null
  readonly tp: number
  readonly fp: number
  readonly tn: number
  readonly fn: number
}

/**
 * The operating point for a rule: Youden's J maximised over the distinct scores (highest
 * threshold on ties), the highest threshold reaching a target sensitivity, or a fixed value;
 * then the confusion counts, sensitivity, specificity, PPV and NPV there. The rule is applied
 * to the same labels it is reported on (an optimistic choice: say so when it matters).
 * Needs both classes for `youden` and `sensitivity` (the stats functions throw otherwise).
 */
export function operatingPoint(
  labels: BinaryLabels,
  scores: ArrayLike<number>,
  spec: ThresholdSpec,
  /** The curve counts of both classes, when the caller has them (evaluateScores). */
  counts?: CurveCounts,
): OperatingPointReport {
  const threshold =
    spec.rule === 'youden'
      ? (counts === undefined ? youdenThreshold(labels, scores) : youdenThresholdOf(counts))
          .threshold
      : spec.rule === 'sensitivity'
        ? (counts === undefined
            ? thresholdForSensitivity(labels, scores, spec.target)
            : thresholdForSensitivityOf(counts, spec.target)
          ).threshold
        : spec.value
  return {
    rule: spec.rule,
    ...(spec.rule === 'sensitivity' ? { target: spec.target } : {}),
    threshold,
    ...rates(confusionAt(labels, scores, threshold)),
  }
}

/** Rates from confusion counts; a rate with a zero denominator is null. */
export function rates(c: { tp: number; fp: number; tn: number; fn: number }): {
  sensitivity: number | null
  specificity: number | null
  ppv: number | null
  npv: number | null
  youdenJ: number | null
  tp: number
  fp: number
  tn: number
  fn: number
} {
  const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null)
  const sensitivity = ratio(c.tp, c.tp + c.fn)
  const specificity = ratio(c.tn, c.tn + c.fp)
  return {
    sensitivity,
    specificity,
    ppv: ratio(c.tp, c.tp + c.fp),
    npv: ratio(c.tn, c.tn + c.fn),
    youdenJ: sensitivity === null || specificity === null ? null : sensitivity + specificity - 1,
    tp: c.tp,
    fp: c.fp,
    tn: c.tn,
    fn: c.fn,
  }
}
