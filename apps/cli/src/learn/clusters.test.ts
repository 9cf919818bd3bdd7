import { readFileSync, rmSync } from 'node:fs'
import {
  delong,
  featureMatrix,
  kMeans,
  parseCsv,
  wilsonInterval,
  youdenThreshold,
  type FeatureMatrix,
} from '@cxr-audit/core'
import {
  appendTagEvents,
  auditSheetItems,
  embeddingModelsOf,
  ensureReader,
  findDataset,
  listAudits,
  loadEmbeddings,
  openStore,
  type ClustersReport,
} from '@cxr-audit/store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../run-cli.ts'
import { labDatabase, metadata, PREDICTIONS } from './lab-fixture.ts'

describe('cxr-audit clusters on real embeddings of the 216 shared films (the real binary)', () => {
  let dir: string
  let db: string
  let x: FeatureMatrix
  let names: string[]
  let idOf: Map<string, number>
  const cli = (...args: string[]) => runCli([...args, '--db', db])
  const clusters = (...args: string[]): ClustersReport => {
    const r = cli('clusters', ...args, '--json')
    expect(r.code, r.stderr).toBe(0)
    return r.json() as ClustersReport
  }
  const has = (name: string, finding: string) => metadata().get(name)!.labels.includes(finding)
  /** DenseNet's Effusion score of every film it scored, from the file. */
  const densenet = (() => {
    let scores: Map<string, number> | undefined
    return () => {
      if (scores !== undefined) return scores
      const rows = parseCsv(readFileSync(PREDICTIONS, 'utf8'))
      const col = rows[0]!.fields.indexOf('prob_Effusion')
      scores = new Map(rows.slice(1).map((r) => [r.fields[0]!, Number(r.fields[col])]))
      return scores
    }
  })()

  beforeAll(async () => {
    ;({ dir, db } = await labDatabase())
    const store = await openStore(db)
    try {
      const dataset = await findDataset(store.db)
      const [model] = await embeddingModelsOf(store.db, dataset.id)
      const m = await loadEmbeddings(store.db, dataset.id, model!)
      names = m.images.map((im) => im.name)
      idOf = new Map(m.images.map((im) => [im.name, im.id]))
      x = featureMatrix(m.vectors, names.length, model!.dimensions)
    } finally {
      await store.close()
    }
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('[KC1] [KC2] k-means of a finding\u2019s positives, as the core function makes it; the model\u2019s Youden threshold on the whole file; reproducible', () => {
    const out = clusters('--finding', 'Effusion', '--k', '3', '--seed', '5', '--model', 'densenet')
    const rows = Int32Array.from(names.flatMap((n, i) => (has(n, 'Effusion') ? [i] : [])))
    expect(out).toMatchObject({
      finding: 'Effusion',
      k: 3,
      seed: 5,
      n: rows.length,
      positives: rows.length,
    })
    const km = kMeans(x, { k: 3, seed: 5, rows })
    const groups = Array.from({ length: 3 }, (_, c) =>
      Array.from(rows, (r, i) => (km.labels[i] === c ? names[r]! : ''))
        .filter((n) => n !== '')
        .sort(),
    ).sort((a, b) => b.length - a.length)
    expect(out.clusters.map((c) => [...c.images].sort())).toEqual(groups)
    expect(out.inertia).toBe(km.inertia)
    // the threshold: Youden's J over every film DenseNet scored, labels from the NIH file
    const scored = [...densenet()]
    const t = youdenThreshold(
      scored.map(([n]) => (has(n, 'Effusion') ? 1 : 0)),
      scored.map(([, s]) => s),
    )
    expect(out.threshold).toMatchObject({
      rule: 'youden',
      value: t.threshold,
      sensitivity: t.sensitivity,
    })
    for (const c of out.clusters) {
      const detected = c.images.filter((n) => densenet().get(n)! >= t.threshold).length
      const w = wilsonInterval(detected, c.size)
      expect(c).toMatchObject({ detected, scoredPositives: c.size })
      expect(c.sensitivity).toEqual({ value: detected / c.size, low: w.low, high: w.high })
      expect(c.distances).toEqual([...c.distances].sort((a, b) => a - b))
    }
    expect(
      clusters('--finding', 'Effusion', '--k', '3', '--seed', '5', '--model', 'densenet'),
    ).toEqual(out)
    expect(
      clusters('--finding', 'Effusion', '--k', '3', '--seed', '6').clusters.map((c) => c.images),
    ).not.toEqual(out.clusters.map((c) => c.images))
  })

  it('[KC2] with negatives: the AUC within each cluster with its DeLong interval', () => {
    const out = clusters(
      '--finding',
      'Effusion',
      '--k',
      '2',
      '--negatives',
      'all',
      '--model',
      'densenet',
    )
    expect(out.n).toBe(216)
    for (const c of out.clusters) {
      const d = delong(
        c.images.map((n) => (has(n, 'Effusion') ? 1 : 0)),
        c.images.map((n) => densenet().get(n)!),
      )
      expect(c.auc).toEqual({ value: d.auc, low: d.low, high: d.high })
    }
  })

  it('[KC3] [KC5] tags of any reader or one reader; each cluster opens as a review audit of its films closest to the centre', async () => {
    const first = clusters('--finding', 'Cardiomegaly', '--k', '2')
    const tagged = first.clusters[0]!.images.slice(0, 3)
    const store = await openStore(db)
    try {
      const a = await ensureReader(store.db, 'Dr Tags', 'person')
      const b = await ensureReader(store.db, 'Dr Other', 'person')
      const ids = new Map((await listAudits(store.db)).map((x) => [x.name, x.id]))
      expect(ids.size).toBe(0)
      const imageIds = tagged.map((name) => ({ id: idOf.get(name)! }))
      const at = '2026-01-02T00:00:00Z'
      await store.db.transaction().execute((tx) =>
        appendTagEvents(
          store,
          tx,
          imageIds.flatMap((im, i) => [
            {
              clientEventId: `a${i}`,
              readerId: a.id,
              auditId: null,
              imageId: im.id,
              tag: 'chest drain',
              on: true,
              createdAt: at,
            },
            ...(i === 0
              ? [
                  {
                    clientEventId: `b${i}`,
                    readerId: b.id,
                    auditId: null,
                    imageId: im.id,
                    tag: 'rotated',
                    on: true,
                    createdAt: at,
                  },
                ]
              : []),
          ]),
        ),
      )
    } finally {
      await store.close()
    }
    const all = clusters(
      '--finding',
      'Cardiomegaly',
      '--k',
      '2',
      '--audit',
      'Cardio groups',
      '--top',
      '4',
    )
    expect(all.clusters[0]).toMatchObject({
      reviewed: 3,
      tags: [
        { tag: 'chest drain', films: 3, share: 1 },
        { tag: 'rotated', films: 1, share: 1 / 3 },
      ],
    })
    const own = clusters('--finding', 'Cardiomegaly', '--k', '2', '--reader', 'Dr Other')
    expect(own.clusters[0]!.tags).toMatchObject([{ tag: 'rotated', films: 1, share: 1 }])
    const made = all.clusters.map((c) => c.audit!)
    expect(made.map((m) => [m.name, m.created])).toEqual([
      ['Cardio groups - cluster 1 of 2', true],
      ['Cardio groups - cluster 2 of 2', true],
    ])
    const store2 = await openStore(db)
    try {
      for (const [i, c] of all.clusters.entries()) {
        const audit = (await listAudits(store2.db)).find((x) => x.id === made[i]!.id)!
        const items = await auditSheetItems(
          store2.db,
          audit.id,
          audit.findings[0]!.findingId,
          0,
          null,
        )
        expect(items.map((it) => it.name)).toEqual(c.images.slice(0, 4))
        expect(items.every((it) => it.labelled === 1)).toBe(true)
      }
    } finally {
      await store2.close()
    }
    const again = clusters(
      '--finding',
      'Cardiomegaly',
      '--k',
      '2',
      '--audit',
      'Cardio groups',
      '--top',
      '4',
    )
    expect(again.clusters.map((c) => c.audit)).toEqual(made.map((m) => ({ ...m, created: false })))
    const other = cli(
      'clusters',
      '--finding',
      'Cardiomegaly',
      '--k',
      '2',
      '--audit',
      'Cardio groups',
      '--top',
      '5',
      '--json',
    )
    expect(other.code).toBe(2)
    expect(other.stderr).toContain('already exists')
  })

  it('[KC1] bad input exits 2 with a message', () => {
    for (const [args, message] of [
      [['--finding', 'Effusion', '--k', '0'], '--k must be a whole number from 1 to 100'],
      [
        ['--finding', 'Effusion', '--k', '2', '--threshold', '0.5'],
        '--threshold goes with --model',
      ],
      [['--finding', 'Effusion', '--k', '2', '--top', '3'], '--top and --blinded go with --audit'],
      [['--finding', 'Effusion', '--k', '2', '--reader', 'Nobody'], 'no reader named "Nobody"'],
      [
        ['--finding', 'Hernia', '--k', '99'],
        'Hernia: 14 films with embeddings to cluster, fewer than --k 99',
      ],
      [
        ['--finding', 'Effusion', '--k', '2', '--model', 'densenet', '--threshold', 'high'],
        'cannot read the threshold',
      ],
    ] as const) {
      const r = cli('clusters', ...args, '--json')
      expect(r.code, args.join(' ')).toBe(2)
      expect((r.json() as { error: { message: string } }).error.message).toContain(message)
    }
  })
})
