import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS, tempStore } from '../../../test-support/temp-store.ts'
import { listFindings } from './datasets.ts'
import { loadModelData } from './model-data.ts'
import { findModel, writePredictions } from './model-predictions.ts'
import { now, type Store } from './store.ts'

// more images than one query of labels takes (ids go by lists of 5,000)
const IMAGES = 12_345

describe.each(DIALECTS)('loadModelData on a large model (%s)', (kind) => {
  let store: Store
  let cleanup: () => Promise<void>
  const positive = (i: number): boolean => i % 7 === 0
  const uncertain = (i: number): boolean => i % 11 === 5
  const score = (i: number, f: number): number => ((i * 7919 + f * 104_729) % 100_003) / 100_003

  beforeAll(async () => {
    ;({ store, cleanup } = await tempStore(kind))
    const db = store.db
    const ds = await db
      .insertInto('dataset')
      .values({
        name: 'big',
        source_format: 'test',
        imported_at: now(),
        image_roots: '[]',
        sources: '{}',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    for (const [position, name] of ['Mass', 'Nodule'].entries())
      await db
        .insertInto('finding')
        .values({ dataset_id: ds.id, name, derived_from: null, position })
        .execute()
    const findings = await listFindings(db, ds.id)
    const rows = Array.from({ length: IMAGES }, (_, i) => [
      ds.id,
      `img${i}.png`,
      `p${i}`,
      i % 2 === 0 ? 'F' : 'M',
      'PA',
      '',
    ])
    await db
      .transaction()
      .execute((tx) =>
        store.bulkInsert(
          tx,
          'image',
          ['dataset_id', 'name', 'patient', 'sex', 'view', 'raw_labels'],
          rows,
        ),
      )
    const images = await db.selectFrom('image').select('id').orderBy('id').execute()
    const labels: number[][] = []
    images.forEach(({ id }, i) => {
      if (positive(i)) labels.push([id, findings[0]!.id, 1])
      else if (uncertain(i)) labels.push([id, findings[1]!.id, -1])
    })
    await db
      .transaction()
      .execute((tx) => store.bulkInsert(tx, 'label', ['image_id', 'finding_id', 'value'], labels))
    await writePredictions(store, {
      datasetId: ds.id,
      model: 'big',
      findingIds: findings.map((f) => f.id),
      rows: images.map(({ id }, i) => ({ imageId: id, scores: [score(i, 0), score(i, 1)] })),
      replace: false,
      source: {
        file: 'big.csv',
        idColumn: 'Image Index',
        prefix: 'prob_',
        columns: {},
        unknownFindings: [],
        ignoredColumns: [],
        rows: IMAGES,
        unknownImages: 0,
        skippedRows: 0,
      },
    })
  }, 120_000)
  afterAll(() => cleanup())

  it('[M8] every image keeps its exact scores and original labels', async () => {
    const { model, dataset } = await findModel(store.db, 'big')
    const data = await loadModelData(store.db, model, dataset)
    expect(data.images.ids.length).toBe(IMAGES)
    const [mass, nodule] = data.findings
    const scores = [data.scores(mass!), data.scores(nodule!)]
    const labels = [data.labels(mass!), data.labels(nodule!)]
    // image ids were given in name order, so index i is img<i>
    const names = data.images.names.map((n) => Number(n.slice(3, -4)))
    let wrong = 0
    names.forEach((i, k) => {
      if (scores[0]![k] !== score(i, 0) || scores[1]![k] !== score(i, 1)) wrong++
      if (labels[0]![k] !== (positive(i) ? 1 : 0)) wrong++
      if (labels[1]![k] !== (!positive(i) && uncertain(i) ? -1 : 0)) wrong++
    })
    expect(wrong).toBe(0)
    expect(labels[0]!.reduce((a, v) => a + v, 0)).toBe(Math.ceil(IMAGES / 7))
  })
})
