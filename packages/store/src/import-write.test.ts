import type { ImageRecord, Problem } from '@cxr-audit/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS, tempStore } from '../../../test-support/temp-store.ts'
import {
  ensureFindings,
  markDatasetChanged,
  openDatasetImport,
  storedImportCounts,
} from './import-dataset.ts'
import { syncImages, type ImageImport } from './import-images.ts'
import {
  LabelRows,
  syncBoxes,
  syncImportProblems,
  syncLabels,
  type BoxRow,
} from './import-labels.ts'
import { now, type Store } from './store.ts'

const record = (
  name: string,
  patient: string,
  labels: Record<string, number> = {},
): ImageRecord => ({
  name,
  patient,
  age: 40.5,
  sex: 'F',
  view: 'PA',
  followUp: 0,
  width: 2048,
  height: 2500,
  spacingX: 0.143,
  spacingY: 0.139,
  labels: new Map(Object.entries(labels)),
  rawLabels: Object.keys(labels),
  line: 2,
})

/** One import as the ingest side does it: dataset, findings, images, labels, boxes, problems. */
async function write(
  store: Store,
  input: ImageImport,
  o: { boxes?: (ids: Int32Array, f: Map<string, number>) => BoxRow[]; problems?: Problem[] } = {},
): Promise<{ datasetId: number; ids: Int32Array; changes: number }> {
  return store.db.transaction().execute(async (tx) => {
    const ds = await openDatasetImport(tx, {
      name: 'small',
      sourceFormat: 'test',
      sources: { metadata: 'm.csv' },
      roots: input.files === null ? null : ['/images'],
    })
    const f = await ensureFindings(
      tx,
      ds.id,
      ['Mass', 'Nodule'],
      [{ name: 'Nodule/Mass', from: ['Nodule', 'Mass'] }],
    )
    const images = await syncImages(store, tx, ds.id, input, ds.fresh)
    const labels = new LabelRows()
    input.records.forEach((r, i) => {
      for (const [name, v] of r.labels) labels.push(images.ids[i]!, f.get(name)!, v)
    })
    let changes = images.changes
    changes += await syncLabels(store, tx, ds.id, labels, ds.fresh)
    if (o.boxes !== undefined) changes += await syncBoxes(store, tx, ds.id, o.boxes(images.ids, f))
    changes += await syncImportProblems(store, tx, ds.id, o.problems ?? [])
    if (!ds.fresh && changes > 0) await markDatasetChanged(tx, ds.id)
    return { datasetId: ds.id, ids: images.ids, changes }
  })
}

async function rows(store: Store): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {}
  for (const t of ['dataset', 'finding', 'image', 'label', 'box', 'import_problem'] as const)
    out[t] = (await store.db.selectFrom(t).selectAll().execute())
      .map((r) => JSON.stringify(r))
      .sort()
  return out
}

describe.each(DIALECTS)('writing an import (%s)', (kind) => {
  let store: Store
  let cleanup: () => Promise<void>
  beforeAll(async () => {
    ;({ store, cleanup } = await tempStore(kind))
  })
  afterAll(() => cleanup())

  const records = [
    record('a.png', 'p1', { Mass: 1 }),
    record('b.png', 'p1', { Mass: 1, Nodule: -1 }),
    record('c.png', 'p2'),
  ]
  const box = (ids: Int32Array, f: Map<string, number>): BoxRow[] => [
    [ids[0]!, f.get('Mass')!, 10.5, 20.25, 30, 40],
    [ids[1]!, f.get('Mass')!, 1 / 3, 2, 3, 4],
  ]
  const problem: Problem = { kind: 'k', description: 'd', count: 1, examples: ['x "y"'] }
  let first: Awaited<ReturnType<typeof write>>

  it('[I-2] writes a new dataset: images with ids in record order, labels, boxes, problems', async () => {
    first = await write(
      store,
      {
        records,
        splits: new Map([['a.png', 'train']]),
        files: new Map([['c.png', '/images/c.png']]),
      },
      { boxes: box, problems: [problem] },
    )
    const images = await store.db
      .selectFrom('image')
      .select(['id', 'name', 'age', 'spacing_y', 'split', 'path', 'on_disk', 'raw_labels'])
      .orderBy('id')
      .execute()
    expect(images.map((r) => r.id)).toEqual([...first.ids])
    expect(images).toEqual([
      {
        id: first.ids[0],
        name: 'a.png',
        age: 40.5,
        spacing_y: 0.139,
        split: 'train',
        path: null,
        on_disk: 0,
        raw_labels: 'Mass',
      },
      {
        id: first.ids[1],
        name: 'b.png',
        age: 40.5,
        spacing_y: 0.139,
        split: null,
        path: null,
        on_disk: 0,
        raw_labels: 'Mass|Nodule',
      },
      {
        id: first.ids[2],
        name: 'c.png',
        age: 40.5,
        spacing_y: 0.139,
        split: null,
        path: '/images/c.png',
        on_disk: 1,
        raw_labels: '',
      },
    ])
    expect(
      await store.db
        .selectFrom('label')
        .select(['image_id', 'value'])
        .orderBy('image_id')
        .orderBy('value')
        .execute(),
    ).toEqual([
      { image_id: first.ids[0], value: 1 },
      { image_id: first.ids[1], value: -1 },
      { image_id: first.ids[1], value: 1 },
    ])
    expect(await storedImportCounts(store.db, first.datasetId)).toEqual({
      onDisk: 1,
      splits: { train: 1 },
      boxes: 2,
    })
  })

  it('[I-4] writing the same import again changes no row, id or timestamp', async () => {
    const before = await rows(store)
    const again = await write(
      store,
      {
        records,
        splits: new Map([['a.png', 'train']]),
        files: new Map([['c.png', '/images/c.png']]),
      },
      { boxes: box, problems: [problem] },
    )
    expect(again.changes).toBe(0)
    expect([...again.ids]).toEqual([...first.ids])
    expect(await rows(store)).toEqual(before)
    // the splits given per record, in record order, are the same source
    const perRecord = await write(
      store,
      { records, splits: ['train', null, null], files: new Map([['c.png', '/images/c.png']]) },
      { boxes: box, problems: [problem] },
    )
    expect(perRecord.changes).toBe(0)
    expect(await rows(store)).toEqual(before)
  })

  it('[I-5] a source not given keeps what is stored', async () => {
    const before = await rows(store)
    const again = await write(
      store,
      { records, splits: null, files: null },
      { boxes: box, problems: [problem] },
    )
    expect(again.changes).toBe(0)
    expect(await rows(store)).toEqual(before)
  })

  it('[I-4] matches images by name whatever their order in the source', async () => {
    const before = await rows(store)
    const reversed = [...records].reverse()
    const again = await write(
      store,
      { records: reversed, splits: null, files: null },
      { boxes: (ids, f) => box(ids.slice().reverse(), f), problems: [problem] },
    )
    expect(again.changes).toBe(0)
    expect([...again.ids]).toEqual([...first.ids].reverse())
    expect(await rows(store)).toEqual(before)
  })

  it('[I-4] writes only the differences: a changed row, a changed label, a new and a gone image', async () => {
    const before = await store.db
      .selectFrom('dataset')
      .select('imported_at')
      .executeTakeFirstOrThrow()
    const changed = [
      { ...record('a.png', 'p1', { Nodule: 1 }), age: 41 }, // Mass gone, Nodule new, age changed
      record('b.png', 'p1', { Mass: 1, Nodule: 1 }), // Nodule -1 -> 1
      record('d.png', 'p3', { Mass: -1 }), // new; c.png is gone
    ]
    const r = await write(
      store,
      { records: changed, splits: null, files: null },
      { boxes: box, problems: [problem] },
    )
    expect(r.changes).toBeGreaterThan(0)
    expect(r.ids[0]).toBe(first.ids[0])
    expect(r.ids[1]).toBe(first.ids[1])
    expect(r.ids[2]).toBeGreaterThan(first.ids[2]!)
    const images = await store.db
      .selectFrom('image')
      .select(['name', 'age', 'split'])
      .orderBy('id')
      .execute()
    expect(images).toEqual([
      { name: 'a.png', age: 41, split: 'train' },
      { name: 'b.png', age: 40.5, split: null },
      { name: 'd.png', age: 40.5, split: null },
    ])
    const f = await ensureFindingsNow(store, r.datasetId)
    const labels = await store.db
      .selectFrom('label')
      .select(['image_id', 'finding_id', 'value'])
      .execute()
    expect(new Set(labels.map((l) => `${l.image_id}:${l.finding_id}:${l.value}`))).toEqual(
      new Set([
        `${r.ids[0]}:${f.get('Nodule')}:1`,
        `${r.ids[1]}:${f.get('Mass')}:1`,
        `${r.ids[1]}:${f.get('Nodule')}:1`,
        `${r.ids[2]}:${f.get('Mass')}:-1`,
      ]),
    )
    const after = await store.db
      .selectFrom('dataset')
      .select('imported_at')
      .executeTakeFirstOrThrow()
    expect(after.imported_at >= before.imported_at).toBe(true)
  })

  it('[I-4] keeps a gone image that a verdict refers to; replaces boxes and problems only when they differ', async () => {
    const d = await store.db
      .selectFrom('image')
      .select('id')
      .where('name', '=', 'd.png')
      .executeTakeFirstOrThrow()
    const reader = await store.db
      .insertInto('reader')
      .values({ name: 'r', kind: 'person', created_at: now(), password_hash: null, role: null })
      .returning('id')
      .executeTakeFirstOrThrow()
    const finding = await store.db.selectFrom('finding').select('id').executeTakeFirstOrThrow()
    await store.db
      .insertInto('verdict_event')
      .values({
        client_event_id: 'e',
        reader_id: reader.id,
        audit_id: null,
        image_id: d.id,
        finding_id: finding.id,
        verdict: 'absent',
        created_at: now(),
      })
      .execute()
    const boxIds = await store.db.selectFrom('box').select('id').orderBy('id').execute()
    const r = await write(
      store,
      {
        records: [
          { ...record('a.png', 'p1', { Nodule: 1 }), age: 41 },
          record('b.png', 'p1', { Mass: 1, Nodule: 1 }),
        ],
        splits: null,
        files: null,
      },
      { boxes: box, problems: [problem] },
    )
    // d.png stays (a verdict refers to it) without its labels: its metadata row is gone
    expect(r.changes).toBe(1)
    expect(
      await store.db.selectFrom('label').select('image_id').where('image_id', '=', d.id).execute(),
    ).toEqual([])
    expect(await store.db.selectFrom('image').select('name').orderBy('id').execute()).toEqual([
      { name: 'a.png' },
      { name: 'b.png' },
      { name: 'd.png' },
    ])
    expect(await store.db.selectFrom('box').select('id').orderBy('id').execute()).toEqual(boxIds)
    await write(
      store,
      { records: [record('a.png', 'p1')], splits: null, files: null },
      { boxes: (ids, f) => [[ids[0]!, f.get('Nodule')!, 1, 2, 3, 4]], problems: [] },
    )
    expect(await store.db.selectFrom('box').select(['x', 'w']).execute()).toEqual([{ x: 1, w: 3 }])
    expect(await store.db.selectFrom('import_problem').selectAll().execute()).toEqual([])
  })
})

async function ensureFindingsNow(store: Store, datasetId: number): Promise<Map<string, number>> {
  const rows = await store.db
    .selectFrom('finding')
    .select(['id', 'name'])
    .where('dataset_id', '=', datasetId)
    .execute()
  return new Map(rows.map((r) => [r.name, r.id]))
}

describe('LabelRows', () => {
  it('grows past its first buffer and gives the columns trimmed to its length', () => {
    const l = new LabelRows()
    for (let i = 0; i < 3000; i++) l.push(i, i % 14, (i % 3) - 1)
    const [image, finding, value] = l.columns()
    expect(l.length).toBe(3000)
    expect([image.length, finding.length, value.length]).toEqual([3000, 3000, 3000])
    expect([image[2999], finding[2999], value[2999]]).toEqual([2999, 2999 % 14, 1])
    expect(value[2]).toBe(1)
    expect(value[0]).toBe(-1)
  })
})
