import { ensureReader } from './readers.ts'
import { now, type Store } from './store.ts'
import type { Verdict } from '@cxr-audit/core'
import { appendTagEvents, appendVerdictEvents } from './verdicts.ts'
import { writePredictions } from './model-predictions.ts'

/**
 * A small dataset for the model tests (not exported from the package): findings Mass, Nodule,
 * Pneumothorax, Hernia and the derived Nodule/Mass; 40 images (img00..img39) with alternating
 * sex, views, ages and splits; a model "m" scoring Mass, Nodule, Pneumothorax and Hernia.
 */
export interface ModelFixture {
  readonly datasetId: number
  readonly finding: Readonly<Record<string, number>>
  readonly image: readonly number[]
  readonly labels: Readonly<Record<string, readonly number[]>>
  readonly scores: Readonly<Record<string, readonly number[]>>
}

export const FIXTURE_FINDINGS = ['Mass', 'Nodule', 'Pneumothorax', 'Hernia'] as const
export const FIXTURE_IMAGES = 40

export async function makeModelFixture(store: Store, name = 'fixture'): Promise<ModelFixture> {
  const db = store.db
  const ds = await db
    .insertInto('dataset')
    .values({ name, source_format: 'cxr14', imported_at: now(), image_roots: '[]', sources: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const finding: Record<string, number> = {}
  const all: [string, string | null][] = [
    ...FIXTURE_FINDINGS.map((f): [string, null] => [f, null]),
    ['Nodule/Mass', JSON.stringify(['Nodule', 'Mass'])],
  ]
  for (const [position, [f, from]] of all.entries()) {
    const row = await db
      .insertInto('finding')
      .values({ dataset_id: ds.id, name: f, derived_from: from, position })
      .returning('id')
      .executeTakeFirstOrThrow()
    finding[f] = row.id
  }
  const image: number[] = []
  for (let i = 0; i < FIXTURE_IMAGES; i++) {
    const row = await db
      .insertInto('image')
      .values({
        dataset_id: ds.id,
        name: `img${String(i).padStart(2, '0')}.png`,
        patient: `p${Math.floor(i / 2)}`,
        age: i === 39 ? null : 10 + 2 * i,
        sex: i % 2 === 0 ? 'F' : 'M',
        view: i % 3 === 0 ? 'AP' : 'PA',
        follow_up: 0,
        width: null,
        height: null,
        spacing_x: null,
        spacing_y: null,
        split: i < 30 ? 'train' : 'test',
        path: null,
        on_disk: i < 20 ? 1 : 0,
        raw_labels: '',
        content_hash: null,
        bit_depth: null,
        channels: null,
        mean_intensity: null,
        border_mean: null,
        centre_mean: null,
        phash: null,
        unreadable_reason: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    image.push(row.id)
  }
  // labels: Mass every 4th image, Nodule every 5th, Pneumothorax every 3rd (image 7 uncertain),
  // Hernia never
  const labels: Record<string, number[]> = {
    Mass: image.map((_, i) => (i % 4 === 0 ? 1 : 0)),
    Nodule: image.map((_, i) => (i % 5 === 0 ? 1 : 0)),
    Pneumothorax: image.map((_, i) => (i === 7 ? -1 : i % 3 === 0 ? 1 : 0)),
    Hernia: image.map(() => 0),
  }
  const rows: [number, number, number][] = []
  for (const f of FIXTURE_FINDINGS)
    labels[f]!.forEach((v, i) => {
      if (v !== 0) rows.push([image[i]!, finding[f]!, v])
    })
  await db
    .transaction()
    .execute((tx) => store.bulkInsert(tx, 'label', ['image_id', 'finding_id', 'value'], rows))
  // scores: informative but imperfect, all distinct
  const scores: Record<string, number[]> = {}
  FIXTURE_FINDINGS.forEach((f, k) => {
    scores[f] = image.map((_, i) => {
      const noise = ((i * 37 + k * 11) % 40) / 100
      return Math.min(0.999, (labels[f]![i] === 1 ? 0.45 : 0.1) + noise + i / 10000)
    })
  })
  await writePredictions(store, {
    datasetId: ds.id,
    model: 'm',
    findingIds: FIXTURE_FINDINGS.map((f) => finding[f]!),
    rows: image.map((imageId, i) => ({
      imageId,
      scores: FIXTURE_FINDINGS.map((f) => scores[f]![i]!),
    })),
    replace: false,
    source: {
      file: 'fixture.csv',
      idColumn: 'Image Index',
      prefix: 'prob_',
      columns: {},
      unknownFindings: [],
      ignoredColumns: [],
      rows: FIXTURE_IMAGES,
      unknownImages: 0,
      skippedRows: 0,
    },
  })
  return { datasetId: ds.id, finding, image, labels, scores }
}

let eventCounter = 0

/** Appends verdicts of one reader: [image index, finding, verdict | null]. */
export async function giveVerdicts(
  store: Store,
  fx: ModelFixture,
  reader: string,
  marks: readonly [number, string, Verdict | null][],
): Promise<void> {
  const r = await ensureReader(store.db, reader, 'person')
  await store.db.transaction().execute((tx) =>
    appendVerdictEvents(
      store,
      tx,
      marks.map(([i, f, verdict]) => ({
        clientEventId: `v${++eventCounter}`,
        readerId: r.id,
        auditId: null,
        imageId: fx.image[i]!,
        findingId: fx.finding[f]!,
        verdict,
        createdAt: now(),
      })),
    ),
  )
}

/** Appends tag events of one reader: [image index, tag, on]. */
export async function giveTags(
  store: Store,
  fx: ModelFixture,
  reader: string,
  marks: readonly [number, string, boolean][],
): Promise<void> {
  const r = await ensureReader(store.db, reader, 'person')
  await store.db.transaction().execute((tx) =>
    appendTagEvents(
      store,
      tx,
      marks.map(([i, tag, on]) => ({
        clientEventId: `t${++eventCounter}`,
        readerId: r.id,
        auditId: null,
        imageId: fx.image[i]!,
        tag,
        on,
        createdAt: now(),
      })),
    ),
  )
}
