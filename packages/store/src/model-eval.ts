import {
  CLUSTERED_SUBGROUP_METHOD,
  COMPARE_METHOD,
  COMPARE_METHOD_PATIENTS,
  DEFAULT_COMPARE_REPLICATES,
  DEFAULT_THRESHOLD,
  STRATIFICATION_ALPHA,
  UNPAIRED_METHOD,
  evaluateScores,
  formatCount,
  formatThresholdSpec,
  holmAdjust,
  publishedAucOf,
  readerSpecText,
  subgroupAnalysis,
  modelSubgroupOf,
  subgroupByText,
  type Against,
  type EvalMethods,
  type FindingReport,
  type HiddenStratificationRow,
  type NegativesFrom,
  type ModelEvalReport,
  type StratificationRow,
  type SubgroupBy,
  type SubgroupReport,
  type ThresholdSpec,
} from '@cxr-audit/core'
import { NO_FINDING } from '@cxr-audit/core'
import type { FindingRow } from './datasets.ts'
import { loadModelData, resolveModelFindings, type ModelData } from './model-data.ts'
import {
  OBUCHOWSKI_METHOD,
  clusteredSummary,
  patientCounts,
  repeatedPatientsWarning,
  type ClusterBy,
} from './model-eval-cluster.ts'
import { compareWithOriginal } from './model-eval-compare.ts'
import { modelPopulation } from './model-eval-population.ts'
import { tagComparisons, tagThreshold } from './model-eval-tags.ts'
import { findModel } from './model-predictions.ts'
import { loadReaderTruth, loadTagGroups, type ReaderTruth, type TagGroups } from './model-truth.ts'
import { StoreError, type Store } from './store.ts'

/** What `cxr-audit eval` is asked (docs/models.md). */
export interface EvaluateModelOptions {
  readonly model: string
  readonly dataset?: string | undefined
  /** The original labels (default), a reader, or a consensus of readers [M8]. */
  readonly against?: Against | undefined
  readonly findings?: readonly string[] | undefined
  /** Subgroup splits [M20] (the same split twice counts once). */
  readonly by?: readonly SubgroupBy[] | undefined
  /** Youden's J (default), a target sensitivity or a fixed number [M14]. */
  readonly threshold?: ThresholdSpec | undefined
  /** Include ROC and precision-recall points [M12]. */
  readonly curves?: boolean | undefined
  /** Against a reader: the original labels on the same images, and the difference [M16]. */
  readonly compareOriginal?: boolean | undefined
  readonly calibrationBins?: number | undefined
  /** Seed of the comparison's bootstrap (default 1). */
  readonly seed?: number | undefined
  /** Bootstrap resamples of the comparison (default 1000). */
  readonly replicates?: number | undefined
  /** Only the films of this split (case-insensitive), e.g. `test` [M42]. */
  readonly split?: string | undefined
  /** Negatives: every labelled negative (default) or `No Finding` films only [M43]. */
  readonly negatives?: NegativesFrom | undefined
  /** AUC intervals with patients as clusters (Obuchowski 1997) instead of films [M44]. */
  readonly cluster?: ClusterBy | undefined
  /** Against a reader: also the figures reweighted by each random audit's design [M48]. */
  readonly population?: boolean | undefined
}

export const EVAL_METHODS: EvalMethods = {
  auc: 'Mann-Whitney AUC, ties counted one half (= sklearn roc_auc_score)',
  interval:
    "95% DeLong interval: AUC +/- 1.96 sqrt(DeLong variance), clipped to [0, 1] (= pROC ci.auc(method = 'delong'))",
  subgroupTest: UNPAIRED_METHOD,
  comparison: COMPARE_METHOD,
  derivedScore: 'a derived finding scores the maximum of its parts, unless the file gave its own',
  hiddenStratification: `each subgroup against the rest of the set by the unpaired DeLong test; flagged when p < ${STRATIFICATION_ALPHA} (flaggedHolm: Holm-adjusted over the table)`,
  threshold:
    'score >= threshold is positive; youden maximises sensitivity + specificity - 1 over the distinct scores, sens:X takes the highest threshold reaching sensitivity X; chosen on the same images it is reported on',
}

/** The methods with `--cluster patient` [M44], [M50]: every interval and test by patient. */
export const CLUSTERED_METHODS: EvalMethods = {
  ...EVAL_METHODS,
  interval: OBUCHOWSKI_METHOD,
  subgroupTest: CLUSTERED_SUBGROUP_METHOD,
  comparison: COMPARE_METHOD_PATIENTS,
  hiddenStratification: `each subgroup against the rest of the set by the patient bootstrap test; flagged when p < ${STRATIFICATION_ALPHA} (flaggedHolm: Holm-adjusted over the table)`,
}

/** The evaluation set of one finding: images with a score and a 0/1 truth. */
export interface FindingSet {
  readonly index: Int32Array
  readonly labels: Uint8Array
  readonly scores: Float64Array
  readonly judged: number
  readonly excludedUncertain: number
  readonly notPredicted: number
}

/**
 * Which scored films may enter [M42], [M43]: `inSplit` those of `--split`; `negative` those that
 * may count as a negative (every film, or the `No Finding` films only).
 */
export interface Scope {
  readonly inSplit: (i: number) => boolean
  readonly negative: (i: number) => boolean
}

export function scopeOf(data: ModelData, split: string | null, negatives: NegativesFrom): Scope {
  const splits = data.images.split
  const inSplit =
    split === null ? () => true : (i: number) => (splits[i] ?? '').toLowerCase() === split
  if (negatives === 'all') return { inSplit, negative: () => true }
  const nf = data.findings.find((f) => f.name === NO_FINDING)
  if (nf === undefined)
    throw new StoreError(
      `--negatives no-finding: the dataset "${data.dataset.name}" has no "${NO_FINDING}" finding`,
    )
  const none = data.labels(nf)
  return { inSplit, negative: (i) => none[i] === 1 }
}

export function originalSet(data: ModelData, f: FindingRow, scope: Scope): FindingSet {
  const labels = data.labels(f)
  const scores = data.scores(f)
  const keep: number[] = []
  let uncertain = 0
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i]!) || !scope.inSplit(i)) continue
    if (labels[i] === -1) uncertain++
    else if (labels[i] === 1 || scope.negative(i)) keep.push(i)
  }
  return build(keep, (i) => labels[i]!, scores, uncertain, 0)
}

export function readerSet(
  data: ModelData,
  f: FindingRow,
  truth: ReaderTruth,
  scope: Scope,
): FindingSet {
  const verdicts = truth.verdicts.get(f.id) ?? new Map<number, string>()
  const scores = data.scores(f)
  const keep: number[] = []
  const label = new Map<number, number>()
  let uncertain = 0
  let notPredicted = 0
  for (const [imageId, verdict] of verdicts) {
    const i = data.images.indexOf.get(imageId)
    if (i === undefined || Number.isNaN(scores[i]!)) {
      notPredicted++
      continue
    }
    if (!scope.inSplit(i)) continue
    if (verdict === 'uncertain') {
      uncertain++
      continue
    }
    if (verdict === 'absent' && !scope.negative(i)) continue
    keep.push(i)
    label.set(i, verdict === 'present' ? 1 : 0)
  }
  keep.sort((a, b) => a - b)
  return build(keep, (i) => label.get(i)!, scores, uncertain, notPredicted)
}

function build(
  keep: readonly number[],
  labelOf: (i: number) => number,
  scores: Float64Array,
  uncertain: number,
  notPredicted: number,
): FindingSet {
  const index = Int32Array.from(keep)
  const labels = new Uint8Array(index.length)
  const s = new Float64Array(index.length)
  index.forEach((i, k) => {
    labels[k] = labelOf(i)
    s[k] = scores[i]!
  })
  return {
    index,
    labels,
    scores: s,
    judged: index.length + uncertain,
    excludedUncertain: uncertain,
    notPredicted,
  }
}

/**
 * Evaluates a model per finding against the original labels or a reader [M8]-[M16], per
 * subgroup with the hidden-stratification table [M20]-[M23]. Returns the JSON `cxr-audit eval
 * --json` prints (the server's model page calls this). Bad names and options throw StoreError.
 */
export async function evaluateModel(
  store: Store,
  options: EvaluateModelOptions,
): Promise<ModelEvalReport> {
  const threshold: ThresholdSpec = options.threshold ?? DEFAULT_THRESHOLD
  const keys = [...new Map((options.by ?? []).map((b) => [subgroupByText(b), b])).values()]
  const against = options.against ?? 'original'
  if (options.compareOriginal === true && against === 'original') {
    throw new StoreError('--compare-original compares with a reader: add --against READER')
  }
  if (options.population === true && against === 'original') {
    throw new StoreError(
      "--population reweights a reader's verdicts on random audits: add --against READER",
    )
  }
  const db = store.db
  const { model, dataset } = await findModel(db, options.model, options.dataset)
  const data = await loadModelData(db, model, dataset)
  const truth = against === 'original' ? null : await loadReaderTruth(db, against, data.scorable)
  const split = options.split === undefined ? null : options.split.trim().toLowerCase()
  const negatives = options.negatives ?? 'all'
  const scope = scopeOf(data, split, negatives)
  const scoredImages = countScored(data, split, scope)
  const cluster = options.cluster ?? null
  const patients = patientCounts(data, scope)
  const findings = chooseFindings(data, options.findings, truth)
  const tags = await loadTagGroups(db, keys)
  const reports: FindingReport[] = []
  const table: (StratificationRow & { finding: string })[] = []
  for (const f of findings) {
    const set = truth === null ? originalSet(data, f, scope) : readerSet(data, f, truth, scope)
    const evaluation = evaluateScores(set.labels, set.scores, {
      threshold,
      curves: options.curves === true,
      ...(options.calibrationBins === undefined
        ? {}
        : { calibrationBins: options.calibrationBins }),
    })
    let report: FindingReport = {
      finding: f.name,
      derivedFrom: f.derivedFrom,
      scoreSource: data.scoreSource(f),
      judged: set.judged,
      excludedUncertain: set.excludedUncertain,
      notPredicted: set.notPredicted,
      publishedAuc:
        f.derivedFrom === null ? publishedAucOf(data.dataset.sourceFormat, f.name) : null,
      ...evaluation,
      ...(cluster === null ? {} : clusteredSummary(data, set, evaluation)),
    }
    if (options.compareOriginal === true)
      report = { ...report, ...compareWithOriginal(data, f, set, options, cluster) }
    if (keys.length > 0) {
      const subgroups: SubgroupReport[] = []
      for (const key of keys) {
        const groupOf = groupsOf(data, set, key, tags)
        const { report: r, rows } = subgroupAnalysis(
          subgroupByText(key),
          set.labels,
          set.scores,
          groupOf,
          evaluation.operatingPoint?.threshold ?? null,
          cluster === null
            ? undefined
            : {
                clusters: Array.from(set.index, (i) => data.images.patient[i]!),
                seed: options.seed ?? 1,
                replicates: options.replicates ?? DEFAULT_COMPARE_REPLICATES,
              },
        )
        subgroups.push(r)
        for (const row of rows) table.push({ finding: f.name, ...row })
      }
      report = { ...report, subgroups }
      if (keys.some((k) => k.kind === 'tag')) {
        const at = tagThreshold(threshold, evaluation.operatingPoint, () =>
          originalSet(data, f, scope),
        )
        report = { ...report, byTag: tagComparisons(data, set, keys, tags, at) }
      }
    }
    reports.push(report)
  }
  const hiddenStratification = adjustTable(table)
  const population =
    options.population === true && against !== 'original'
      ? await modelPopulation(db, data, against, reports, findings, {
          seed: options.seed ?? 1,
          replicates: options.replicates ?? 1000,
          confidence: 0.95,
        })
      : null
  return {
    model: model.name,
    dataset: dataset.name,
    against: against === 'original' ? against : readerSpecText(against),
    readers: truth?.readers ?? [],
    threshold: formatThresholdSpec(threshold),
    images: data.images.ids.length,
    split,
    negatives,
    scoredImages,
    scored: scoredText(data.images.ids.length, scoredImages, split, negatives),
    cluster,
    clusters: patients.patients,
    patientsWithSeveralFilms: patients.repeated,
    ...(cluster === null && patients.repeated > 0
      ? { warning: repeatedPatientsWarning(patients.repeated, patients.patients, scoredImages) }
      : {}),
    methods: cluster === null ? EVAL_METHODS : CLUSTERED_METHODS,
    findings:
      population === null
        ? reports
        : reports.map((r) => ({ ...r, population: population.perFinding.get(r.finding) ?? [] })),
    hiddenStratification,
    ...(population === null ? {} : { population: population.summary }),
  }
}

/** The films in the evaluation; an unknown split is refused, naming the known ones [M42]. */
function countScored(data: ModelData, split: string | null, scope: Scope): number {
  const n = data.images.ids.length
  if (split === null) return n
  let k = 0
  for (let i = 0; i < n; i++) if (scope.inSplit(i)) k++
  if (k === 0) {
    const known = [...new Set(data.images.split.filter((x): x is string => x !== null))].sort()
    throw new StoreError(
      `no film the model "${data.model.name}" scored is in split "${split}" (splits: ${known.length === 0 ? 'none recorded' : known.join(', ')})`,
    )
  }
  return k
}

const count = formatCount

function scoredText(
  all: number,
  scored: number,
  split: string | null,
  negatives: NegativesFrom,
): string {
  const films =
    split === null
      ? `all ${count(all)} films the model scored`
      : `the ${count(scored)} films of split ${split} (of ${count(all)} the model scored)`
  return negatives === 'no-finding' ? `${films}; negatives: "${NO_FINDING}" films only` : films
}

function chooseFindings(
  data: ModelData,
  asked: readonly string[] | undefined,
  truth: ReaderTruth | null,
): FindingRow[] {
  if (asked !== undefined && asked.length > 0) return resolveModelFindings(data, asked)
  if (truth === null) return [...data.scorable]
  const judged = data.scorable.filter((f) => (truth.verdicts.get(f.id)?.size ?? 0) > 0)
  if (judged.length === 0) {
    throw new StoreError(
      `${truth.readers.join(', ')} judged none of the findings the model "${data.model.name}" scores (${data.scorable.map((f) => f.name).join(', ')})`,
    )
  }
  return judged
}

function groupsOf(
  data: ModelData,
  set: FindingSet,
  key: SubgroupBy,
  tags: TagGroups,
): (string | null)[] {
  const im = data.images
  const tag = key.kind === 'tag' ? key.tag : null
  const tagged = tag === null ? undefined : tags.tagged.get(tag.toLowerCase())
  return Array.from(set.index, (i) => {
    const imageId = im.ids[i]!
    const tagSet =
      tag === null || !tags.reviewed.has(imageId)
        ? null
        : new Set(tagged?.has(imageId) === true ? [tag] : [])
    return modelSubgroupOf(key, {
      age: im.age[i]!,
      sex: im.sex[i]!,
      view: im.view[i]!,
      split: im.split[i]!,
      tags: tagSet,
    })
  })
}

/**
 * Holm over the distinct tests of the table [M23]: with two groups, "A against the rest" and "B
 * against the rest" are one test, counted once.
 */
function adjustTable(
  table: readonly (StratificationRow & { finding: string })[],
): HiddenStratificationRow[] {
  const rowsPer = new Map<string, number>()
  const keyOf = (r: { finding: string; by: string }): string => `${r.finding}\u0000${r.by}`
  for (const r of table) rowsPer.set(keyOf(r), (rowsPer.get(keyOf(r)) ?? 0) + 1)
  const testOf = table.map((r) =>
    rowsPer.get(keyOf(r)) === 2 ? keyOf(r) : `${keyOf(r)}\u0000${r.group}`,
  )
  const distinct = [...new Set(testOf)]
  const pOf = new Map<string, number | null>()
  table.forEach((r, k) => pOf.set(testOf[k]!, r.p))
  const adjusted = holmAdjust(distinct.map((t) => pOf.get(t) ?? null))
  const adjustedOf = new Map(distinct.map((t, k) => [t, adjusted[k] ?? null]))
  return table.map((r, k) => {
    const pHolm = adjustedOf.get(testOf[k]!) ?? null
    return { ...r, pHolm, flaggedHolm: pHolm !== null && pHolm < STRATIFICATION_ALPHA }
  })
}
