import type { FoldReport } from '@cxr-audit/core'
import { writePredictionsIn, type ModelSource } from './model-predictions.ts'
import type { ProbeNegatives } from './probe-data.ts'
import { StoreError, now, type Db, type Store } from './store.ts'

/** The embedding model a probe ran on, as its report names it. */
export interface ProbeEmbeddingModel {
  readonly name: string
  readonly sha256: string
  readonly configHash: string
  readonly dimensions: number
}

/**
 * `cxr-audit probe --json` [PR1]-[PR6]. The first eight fields are the contract
 * (`finding`, `n`, `positives`, `folds`, `shuffled`, `auc`, `aucLow`, `aucHigh`); the rest are
 * added, never renamed.
 */
export interface ProbeReport {
  readonly finding: string
  /** Films in the probe (every one has an out-of-fold score). */
  readonly n: number
  readonly positives: number
  /** Number of folds. */
  readonly folds: number
  /** True for the shuffled-label null. */
  readonly shuffled: boolean
  /** Out-of-fold AUC against the true labels, with DeLong's 95% interval. */
  readonly auc: number
  readonly aucLow: number
  readonly aucHigh: number
  /** Mean AUC of the folds' models on their own training rows. */
  readonly trainAuc: number | null
  /** trainAuc - auc. */
  readonly memorisationGap: number | null
  /** Null, or why the numbers need a second look (the null's interval excludes 0.5, ...). */
  readonly warning: string | null
  readonly dataset: string
  readonly negatives: ProbeNegatives
  readonly negativeFilms: number
  readonly patients: number
  readonly excludedUncertain: number
  readonly excludedOtherFindings: number
  readonly withoutEmbedding: number
  readonly seed: number
  /** Inverse regularisation strength of the logistic regression (features standardised). */
  readonly C: number
  readonly embeddingModel: ProbeEmbeddingModel
  readonly perFold: readonly FoldReport[]
  /** Threads the folds were fitted on (1: this thread). */
  readonly workers: number
  /** Wall seconds of the whole command, and of its parts. */
  readonly seconds: number
  readonly timings: { readonly load: number; readonly fit: number; readonly save: number }
  /** The model the out-of-fold scores were saved as (`--save-model`), or null. */
  readonly model: { readonly id: number; readonly name: string; readonly replaced: boolean } | null
  /** The id of this run in the database (null until stored). */
  readonly run: number | null
}

/** A saved probe's provenance, in its model's `source` [PR6]. */
export interface ProbeModelSource extends ModelSource {
  readonly kind: 'probe'
  readonly probe: {
    readonly finding: string
    readonly folds: number
    readonly seed: number
    readonly shuffled: boolean
    readonly negatives: ProbeNegatives
    readonly C: number
    readonly embeddingModel: ProbeEmbeddingModel
    readonly auc: number
    readonly outOfFold: true
  }
}

export interface SaveProbeInput {
  readonly datasetId: number
  readonly embeddingModelId: number
  readonly findingId: number
  readonly report: Omit<ProbeReport, 'model' | 'run'>
  /** `--save-model NAME`: the out-of-fold scores of `imageIds`, as a model. */
  readonly save?:
    | {
        readonly name: string
        readonly replace: boolean
        readonly imageIds: Int32Array
        readonly scores: Float64Array
      }
    | undefined
}

/**
 * Records a probe run, and with `save` its out-of-fold scores as a model, in one transaction
 * [PR6]-[PR7]: a refused model name (taken, without `replace`) stores nothing.
 */
export async function saveProbeRun(
  store: Store,
  input: SaveProbeInput,
): Promise<{ run: number; model: ProbeReport['model'] }> {
  const r = input.report
  return store.db.transaction().execute(async (tx) => {
    let model: ProbeReport['model'] = null
    if (input.save !== undefined) {
      const s = input.save
      const source: ProbeModelSource = {
        file: `probe ${r.finding}`,
        idColumn: 'Image Index',
        prefix: '',
        columns: { [r.finding]: r.finding },
        unknownFindings: [],
        ignoredColumns: [],
        rows: s.imageIds.length,
        unknownImages: 0,
        skippedRows: 0,
        kind: 'probe',
        probe: {
          finding: r.finding,
          folds: r.folds,
          seed: r.seed,
          shuffled: r.shuffled,
          negatives: r.negatives,
          C: r.C,
          embeddingModel: r.embeddingModel,
          auc: r.auc,
          outOfFold: true,
        },
      }
      const written = await writePredictionsIn(store, tx, {
        datasetId: input.datasetId,
        model: s.name,
        source,
        findingIds: [input.findingId],
        rows: Array.from(s.imageIds, (imageId, i) => ({ imageId, scores: [s.scores[i]!] })),
        replace: s.replace,
      })
      model = { id: written.modelId, name: s.name.trim(), replaced: written.replaced }
    }
    const row = await tx
      .insertInto('probe_run')
      .values({
        dataset_id: input.datasetId,
        finding: r.finding,
        embedding_model_id: input.embeddingModelId,
        embedding_model: r.embeddingModel.name,
        negatives: r.negatives,
        folds: r.folds,
        seed: String(r.seed),
        shuffled: r.shuffled ? 1 : 0,
        n: r.n,
        positives: r.positives,
        auc: r.auc,
        auc_low: r.aucLow,
        auc_high: r.aucHigh,
        train_auc: r.trainAuc,
        model_id: model?.id ?? null,
        warning: r.warning,
        seconds: r.seconds,
        report: JSON.stringify({ ...r, model }),
        created_at: now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return { run: row.id, model }
  })
}

/** A model name `--save-model` may not take: used, and `--replace` not given [PR6]. */
export async function checkProbeModelName(
  db: Db,
  datasetId: number,
  name: string,
  replace: boolean,
): Promise<void> {
  if (name.trim() === '') throw new StoreError('--save-model needs a name')
  if (replace) return
  const existing = await db
    .selectFrom('model')
    .select('id')
    .where('dataset_id', '=', datasetId)
    .where('name', '=', name.trim())
    .executeTakeFirst()
  if (existing !== undefined) {
    throw new StoreError(
      `a model "${name.trim()}" already exists in this dataset: add --replace to replace its scores, or choose another --save-model name`,
    )
  }
}

/** A stored probe run: its report, with its id and time. */
export interface ProbeRunRow extends ProbeReport {
  readonly run: number
  readonly createdAt: string
}

/** Every probe run of a dataset, oldest first [PR7]. */
export async function listProbeRuns(db: Db, datasetId: number): Promise<ProbeRunRow[]> {
  const rows = await db
    .selectFrom('probe_run')
    .select(['id', 'report', 'model_id', 'created_at'])
    .where('dataset_id', '=', datasetId)
    .orderBy('id')
    .execute()
  return rows.map((r) => {
    const report = JSON.parse(r.report) as ProbeReport
    // a saved model that was removed since is not offered any more
    const model = r.model_id === null ? null : report.model
    return { ...report, model, run: r.id, createdAt: r.created_at }
  })
}
