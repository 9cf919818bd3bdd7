import {
  featureMatrix,
  formatThresholdSpec,
  kMeans,
  operatingPoint,
  parseThresholdSpec,
  summariseClusters,
  type ClusterSummary,
  type RateWithInterval,
  type ThresholdSpec,
} from '@cxr-audit/core'
import { loadModelData, resolveModelFindings } from './model-data.ts'
import { findModel } from './model-predictions.ts'
import { loadProbeData, type ProbeNegatives } from './probe-data.ts'
import type { ProbeEmbeddingModel } from './probe-runs.ts'
import { findReader } from './readers.ts'
import { storeClusterAudits } from './cluster-audits.ts'
import { StoreError, type Db, type Store } from './store.ts'
import { currentTags, currentVerdicts } from './verdicts.ts'

export interface ClustersOptions {
  readonly dataset?: string | undefined
  readonly finding: string
  readonly k: number
  readonly seed: number
  /** Cluster the positives only (default), or with these negatives [KC1]. */
  readonly negatives?: ProbeNegatives | undefined
  readonly embeddingModel?: string | undefined
  /** A model's scores: sensitivity (and AUC with negatives) per cluster [KC2]. */
  readonly model?: string | undefined
  /** `youden` (default), `sens:0.9` or a number: the model's operating threshold [KC2]. */
  readonly threshold?: string | undefined
  /** Tags of this reader only (default: any reader) [KC3]. */
  readonly reader?: string | undefined
  /** One review audit per cluster, named `NAME - cluster c of K` [KC5]. */
  readonly audit?:
    | {
        readonly name: string
        /** Films per cluster's audit, closest to the centre first (default 18). */
        readonly top: number
        readonly blinded?: boolean | undefined
      }
    | undefined
}

/** One cluster of `clusters --json` [KC2]-[KC5]. */
export interface ClusterReport {
  readonly cluster: number
  readonly size: number
  readonly positives: number
  readonly negatives: number
  readonly scoredPositives: number
  readonly detected: number
  readonly sensitivity: RateWithInterval | null
  readonly auc: RateWithInterval | null
  readonly reviewed: number
  readonly tags: ClusterSummary['tags']
  /** Image names, closest to the cluster's centre first. */
  readonly images: string[]
  readonly distances: number[]
  readonly audit: { readonly id: number; readonly name: string; readonly created: boolean } | null
}

/** `cxr-audit clusters --json` [KC1]-[KC5]. */
export interface ClustersReport {
  readonly finding: string
  readonly k: number
  readonly seed: number
  readonly dataset: string
  readonly negatives: ProbeNegatives | 'none'
  readonly embeddingModel: ProbeEmbeddingModel
  /** Films clustered, and of them the labelled positives. */
  readonly n: number
  readonly positives: number
  readonly excludedUncertain: number
  readonly withoutEmbedding: number
  readonly model: string | null
  /** The model's operating point on every film it scored with a definite label. */
  readonly threshold: {
    readonly rule: string
    readonly value: number
    readonly sensitivity: number | null
    readonly specificity: number | null
  } | null
  readonly reader: string | null
  readonly inertia: number
  readonly iterations: number
  readonly converged: boolean
  readonly clusters: ClusterReport[]
}

/** The original label and the model's score per clustered film, and the operating point. */
async function modelScores(
  db: Db,
  o: ClustersOptions,
  datasetName: string,
  imageIds: Int32Array,
): Promise<{
  scores: Float64Array | null
  threshold: ClustersReport['threshold']
  spec: string | null
}> {
  if (o.model === undefined) {
    if (o.threshold !== undefined) throw new StoreError('--threshold goes with --model NAME')
    return { scores: null, threshold: null, spec: null }
  }
  let spec: ThresholdSpec
  try {
    spec = parseThresholdSpec(o.threshold ?? 'youden')
  } catch (e) {
    throw new StoreError((e as Error).message)
  }
  const { model, dataset } = await findModel(db, o.model, datasetName)
  const data = await loadModelData(db, model, dataset)
  const [f] = resolveModelFindings(data, [o.finding])
  const all = data.scores(f!)
  const labels = data.labels(f!)
  const keep: number[] = []
  for (let i = 0; i < all.length; i++) if (!Number.isNaN(all[i]!) && labels[i] !== -1) keep.push(i)
  const y = Uint8Array.from(keep, (i) => labels[i]!)
  const p = Float64Array.from(keep, (i) => all[i]!)
  let point
  try {
    point = operatingPoint(y, p, spec)
  } catch (e) {
    throw new StoreError(
      `the ${formatThresholdSpec(spec)} threshold of "${model.name}": ${(e as Error).message}`,
    )
  }
  const scores = Float64Array.from(imageIds, (id) => {
    const i = data.images.indexOf.get(id)
    return i === undefined ? NaN : all[i]!
  })
  return {
    scores,
    threshold: {
      rule: formatThresholdSpec(spec),
      value: point.threshold,
      sensitivity: point.sensitivity,
      specificity: point.specificity,
    },
    spec: formatThresholdSpec(spec),
  }
}

/**
 * Hidden subgroups of a finding [KC1]-[KC5]: seeded k-means on the embeddings of its labelled
 * positives (and with `negatives`, of negatives too); per cluster the size, the model's
 * sensitivity at its threshold (Wilson) or AUC (DeLong), the share of reviewed films with each
 * reader tag, the films closest to the centre first; with `audit`, one review audit per cluster
 * (its first `top` films), all in one transaction.
 */
export async function findClusters(store: Store, o: ClustersOptions): Promise<ClustersReport> {
  const db = store.db
  if (!Number.isInteger(o.k) || o.k < 1 || o.k > 100)
    throw new StoreError(`--k must be a whole number from 1 to 100, got ${o.k}`)
  const readerRow = o.reader === undefined ? undefined : await findReader(db, o.reader)
  if (o.reader !== undefined && readerRow === undefined)
    throw new StoreError(`no reader named "${o.reader}"`)
  const negatives = o.negatives ?? 'none'
  const data = await loadProbeData(db, {
    dataset: o.dataset,
    finding: o.finding,
    negatives,
    embeddingModel: o.embeddingModel,
  })
  const n = data.labels.length
  if (n < o.k) {
    throw new StoreError(
      `${data.finding.name}: ${n} films with embeddings to cluster, fewer than --k ${o.k}`,
    )
  }
  const { scores, threshold, spec } = await modelScores(db, o, data.dataset.name, data.imageIds)
  const ids = Array.from(data.imageIds)
  // reviews are few next to films: read them all (a list of 30,000 ids would reach SQLite's
  // parameter limit) and keep those of the clustered films
  const byReader = readerRow === undefined ? {} : { readerIds: [readerRow.id] }
  const tags = await currentTags(db, byReader)
  const verdicts = await currentVerdicts(db, byReader)
  const rowOf = new Map(ids.map((id, i) => [id, i]))
  const tagLists: string[][] = ids.map(() => [])
  const reviewed = new Uint8Array(n)
  for (const v of verdicts) {
    const i = rowOf.get(v.imageId)
    if (i !== undefined) reviewed[i] = 1
  }
  for (const t of tags) {
    const i = rowOf.get(t.imageId)
    if (i === undefined) continue
    reviewed[i] = 1
    tagLists[i]!.push(t.tag)
  }
  const x = featureMatrix(data.vectors, n, data.embeddingModel.dimensions)
  const km = kMeans(x, { k: o.k, seed: o.seed })
  const rows = Int32Array.from({ length: n }, (_, i) => i)
  const summaries = summariseClusters(
    x,
    km,
    { rows, labels: data.labels, scores, tags: tagLists, reviewed },
    threshold?.value ?? null,
  )
  const m = data.embeddingModel
  const embeddingModel: ProbeEmbeddingModel = {
    name: m.name,
    sha256: m.sha256,
    configHash: m.configHash,
    dimensions: m.dimensions,
  }
  let audits: ({ id: number; name: string; created: boolean } | null)[] = summaries.map(() => null)
  if (o.audit !== undefined) {
    const a = o.audit
    const name = a.name.trim()
    if (name === '' || name.length > 100)
      throw new StoreError('the audit name must have 1 to 100 characters')
    if (!Number.isInteger(a.top) || a.top < 1 || a.top > 100_000)
      throw new StoreError(`--top must be a whole number from 1 to 100000, got ${a.top}`)
    audits = await storeClusterAudits(store, {
      datasetId: data.dataset.id,
      name,
      blinded: a.blinded === true,
      embeddingModel: m.name,
      clusters: summaries.map((c) => {
        const chosen = c.items.slice(0, a.top)
        return {
          plan: {
            finding: data.finding.name,
            k: o.k,
            seed: o.seed,
            negatives,
            embeddingModel,
            model: o.model ?? null,
            threshold: spec,
            cluster: c.cluster,
            size: c.size,
            positives: c.positives,
            top: a.top,
            sensitivity: c.sensitivity,
            auc: c.auc,
            tags: c.tags,
          },
          items: chosen.map((i) => ({
            imageId: data.imageIds[i]!,
            findingId: data.finding.id,
            labelled: data.labels[i]!,
          })),
        }
      }),
    })
  }
  return {
    finding: data.finding.name,
    k: o.k,
    seed: o.seed,
    dataset: data.dataset.name,
    negatives,
    embeddingModel,
    n,
    positives: data.labels.reduce((a, b) => a + b, 0),
    excludedUncertain: data.excludedUncertain,
    withoutEmbedding: data.withoutEmbedding,
    model: o.model ?? null,
    threshold,
    reader: readerRow?.name ?? null,
    inertia: km.inertia,
    iterations: km.iterations,
    converged: km.converged,
    clusters: summaries.map((s, c) => ({
      cluster: s.cluster,
      size: s.size,
      positives: s.positives,
      negatives: s.negatives,
      scoredPositives: s.scoredPositives,
      detected: s.detected,
      sensitivity: s.sensitivity,
      auc: s.auc,
      reviewed: s.reviewed,
      tags: s.tags,
      images: s.items.map((i) => data.names[i]!),
      distances: [...s.distances],
      audit: audits[c] ?? null,
    })),
  }
}
