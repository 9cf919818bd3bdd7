import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { tempStore } from '../../../test-support/temp-store.ts'
import { copyDatabase, hidePassword } from './db-copy.ts'
import { saveEmbeddingModel, saveEmbeddings } from './embeddings.ts'
import { ensureReader } from './readers.ts'
import { recordReadingEvents } from './reading-events.ts'
import { giveTags, giveVerdicts, makeModelFixture } from './model-fixture.ts'
import { now, type Store, type StoreKind } from './store.ts'

/** Every row of every table, in key order, as plain values (bytes as hex), for comparison. */
async function dump(store: Store): Promise<Record<string, unknown[][]>> {
  const tables =
    store.kind === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'table'
          and name not like 'sqlite_%' and name not like 'kysely_%' order by name`.execute(store.db)
      : await sql<{ name: string }>`select tablename as name from pg_tables
          where schemaname = current_schema() and tablename not like 'kysely_%' order by tablename`.execute(
          store.db,
        )
  // PostgreSQL reads a bigint back as a string: compare the numbers
  const big = new Set(
    store.kind === 'postgres'
      ? (
          await sql<{ t: string; c: string }>`select table_name as t, column_name as c
            from information_schema.columns where table_schema = current_schema()
            and data_type = 'bigint'`.execute(store.db)
        ).rows.map((r) => `${r.t}.${r.c}`)
      : [],
  )
  const out: Record<string, unknown[][]> = {}
  for (const { name } of tables.rows) {
    const r = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(store.db)
    out[name] = r.rows
      .map((row) =>
        Object.keys(row)
          .sort()
          .map((k) => {
            const v =
              big.has(`${name}.${k}`) && typeof row[k] === 'string' ? Number(row[k]) : row[k]
            return v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v
          }),
      )
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
  }
  return out
}

/** A project with a row in every table: images, labels, boxes, audits, events, vectors, ... */
async function fill(store: Store): Promise<void> {
  const f = await makeModelFixture(store)
  const db = store.db
  await giveVerdicts(store, f, 'Dr A', [
    [0, 'Mass', 'absent'],
    [1, 'Mass', 'present'],
    [1, 'Mass', null],
  ])
  await ensureReader(db, 'google', 'imported')
  await giveVerdicts(store, f, 'Dr <B>', [[2, 'Nodule', 'uncertain']])
  await giveTags(store, f, 'Dr A', [[0, 'chest drain', true]])
  const a = await db
    .insertInto('audit')
    .values({
      dataset_id: f.datasetId,
      name: 'PPV <Mass>',
      seed: '42',
      plan: JSON.stringify({ findings: ['Mass'] }),
      blinded: 0,
      tag_set: '["chest drain"]',
      created_at: now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('audit_item')
    .values(
      [0, 1, 2].map((position) => ({
        audit_id: a.id,
        position,
        image_id: f.image[position]!,
        finding_id: f.finding['Mass']!,
        labelled: 1,
      })),
    )
    .execute()
  await db
    .insertInto('box')
    .values({
      image_id: f.image[3]!,
      finding_id: f.finding['Mass']!,
      x: 1.5,
      y: 2.25,
      w: 30,
      h: 40,
    })
    .execute()
  await db
    .insertInto('import_problem')
    .values({
      dataset_id: f.datasetId,
      kind: 'not-in-metadata',
      description: 'ünïcode ✓',
      count: 1,
      examples: '["x.png"]',
    })
    .execute()
  const reader = await db
    .selectFrom('reader')
    .select('id')
    .where('name', '=', 'google')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('reader_box')
    .values({
      reader_id: reader.id,
      image_id: f.image[3]!,
      finding_id: f.finding['Mass']!,
      x: 1.5,
      y: 2.25,
      w: 30,
      h: 40,
    })
    .execute()
  await db
    .insertInto('label_import' as never)
    .values({
      dataset_id: f.datasetId,
      reader_id: reader.id,
      file: '/data/labels.csv',
      sha256: 'ab'.repeat(32),
      format: 'google',
      mapped: '{}',
      ignored: '[]',
      unmatched: '[]',
      images: 1,
      verdicts: 1,
      unknown_images: 0,
      imported_at: now(),
    } as never)
    .execute()
  await db
    .insertInto('dicom_instance')
    .values({
      image_id: f.image[4]!,
      study_uid: '1.2.3',
      series_uid: '1.2.3.4',
      sop_class_uid: '1.2.840.10008.5.1.4.1.1.1.1',
      modality: 'DX',
      study_date: null,
      identity_removed: 1,
      burned_in: 'NO',
    })
    .execute()
  const model = await saveEmbeddingModel(db, {
    name: 'mobilenet',
    sha256: 'cd'.repeat(32),
    configHash: 'ef'.repeat(32),
    manifest: '{}',
    dimensions: 3,
  })
  // more vectors than one page of the copy, with exact float bits and a NaN payload
  await saveEmbeddings(
    db,
    model.id,
    f.image.map((imageId, i) => ({
      imageId,
      vector: new Float32Array([i + 0.1, -1e-30, i === 7 ? Number.NaN : 3.4e38]),
      contentHash: i % 2 === 0 ? `h${i}` : null,
    })),
  )
  // the tables of accounts (009), the lab (008), other datasets (012) and the report (013)
  await db
    .insertInto('session')
    .values({
      token_hash: '01'.repeat(32),
      reader_id: reader.id,
      csrf_token: 'csrf',
      created_at: now(),
      expires_at: now(),
      ended_at: null,
      address: '127.0.0.1',
    })
    .execute()
  await db
    .insertInto('assignment')
    .values({ audit_id: a.id, reader_id: reader.id, assigned_at: now(), assigned_by: 'admin' })
    .execute()
  await db
    .insertInto('activity')
    .values({
      at: now(),
      actor: 'admin',
      actor_id: null,
      action: 'audit.create',
      target: 'PPV <Mass>',
      detail: '{"seed":42}',
      address: null,
    })
    .execute()
  await db
    .insertInto('finding_same')
    .values({
      a_dataset: 'CheXpert',
      a_finding: 'Pleural Effusion',
      b_dataset: 'ChestX-ray14',
      b_finding: 'Effusion',
      created_at: now(),
    })
    .execute()
  await db
    .insertInto('probe_run')
    .values({
      dataset_id: f.datasetId,
      finding: 'Mass',
      embedding_model_id: model.id,
      embedding_model: 'mobilenet',
      negatives: 'all',
      folds: 5,
      seed: '1',
      shuffled: 0,
      n: 8,
      positives: 3,
      auc: 0.75,
      auc_low: 0.5,
      auc_high: 1,
      train_auc: 0.9,
      model_id: null,
      warning: null,
      seconds: 1.25,
      report: '{}',
      created_at: now(),
    })
    .execute()
  await db
    .insertInto('source_file')
    .values({
      dataset_id: f.datasetId,
      role: 'metadata',
      name: 'Data_Entry_2017.csv',
      sha256: '02'.repeat(32),
      bytes: 123,
      recorded_at: now(),
    })
    .execute()
  // reading conditions (015): a page shown, a film opened, a preset applied
  const drA = await ensureReader(db, 'Dr A', 'person')
  await recordReadingEvents(store, drA.id, [
    {
      kind: 'sheet',
      clientEventId: 'read-1',
      auditId: a.id,
      findingId: f.finding['Mass']!,
      page: 0,
    },
    { kind: 'viewer', clientEventId: 'read-2', auditId: a.id, imageId: f.image[1]! },
    {
      kind: 'preset',
      clientEventId: 'read-3',
      auditId: a.id,
      imageId: f.image[1]!,
      preset: 'lung',
    },
  ])
  await db
    .insertInto('study_film')
    .values([
      {
        image_id: f.image[6]!,
        position: 0,
        name: 'p1/s1/view1_frontal.jpg',
        view: 'frontal',
        path: '/x/1.jpg',
      },
      {
        image_id: f.image[6]!,
        position: 1,
        name: 'p1/s1/view2_lateral.jpg',
        view: 'lateral',
        path: '/x/2.jpg',
      },
    ])
    .execute()
  // a verdict deleted on the source: its id must never be handed out again on the target
  await giveVerdicts(store, f, 'Dr A', [[5, 'Mass', 'present']])
  await sql`delete from verdict_event where id = (select max(id) from verdict_event)`.execute(db)
}

const PAIRS: readonly (readonly [StoreKind, StoreKind])[] = [
  ['sqlite', 'postgres'],
  ['postgres', 'sqlite'],
]

describe.each(PAIRS)('[T1] db copy from %s to %s', (fromKind, toKind) => {
  let from: Awaited<ReturnType<typeof tempStore>>
  let to: Awaited<ReturnType<typeof tempStore>>
  beforeAll(async () => {
    from = await tempStore(fromKind)
    to = await tempStore(toKind)
    await fill(from.store)
  })
  afterAll(async () => {
    await from.cleanup()
    await to.cleanup()
  })

  it('copies every table, row for row, ids kept, and checks the counts', async () => {
    // pages of 7 rows: keyset paging over one-, two- and three-column keys
    const progress: number[] = []
    const report = await copyDatabase(from.store, to.store, {
      pageRows: 7,
      onProgress: (_table, done) => progress.push(done),
    })
    expect(progress.length).toBeGreaterThan(20)
    expect(progress.at(-1)).toBe(report.rows)
    const source = await dump(from.store)
    const target = await dump(to.store)
    expect(Object.keys(target)).toEqual(Object.keys(source))
    for (const table of Object.keys(source)) {
      // every table of the schema holds rows, so each is really exercised
      expect(source[table]!.length, table).toBeGreaterThan(0)
      expect(target[table], table).toEqual(source[table])
    }
    expect(report.tables.map((t) => t.table).sort()).toEqual(Object.keys(source))
    expect(report.rows).toBe(Object.values(source).reduce((a, r) => a + r.length, 0))
    // referenced tables come before the tables that refer to them
    const order = report.tables.map((t) => t.table)
    expect(order.indexOf('dataset')).toBeLessThan(order.indexOf('image'))
    expect(order.indexOf('image')).toBeLessThan(order.indexOf('verdict_event'))
    expect(order.indexOf('embedding_model')).toBeLessThan(order.indexOf('embedding'))
  })

  it('sets the sequences past every id the source handed out', async () => {
    const top = await sql<{ m: number }>`select max(id) as m from verdict_event`.execute(
      from.store.db,
    )
    const deleted = Number(top.rows[0]!.m) + 1 // the fixture deleted the last verdict event
    const reader = await to.store.db.selectFrom('reader').select('id').executeTakeFirstOrThrow()
    const image = await to.store.db.selectFrom('image').select('id').executeTakeFirstOrThrow()
    const finding = await to.store.db.selectFrom('finding').select('id').executeTakeFirstOrThrow()
    const row = await to.store.db
      .insertInto('verdict_event')
      .values({
        client_event_id: 'after-copy-0001',
        reader_id: reader.id,
        audit_id: null,
        image_id: image.id,
        finding_id: finding.id,
        verdict: 'present',
        created_at: now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    expect(row.id).toBe(deleted + 1)
    const ds = await to.store.db
      .insertInto('dataset')
      .values({
        name: 'second',
        source_format: 'x',
        imported_at: now(),
        image_roots: '[]',
        sources: '{}',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const max = await sql<{
      m: number
    }>`select max(id) as m from dataset where name <> 'second'`.execute(to.store.db)
    expect(ds.id).toBe(Number(max.rows[0]!.m) + 1)
  })

  it('refuses a target that holds data, and changes nothing', async () => {
    const before = await dump(to.store)
    await expect(copyDatabase(from.store, to.store)).rejects.toThrow(
      /is not empty \(rows in .*dataset.*\).*--replace/,
    )
    expect(await dump(to.store)).toEqual(before)
  })

  it('replaces what the target holds when told to, in one transaction, its activity log too', async () => {
    const report = await copyDatabase(from.store, to.store, { replace: true })
    expect(report.replaced).toBe(true)
    expect(await dump(to.store)).toEqual(await dump(from.store))
    // the log's append-only guard is back in force after the replace
    await expect(sql`delete from activity`.execute(to.store.db)).rejects.toThrow(/append-only/)
  })
})

describe('[T1] db copy failures', () => {
  it('leaves the target as it was when a row cannot be written', async () => {
    const from = await tempStore('sqlite')
    const to = await tempStore('postgres')
    try {
      await fill(from.store)
      // a value PostgreSQL's integer column cannot hold: the copy fails half-way through
      await sql`update image set width = 'wide' where id = (select max(id) from image)`.execute(
        from.store.db,
      )
      await expect(copyDatabase(from.store, to.store)).rejects.toThrow()
      const counts = await sql<{
        n: string
      }>`select (select count(*) from dataset) + (select count(*) from finding) + (select count(*) from image) as n`.execute(
        to.store.db,
      )
      expect(Number(counts.rows[0]!.n)).toBe(0)
    } finally {
      await from.cleanup()
      await to.cleanup()
    }
  })

  it('hides the password of a PostgreSQL URL', () => {
    expect(hidePassword('postgres://cxr:s3cr:et@db.example:5432/audit')).toBe(
      'postgres://cxr:***@db.example:5432/audit',
    )
    expect(hidePassword('postgres://cxr@db/audit')).toBe('postgres://cxr@db/audit')
    expect(hidePassword('/tmp/a.sqlite')).toBe('/tmp/a.sqlite')
  })
})
