import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS, tempStore } from '../../../test-support/temp-store.ts'
import { listClusterAudits } from './cluster-audits.ts'
import { findClusters } from './clusters.ts'
import { deriveFinding } from './datasets.ts'
import { saveEmbeddingModel, saveEmbeddings } from './embeddings.ts'
import { listModels } from './model-predictions.ts'
import { loadProbeData } from './probe-data.ts'
import { checkProbeModelName, listProbeRuns, saveProbeRun, type ProbeReport } from './probe-runs.ts'
import { ensureReader } from './readers.ts'
import type { Store } from './store.ts'
import { appendTagEvents, appendVerdictEvents } from './verdicts.ts'

// 12 films: labels of findings A and B (1 positive, -1 uncertain); film 11 has no vector.
//   film:  0  1  2  3  4  5  6  7  8  9 10 11
//   A      1  1  .  .  . -1  .  .  1  .  .  1
//   B      .  1  1  .  . -1  1  .  .  .  .  .
const A = [1, 1, 0, 0, 0, -1, 0, 0, 1, 0, 0, 1]
const B = [0, 1, 1, 0, 0, -1, 1, 0, 0, 0, 0, 0]
const D = 2

describe.each(DIALECTS)('the learnability lab in the store on %s', (kind) => {
  let store: Store
  let cleanup: () => Promise<void>
  let ids: number[]
  let datasetId: number
  let findingA: number
  const report = (o: Partial<ProbeReport> = {}): Omit<ProbeReport, 'model' | 'run'> => ({
    finding: 'A',
    n: 10,
    positives: 4,
    folds: 2,
    shuffled: false,
    auc: 0.75,
    aucLow: 0.5,
    aucHigh: 1,
    trainAuc: 1,
    memorisationGap: 0.25,
    warning: null,
    dataset: 'lab',
    negatives: 'all',
    negativeFilms: 6,
    patients: 10,
    excludedUncertain: 1,
    excludedOtherFindings: 0,
    withoutEmbedding: 1,
    seed: 1,
    C: 1,
    embeddingModel: { name: 'emb', sha256: 'a'.repeat(64), configHash: 'c', dimensions: D },
    perFold: [],
    workers: 1,
    seconds: 0.5,
    timings: { load: 0.1, fit: 0.3, save: 0 },
    ...o,
  })

  beforeAll(async () => {
    ;({ store, cleanup } = await tempStore(kind))
    const [ds] = await store.db
      .insertInto('dataset')
      .values({
        name: 'lab',
        source_format: 'cxr14',
        imported_at: '2026-01-01T00:00:00Z',
        image_roots: '[]',
        sources: '{}',
      })
      .returning('id')
      .execute()
    datasetId = ds!.id
    const findings = await store.db
      .insertInto('finding')
      .values(['A', 'B'].map((name, position) => ({ dataset_id: datasetId, name, position })))
      .returning(['id', 'name'])
      .execute()
    findingA = findings.find((f) => f.name === 'A')!.id
    const findingB = findings.find((f) => f.name === 'B')!.id
    const rows = await store.db
      .insertInto('image')
      .values(
        A.map((_, i) => ({
          dataset_id: datasetId,
          name: `f${String(i).padStart(2, '0')}.png`,
          patient: `p${Math.floor(i / 2)}`,
          sex: 'F',
          view: 'PA',
          raw_labels: '',
          on_disk: 1,
        })),
      )
      .returning('id')
      .execute()
    ids = rows.map((r) => r.id)
    const labels = [
      ...A.flatMap((v, i) =>
        v === 0 ? [] : [{ image_id: ids[i]!, finding_id: findingA, value: v }],
      ),
      ...B.flatMap((v, i) =>
        v === 0 ? [] : [{ image_id: ids[i]!, finding_id: findingB, value: v }],
      ),
    ]
    await store.db.insertInto('label').values(labels).execute()
    await deriveFinding(store.db, datasetId, 'AorB', ['A', 'B'])
    const model = await saveEmbeddingModel(store.db, {
      name: 'emb',
      sha256: 'a'.repeat(64),
      configHash: 'c'.repeat(64),
      manifest: '{}',
      dimensions: D,
    })
    // positives of A near (10, 0), the rest near (0, i): two obvious clusters of A's films
    await saveEmbeddings(
      store.db,
      model.id,
      ids.slice(0, 11).map((imageId, i) => ({
        imageId,
        vector: Float32Array.of(A[i] === 1 ? 10 + i / 10 : 0, i),
        contentHash: null,
      })),
    )
  })
  afterAll(async () => cleanup())

  it("[PR1] a finding's films with vectors: uncertain labels and films without a vector counted, vectors in place", async () => {
    const d = await loadProbeData(store.db, { finding: 'a', negatives: 'all' })
    expect(d.finding.name).toBe('A')
    expect(d.names).toEqual([
      'f00.png',
      'f01.png',
      'f02.png',
      'f03.png',
      'f04.png',
      'f06.png',
      'f07.png',
      'f08.png',
      'f09.png',
      'f10.png',
    ])
    expect(Array.from(d.labels)).toEqual([1, 1, 0, 0, 0, 0, 0, 1, 0, 0])
    expect(d.patients[7]).toBe('p4')
    expect(d).toMatchObject({ excludedUncertain: 1, excludedOtherFindings: 0, withoutEmbedding: 1 })
    expect(Array.from(d.vectors.subarray(7 * D, 8 * D))).toEqual([Math.fround(10.8), 8])
  })

  it('[PR1] [PR2] a derived finding is the union of its parts; no-finding negatives carry no label at all', async () => {
    const d = await loadProbeData(store.db, { finding: 'AorB', negatives: 'no-finding' })
    // positives 0, 1, 2, 6, 8; film 5 uncertain; negatives 3, 4, 7, 9, 10 (none has a label)
    expect(Array.from(d.labels)).toEqual([1, 1, 1, 0, 0, 1, 0, 1, 0, 0])
    expect(d.excludedOtherFindings).toBe(0)
    const a = await loadProbeData(store.db, { finding: 'A', negatives: 'no-finding' })
    // B's positives 2 and 6 are not "No Finding" films: left out as negatives of A
    expect(a.names).not.toContain('f02.png')
    expect(a).toMatchObject({ excludedOtherFindings: 2, excludedUncertain: 1 })
    const none = await loadProbeData(store.db, { finding: 'A', negatives: 'none' })
    expect(Array.from(none.labels)).toEqual([1, 1, 1])
  })

  it('[PR6] [PR7] a run is recorded with its saved model in one transaction; a taken name stores nothing', async () => {
    const d = await loadProbeData(store.db, { finding: 'A', negatives: 'all' })
    const scores = Float64Array.from(d.labels, (y, i) => (y + i / 100) / 2)
    const save = { name: 'probe-A', replace: false, imageIds: d.imageIds, scores }
    const first = await saveProbeRun(store, {
      datasetId,
      embeddingModelId: d.embeddingModel.id,
      findingId: findingA,
      report: report(),
      save,
    })
    expect(first.model).toMatchObject({ name: 'probe-A', replaced: false })
    const model = (await listModels(store.db, datasetId)).find((m) => m.name === 'probe-A')!
    expect(model.source).toMatchObject({
      kind: 'probe',
      probe: { finding: 'A', folds: 2, seed: 1, outOfFold: true },
    })
    await expect(checkProbeModelName(store.db, datasetId, 'probe-A', false)).rejects.toThrow(
      /already exists/,
    )
    await expect(
      saveProbeRun(store, {
        datasetId,
        embeddingModelId: d.embeddingModel.id,
        findingId: findingA,
        report: report({ shuffled: true }),
        save,
      }),
    ).rejects.toThrow(/already exists/)
    expect(await listProbeRuns(store.db, datasetId)).toHaveLength(1)
    const again = await saveProbeRun(store, {
      datasetId,
      embeddingModelId: d.embeddingModel.id,
      findingId: findingA,
      report: report({ shuffled: true, auc: 0.5 }),
      save: { ...save, replace: true },
    })
    expect(again.model).toMatchObject({ id: first.model!.id, replaced: true })
    const runs = await listProbeRuns(store.db, datasetId)
    expect(runs.map((r) => [r.run, r.shuffled, r.auc, r.model?.name])).toEqual([
      [first.run, false, 0.75, 'probe-A'],
      [again.run, true, 0.5, 'probe-A'],
    ])
    expect(runs[0]!.createdAt).toMatch(/^\d{4}-/)
  })

  it('[KC1] [KC3] [KC5] clusters of a finding: tags of the reviewed films, one audit per cluster, the same request twice', async () => {
    const reader = await ensureReader(store.db, 'Dr Lab', 'person')
    const at = '2026-01-02T00:00:00Z'
    await store.db.transaction().execute(async (tx) => {
      await appendTagEvents(store, tx, [
        {
          clientEventId: 't1',
          readerId: reader.id,
          auditId: null,
          imageId: ids[8]!,
          tag: 'chest drain',
          on: true,
          createdAt: at,
        },
      ])
      await appendVerdictEvents(store, tx, [
        {
          clientEventId: 'v1',
          readerId: reader.id,
          auditId: null,
          imageId: ids[0]!,
          findingId: findingA,
          verdict: 'present',
          createdAt: at,
        },
      ])
    })
    const o = { finding: 'A', k: 2, seed: 3, audit: { name: 'A groups', top: 2 } }
    const r = await findClusters(store, o)
    expect(r).toMatchObject({ n: 3, positives: 3, negatives: 'none', reader: null })
    // films 0 and 1 (x 10.0, 10.1; y 0 and 1) against film 8 (x 10.8, y 8)
    expect(r.clusters.map((c) => c.images)).toEqual([['f00.png', 'f01.png'], ['f08.png']])
    expect(r.clusters[0]).toMatchObject({ reviewed: 1, tags: [] })
    expect(r.clusters[1]!.tags).toMatchObject([{ tag: 'chest drain', films: 1, share: 1 }])
    expect(r.clusters.map((c) => c.audit?.name)).toEqual([
      'A groups - cluster 1 of 2',
      'A groups - cluster 2 of 2',
    ])
    const again = await findClusters(store, o)
    expect(again.clusters.map((c) => c.audit)).toEqual(
      r.clusters.map((c) => ({ ...c.audit!, created: false })),
    )
    await expect(findClusters(store, { ...o, k: 4 })).rejects.toThrow(
      'A: 3 films with embeddings to cluster, fewer than --k 4',
    )
    const listed = await listClusterAudits(store.db, datasetId)
    expect(listed.map((a) => [a.plan.cluster, a.images])).toEqual([
      [1, [ids[0], ids[1]]],
      [2, [ids[8]]],
    ])
    const own = await findClusters(store, { finding: 'A', k: 2, seed: 3, reader: 'Nobody' }).catch(
      (e: Error) => e.message,
    )
    expect(own).toBe('no reader named "Nobody"')
  })
})
