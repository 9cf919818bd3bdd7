import type { ModelPopulationFigures } from './population.ts'
import type { LabelComparison } from './compare.ts'
import type { TagComparison } from './by-tag.ts'
import type { AucSummary, ScoreEvaluation } from './evaluate.ts'
import type { PublishedAucSource } from './published-auc.ts'
import type { StratificationRow, SubgroupReport } from './stratification.ts'

/**
 * The JSON of `cxr-audit eval --json` and of `evaluateModel` (docs/models.md). Field names are
 * a contract: add fields, never rename.
 */
export interface ModelEvalReport {
  readonly model: string
  readonly dataset: string
  /** `original`, a reader's name, or `consensus:A,B`. */
  readonly against: string
  /** The readers whose verdicts are the truth; empty against the original labels. */
  readonly readers: readonly string[]
  /** The threshold rule as given: `youden`, `sens:0.9` or a number. */
  readonly threshold: string
  /** Images the model scored. */
  readonly images: number
  /** `--split`: only this split's films were evaluated [M42]; null: every scored film. */
  readonly split: string | null
  /** `--negatives`: `all` labelled negatives, or `no-finding` films only [M43]. */
  readonly negatives: NegativesFrom
  /** Films in the evaluation (scored, in the split) [M42]. */
  readonly scoredImages: number
  /** Which films were scored, in words, e.g. "the 25,596 films of split test" [M42]. */
  readonly scored: string
  /** `--cluster patient`: AUC intervals with patients as clusters (Obuchowski) [M44]; null: films as independent (DeLong). */
  readonly cluster: 'patient' | null
  /** Patients among the films in the evaluation [M44]. */
  readonly clusters: number
  /** Patients with more than one film in the evaluation [M44]. */
  readonly patientsWithSeveralFilms: number
  /** Without `--cluster`, when patients repeat: how many, and that the intervals are too narrow [M44]. */
  readonly warning?: string
  readonly methods: EvalMethods
  readonly findings: readonly FindingReport[]
  /** Every subgroup of every `--by` against the rest [M23]; empty without --by. */
  readonly hiddenStratification: readonly HiddenStratificationRow[]
  /** With `--population`: how the figures were reweighted and which films were left out [M48]. */
  readonly population?: ModelPopulationSummary
}

/** The method of `eval --population` and the films it left out, over the findings [M48]. */
export interface ModelPopulationSummary {
  readonly method: string
  readonly bootstrap: {
    readonly method: string
    readonly replicates: number
    readonly seed: number
    readonly confidence: number
  }
  /** Judged films in no population figure: drawn by score, design not recorded, outside audits. */
  readonly leftOut: {
    readonly drawnByScore: number
    readonly designNotRecorded: number
    readonly notInAudit: number
  }
  readonly leftOutText: string
}

/** Where an evaluation or an audit takes its negatives from [M43], [W33]. */
export type NegativesFrom = 'all' | 'no-finding'

/** Parses `--negatives` / `--negatives-from`; undefined for anything else. */
export function parseNegativesFrom(text: string): NegativesFrom | undefined {
  const t = text.trim().toLowerCase()
  return t === 'all' || t === 'no-finding' ? t : undefined
}

/** The name of each method, so a reader of the JSON knows what was computed. */
export interface EvalMethods {
  readonly auc: string
  readonly interval: string
  readonly subgroupTest: string
  readonly comparison: string
  readonly derivedScore: string
  readonly hiddenStratification: string
  readonly threshold: string
}

export type OriginalOnSameImages = AucSummary & { readonly excludedUncertain: number }

/** One finding of the evaluation [M10]-[M16]. */
export interface FindingReport extends ScoreEvaluation {
  readonly finding: string
  /** Components of a derived finding, null for a labelled one. */
  readonly derivedFrom: readonly string[] | null
  /** `model` when the file gave the score, `max-of-parts` for a derived finding [M9]. */
  readonly scoreSource: 'model' | 'max-of-parts'
  /** Images with a score and a truth (positives + negatives + excludedUncertain). */
  readonly judged: number
  /** Uncertain truths (verdict `uncertain`, or original label -1), left out [M8]. */
  readonly excludedUncertain: number
  /** The reader's verdicts on images the model did not score (not counted) [M8]. */
  readonly notPredicted: number
  /** Published AUCs of this finding on ChestX-ray14, by paper; null when none [M15]. */
  readonly publishedAuc: Record<PublishedAucSource, number> | null
  /** With --compare-original: the original labels on the same images [M16]. */
  readonly original?: OriginalOnSameImages
  /** With --compare-original: AUC(reader) - AUC(original) with its bootstrap interval [M16]. */
  readonly comparison?: LabelComparison
  /** With --cluster patient: the patients among this finding's films [M44]. */
  readonly clusters?: number
  /** With --by: one report per split [M22]. */
  readonly subgroups?: readonly SubgroupReport[]
  /** With --population: per random audit, the figures reweighted by its design [M48]. */
  readonly population?: readonly ModelPopulationAudit[]
  /** With --by tag:NAME: sensitivity with and without the tag, Wilson and Fisher [M49]. */
  readonly byTag?: readonly TagComparison[]
}

/** One random audit's population figures of a model against a reader [M48]. */
export interface ModelPopulationAudit extends ModelPopulationFigures {
  readonly auditId: number
  readonly audit: string
  /** Judged films of the audit used (scored, verdict present or absent, page finished). */
  readonly films: number
}

/** A row of the hidden-stratification table [M23]. */
export interface HiddenStratificationRow extends StratificationRow {
  readonly finding: string
  /** Holm-adjusted p over every row of the table with a p. */
  readonly pHolm: number | null
  /** pHolm < 0.05. */
  readonly flaggedHolm: boolean
}
