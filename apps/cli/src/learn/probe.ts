import { availableParallelism } from 'node:os'
import { featureMatrix, groupedStratifiedFolds, summariseProbe } from '@cxr-audit/core'
import {
  checkProbeModelName,
  findDataset,
  loadProbeData,
  PROBE_NEGATIVES,
  saveProbeRun,
  type ProbeNegatives,
  type ProbeReport,
} from '@cxr-audit/store'
import type { Context } from '../context.ts'
import { UsageError } from '../errors.ts'
import { wholeNumber } from '../models/numbers.ts'
import { crossValidateOnWorkers } from './probe-pool.ts'

export interface ProbeCliOptions {
  finding: string
  folds?: string
  seed?: string
  shuffleLabels?: boolean
  negatives?: string
  saveModel?: string
  replace?: boolean
  model?: string
  dataset?: string
  workers?: string
}

/** The probe's logistic regression: sklearn's default C on standardised features [LR3]. */
export const PROBE_C = 1

/** Below this many feature values (~4,000 films of 1,280) the folds run in this thread. */
const WORKERS_FROM_VALUES = 5_000_000

const seconds = (ms: number): number => Math.round(ms) / 1000

/** `cxr-audit probe` [PR1]-[PR7]: a linear probe of a finding on the dataset's embeddings. */
export async function probeCommand(ctx: Context, o: ProbeCliOptions): Promise<ProbeReport> {
  const started = performance.now()
  const k = wholeNumber('--folds', o.folds ?? '5', 2, 20)
  const seed = wholeNumber('--seed', o.seed ?? '1', 0, Number.MAX_SAFE_INTEGER)
  const negatives = (o.negatives ?? 'all').trim().toLowerCase() as ProbeNegatives
  if (!PROBE_NEGATIVES.includes(negatives))
    throw new UsageError(`--negatives must be all or no-finding, got "${o.negatives}"`)
  const workersAsked =
    o.workers === undefined ? undefined : wholeNumber('--workers', o.workers, 1, 64)
  if (o.replace === true && o.saveModel === undefined)
    throw new UsageError('--replace goes with --save-model NAME')
  const shuffled = o.shuffleLabels === true
  const store = await ctx.store()
  if (o.saveModel !== undefined) {
    const ds = await findDataset(store.db, o.dataset)
    await checkProbeModelName(store.db, ds.id, o.saveModel, o.replace === true)
  }
  const data = await loadProbeData(store.db, {
    dataset: o.dataset,
    finding: o.finding,
    negatives,
    embeddingModel: o.model,
    allocate: (bytes) => new SharedArrayBuffer(bytes),
  })
  const n = data.labels.length
  const positives = data.labels.reduce((a, b) => a + b, 0)
  const patients = new Set(data.patients).size
  const what = `${data.finding.name} (${negatives === 'no-finding' ? 'negatives: No Finding films' : 'negatives: all other films'})`
  if (positives < k || n - positives < k || patients < k) {
    throw new UsageError(
      `${what}: ${positives} positives, ${n - positives} negatives and ${patients} patients with embeddings; ${k} folds need at least ${k} of each`,
    )
  }
  const x = featureMatrix(data.vectors, n, data.embeddingModel.dimensions)
  // a worker costs ~0.2 s to start and copies the matrix: small probes fit in this thread
  const workers =
    workersAsked ??
    (n * x.cols < WORKERS_FROM_VALUES ? 1 : Math.min(k, Math.max(1, availableParallelism())))
  const loaded = performance.now()
  const folds = groupedStratifiedFolds(data.labels, data.patients, { folds: k, seed })
  const cv = await crossValidateOnWorkers(
    x,
    data.labels,
    folds,
    { C: PROBE_C, standardize: true, ...(shuffled ? { shuffleSeed: seed } : {}) },
    workers,
  )
  const summary = summariseProbe(data.labels, cv, shuffled)
  const fitted = performance.now()
  const m = data.embeddingModel
  const report: Omit<ProbeReport, 'model' | 'run'> = {
    finding: data.finding.name,
    n,
    positives,
    folds: k,
    shuffled,
    auc: summary.auc,
    aucLow: summary.aucLow,
    aucHigh: summary.aucHigh,
    trainAuc: summary.trainAuc,
    memorisationGap: summary.memorisationGap,
    warning: summary.warning,
    dataset: data.dataset.name,
    negatives,
    negativeFilms: n - positives,
    patients,
    excludedUncertain: data.excludedUncertain,
    excludedOtherFindings: data.excludedOtherFindings,
    withoutEmbedding: data.withoutEmbedding,
    seed,
    C: PROBE_C,
    embeddingModel: {
      name: m.name,
      sha256: m.sha256,
      configHash: m.configHash,
      dimensions: m.dimensions,
    },
    perFold: cv.folds,
    workers: cv.workers,
    // the time to store the run is not known before storing it: `seconds` is up to the save
    seconds: seconds(fitted - started),
    timings: { load: seconds(loaded - started), fit: seconds(fitted - loaded), save: 0 },
  }
  const saved = await saveProbeRun(store, {
    datasetId: data.dataset.id,
    embeddingModelId: m.id,
    findingId: data.finding.id,
    report,
    save:
      o.saveModel === undefined
        ? undefined
        : {
            name: o.saveModel,
            replace: o.replace === true,
            imageIds: data.imageIds,
            scores: cv.scores,
          },
  })
  const done = performance.now()
  const out: ProbeReport = {
    ...report,
    seconds: seconds(done - started),
    timings: { ...report.timings, save: seconds(done - fitted) },
    model: saved.model,
    run: saved.run,
  }
  if (out.warning !== null && ctx.json) process.stderr.write(`cxr-audit: warning: ${out.warning}\n`)
  ctx.say(render(out))
  return out
}

const f3 = (x: number | null): string => (x === null ? '-' : x.toFixed(3))

function render(r: ProbeReport): string {
  const lines = [
    `Linear probe of ${r.finding} on ${r.embeddingModel.name} embeddings (${r.dataset}): ${r.n} films of ${r.patients} patients, ${r.positives} positives, ${r.negativeFilms} negatives (${r.negatives === 'no-finding' ? 'No Finding films only' : 'all other films'}).`,
    `${r.folds} patient-grouped folds, seed ${r.seed}${r.shuffled ? ', labels shuffled within the training folds (the null)' : ''}; L2 logistic regression, C ${r.C}, standardised features; ${r.workers} thread${r.workers > 1 ? 's' : ''}.`,
    `Out-of-fold AUC ${f3(r.auc)} (95% CI ${f3(r.aucLow)}-${f3(r.aucHigh)}, DeLong); training-fold AUC ${f3(r.trainAuc)} (memorisation gap ${f3(r.memorisationGap)}).`,
  ]
  const left: string[] = []
  if (r.excludedUncertain > 0) left.push(`${r.excludedUncertain} with an uncertain label`)
  if (r.excludedOtherFindings > 0)
    left.push(`${r.excludedOtherFindings} negatives carrying another finding`)
  if (r.withoutEmbedding > 0) left.push(`${r.withoutEmbedding} without an embedding`)
  if (left.length > 0) lines.push(`Left out: ${left.join(', ')}.`)
  if (r.warning !== null) lines.push(`Warning: ${r.warning}.`)
  if (r.model !== null)
    lines.push(
      `Out-of-fold scores ${r.model.replaced ? 'replaced in' : 'saved as'} model "${r.model.name}": cxr-audit eval / gallery / label-issues --model "${r.model.name}".`,
    )
  lines.push(`Run ${r.run} recorded (${r.seconds} s).`)
  return lines.join('\n')
}
