import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS, tempStore } from '../../../test-support/temp-store.ts'
import { now, type Store } from './store.ts'

describe.each(DIALECTS)('bulk paths (%s)', (kind) => {
  let store: Store
  let cleanup: () => Promise<void>
  let datasetId: number

  beforeAll(async () => {
    ;({ store, cleanup } = await tempStore(kind))
    const ds = await store.db
      .insertInto('dataset')
      .values({
        name: 'd',
        source_format: 'test',
        imported_at: now(),
        image_roots: '[]',
        sources: '{}',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    datasetId = ds.id
  })
  afterAll(() => cleanup())

  // text that breaks naive SQL or array literals: quotes, commas, braces, backslashes, the word
  // NULL, blanks, non-ASCII
  const AWKWARD = ['a,b', 'say "hi"', "it's", '{x}', 'back\\slash', 'NULL', '', ' ', 'Ünïcode ✓']

  it('[I-9] inserts by columns and by rows, across statement sizes, losing nothing', async () => {
    const n = 257 // more than two 100-row statements and a partial one
    const names = Array.from({ length: n }, (_, i) => `${AWKWARD[i % AWKWARD.length]}#${i}`)
    const ages = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : i / 3))
    await store.db.transaction().execute(async (tx) => {
      const ids = await store.bulk.reserveIds(tx, 'image', n)
      await store.bulk.insertColumns(
        tx,
        'image',
        ['id', 'dataset_id', 'name', 'patient', 'age', 'sex', 'view', 'raw_labels'],
        [
          Int32Array.from(ids),
          new Array<number>(n).fill(datasetId),
          names,
          names.map((_, i) => String(i % 5)),
          ages,
          new Array<string>(n).fill('F'),
          new Array<string>(n).fill('PA'),
          new Array<string>(n).fill(''),
        ],
      )
    })
    const rows = await store.db
      .selectFrom('image')
      .select(['name', 'age', 'on_disk'])
      .orderBy('id')
      .execute()
    expect(rows.map((r) => r.name)).toEqual(names)
    // doubles round-trip exactly (i / 3 has no short decimal form)
    expect(rows.map((r) => r.age)).toEqual(ages)
    // a column not sent takes its default
    expect(new Set(rows.map((r) => r.on_disk))).toEqual(new Set([0]))

    const first = (
      await store.db.selectFrom('image').select('id').orderBy('id').executeTakeFirstOrThrow()
    ).id
    await store.db.transaction().execute(async (tx) => {
      const f = await tx
        .insertInto('finding')
        .values({ dataset_id: datasetId, name: 'Mass', derived_from: null, position: 0 })
        .returning('id')
        .executeTakeFirstOrThrow()
      await store.bulkInsert(
        tx,
        'label',
        ['image_id', 'finding_id', 'value'],
        Array.from({ length: 150 }, (_, i) => [first + i, f.id, i % 2 === 0 ? 1 : -1]),
      )
    })
    const labels = await store.db.selectFrom('label').select('value').orderBy('image_id').execute()
    expect(labels).toHaveLength(150)
    expect(labels.filter((l) => l.value === -1)).toHaveLength(75)
  })

  it('[I-9] a column of one value throughout stores what binding it row by row would', async () => {
    // constant columns are written into the statement (SQLite): nulls, integral numbers in
    // text, integer and real columns, awkward text; and the same values bound, beside them
    const shape = (suffix: string, n: number) => [
      Array.from({ length: n }, (_, i) => `${suffix}${i}`),
      new Array<number>(n).fill(datasetId),
      new Array<string>(n).fill("it's 'q'"),
      new Array<number>(n).fill(68), // age, real
      new Array<string>(n).fill('Ünïcode ✓'),
      new Array<null>(n).fill(null), // path
      new Array<number>(n).fill(3), // follow_up, integer
      new Array<number>(n).fill(7), // split, text: a number bound as a double
    ]
    const columns = ['name', 'dataset_id', 'patient', 'age', 'sex', 'path', 'follow_up', 'split']
    await store.db.transaction().execute(async (tx) => {
      const [a, b] = [shape('const#', 120), shape('bound#', 1)]
      for (const data of [a, b]) {
        const ids = await store.bulk.reserveIds(tx, 'image', data[0]!.length)
        await store.bulk.insertColumns(
          tx,
          'image',
          ['id', ...columns, 'view', 'raw_labels'],
          [ids, ...data, ids.map(() => 'AP'), ids.map(() => '')],
        )
      }
    })
    const read = (prefix: string) =>
      store.db
        .selectFrom('image')
        .select(['patient', 'age', 'sex', 'path', 'follow_up', 'split'])
        .where('name', 'like', `${prefix}#%`)
        .execute()
    const [constant, bound] = [await read('const'), await read('bound')]
    expect(constant).toHaveLength(120)
    expect(new Set(constant.map((r) => JSON.stringify(r)))).toEqual(
      new Set([JSON.stringify(bound[0])]),
    )
    expect(bound[0]).toMatchObject({ patient: "it's 'q'", age: 68, sex: 'Ünïcode ✓', path: null })
    await store.db.deleteFrom('image').where('name', 'like', 'const#%').execute()
    await store.db.deleteFrom('image').where('name', 'like', 'bound#%').execute()
  })

  it('[I-9] deletes by key and reads rows back as arrays in the selected order', async () => {
    const images = await store.db.selectFrom('image').select('id').orderBy('id').execute()
    const f = await store.db.selectFrom('finding').select('id').executeTakeFirstOrThrow()
    const gone = images
      .slice(0, 150)
      .filter((_, i) => i % 3 === 0)
      .map((r) => r.id)
    await store.db
      .transaction()
      .execute((tx) =>
        store.bulk.deleteKeys(
          tx,
          'label',
          ['image_id', 'finding_id'],
          [gone, gone.map(() => f.id)],
        ),
      )
    const rows = await store.db
      .transaction()
      .execute((tx) =>
        store.bulk.selectArrays(
          tx,
          tx.selectFrom('label').select(['value', 'image_id']).orderBy('image_id'),
        ),
      )
    expect(rows).toHaveLength(100)
    expect(rows.every((r) => r.length === 2 && !gone.includes(r[1] as number))).toBe(true)
    expect(rows[0]).toEqual([-1, images[1]!.id])
  })

  it('[I-10] reserves ids above every id ever used, never twice', async () => {
    const top = (
      await store.db
        .selectFrom('image')
        .select('id')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow()
    ).id
    await store.db.deleteFrom('label').execute()
    await store.db.deleteFrom('image').where('id', '=', top).execute()
    const columns = ['id', 'dataset_id', 'name', 'patient', 'sex', 'view', 'raw_labels']
    const insert = (ids: number[], name: string) =>
      store.db
        .transaction()
        .execute((tx) =>
          store.bulk.insertColumns(tx, 'image', columns, [
            ids,
            ...[datasetId, name, 'p', 'M', 'AP', ''].map((v, k) =>
              ids.map((_, i) => (k === 1 ? `${v}${i}` : v)),
            ),
          ]),
        )
    const a = await store.db.transaction().execute((tx) => store.bulk.reserveIds(tx, 'image', 3))
    await insert(a, 'r')
    // the deleted largest id is not handed out again (AUTOINCREMENT; sequences)
    expect(Math.min(...a)).toBeGreaterThan(top)
    expect(new Set(a).size).toBe(3)
    // ids the database makes itself afterwards continue above the reserved ones, and so on
    const made = await store.db
      .insertInto('image')
      .values({
        dataset_id: datasetId,
        name: 'auto',
        patient: 'p',
        sex: 'M',
        view: 'AP',
        on_disk: 0,
        raw_labels: '',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    expect(made.id).toBeGreaterThan(Math.max(...a))
    const b = await store.db.transaction().execute((tx) => store.bulk.reserveIds(tx, 'image', 2))
    await insert(b, 's')
    expect(Math.min(...b)).toBeGreaterThan(made.id)
  })
})
