import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { importPredictions } from '@cxr-audit/ingest'
import {
  auditDesign,
  createGalleries,
  ensureReader,
  findDataset,
  imageIdMap,
  listFindings,
  openStore,
} from '@cxr-audit/store'
import { addVerdicts, insertAudit } from '@cxr-audit/store/testing'
import type { Verdict } from '@cxr-audit/core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { buildFixture } from '../../../server/src/testing/fixture.ts'
import { sharedData } from '../../../../test-support/shared-data.ts'
import { DIALECTS } from '../../../../test-support/temp-store.ts'
import { main } from '../main.ts'

const PREDICTIONS = sharedData('predictions/densenet121-jrzech-test-preds.csv')

let dir: string
let db: string

async function run(...args: string[]): Promise<{ code: number; json: Record<string, unknown> }> {
  let out = ''
  const write = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true))
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
  try {
    const code = await main([...args, '--db', db, '--json'])
    return { code, json: JSON.parse(out) as Record<string, unknown> }
  } finally {
    write.mockRestore()
    err.mockRestore()
  }
}

/** The reader's verdict on the k-th drawn film of a stratum (a fixed pattern). */
const verdictOf = (label: number, k: number): Verdict =>
  label === 1
    ? k % 4 === 0
      ? 'absent'
      : k % 6 === 5
        ? 'uncertain'
        : 'present'
    : k % 5 === 0
      ? 'present'
      : 'absent'

/** Effusion films of the fixture, counted from the shared metadata itself. */
async function effusionCounts(names: readonly string[]): Promise<{ pos: number; neg: number }> {
  const csv = gunzipSync(await readFile(sharedData('cxr14/Data_Entry_2017_v2020.csv.gz')))
  const on = new Set(names)
  let pos = 0
  let neg = 0
  for (const line of csv.toString('utf8').split('\n').slice(1)) {
    const [name, labels] = line.split(',')
    if (name === undefined || !on.has(name)) continue
    if ((labels ?? '').split('|').includes('Effusion')) pos++
    else neg++
  }
  return { pos, neg }
}

interface Marked {
  imageId: number
  label: number
  verdict: Verdict
}

describe.each(DIALECTS)('%s', (kind) => {
  let counts: { pos: number; neg: number }
  let marked: Marked[] = []
  let galleryOnly = 0
  let gallerySize = 0
  let scoreOf: Map<number, number>

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cxr-audit-design-'))
    const fx = await buildFixture({ dir, kind })
    db = fx.db
    counts = await effusionCounts(fx.names)
    const created = await run(
      'audit',
      'create',
      '--name',
      'effusion random',
      '--finding',
      'Effusion',
      '--positives',
      '12',
      '--negatives',
      '20',
      '--all-per-patient',
      '--seed',
      '5',
    )
    expect(created.code).toBe(0)
    const auditId = (created.json['audit'] as { id: number }).id
    const store = await openStore(db)
    try {
      await importPredictions(store, { file: PREDICTIONS, model: 'densenet' })
      const ds = await findDataset(store.db)
      const effusion = (await listFindings(store.db, ds.id)).find((f) => f.name === 'Effusion')!
      const reader = await ensureReader(store.db, 'dr a', 'person')
      const { items } = await auditDesign(store.db, auditId)
      const seen = { 1: 0, 0: 0 } as Record<number, number>
      marked = items.map((it) => ({
        imageId: it.imageId,
        label: it.label,
        verdict: verdictOf(it.label, seen[it.label]!++),
      }))
      const event = (a: number, m: { imageId: number; verdict: Verdict }, n: number) => ({
        clientEventId: `design-${a}-${m.imageId}-${n}`,
        readerId: reader.id,
        auditId: a,
        imageId: m.imageId,
        findingId: effusion.id,
        verdict: m.verdict,
        createdAt: new Date(Date.parse('2026-01-05T09:00:00Z') + n * 20_000).toISOString(),
      })
      await addVerdicts(
        store,
        marked.map((m, n) => event(auditId, m, n)),
      )
      // the model's false positives, reviewed: drawn by score, never in population figures
      const g = await createGalleries(store, {
        model: 'densenet',
        finding: 'Effusion',
        cells: ['fp'],
        size: 6,
        seed: 3,
      })
      const gallery = g.galleries[0]!.audit!.id
      const gItems = (await auditDesign(store.db, gallery)).items
      const inRandom = new Set(marked.map((m) => m.imageId))
      gallerySize = gItems.length
      galleryOnly = gItems.filter((i) => !inRandom.has(i.imageId)).length
      await addVerdicts(
        store,
        gItems.map((i, n) => event(gallery, { imageId: i.imageId, verdict: 'present' }, 1000 + n)),
      )
      // an audit stored before migration 014: one film per patient, no inclusion recorded
      await insertAudit(store.db, {
        datasetId: ds.id,
        name: 'old one per patient',
        seed: '9',
        plan: {
          findings: ['Effusion'],
          positives: 2,
          negatives: 0,
          seed: 9,
          filters: {},
          onePerPatient: true,
          blinded: false,
          sampler: 'sfc32-cyrb128/seed:finding:stratum/v1',
          notes: [],
          draw: [
            {
              finding: 'Effusion',
              positives: { asked: 2, available: 30, drawn: 2 },
              negatives: { asked: 0, available: 0, drawn: 0 },
            },
          ],
        },
        items: marked
          .filter((m) => m.label === 1)
          .slice(0, 2)
          .map((m) => ({ imageId: m.imageId, findingId: effusion.id, labelled: 1 })),
      })
      const rows = (await readFile(PREDICTIONS, 'utf8')).split('\n')
      const col = rows[0]!.split(',').indexOf('prob_Effusion')
      const byName = new Map(
        rows.slice(1).map((l) => [l.split(',')[0]!, Number(l.split(',')[col])]),
      )
      scoreOf = new Map()
      for (const [name, id] of await imageIdMap(store.db, ds.id))
        if (byName.has(name)) scoreOf.set(id, byName.get(name)!)
    } finally {
      await store.close()
    }
  })
  afterAll(async () => rm(dir, { recursive: true, force: true }))

  it('[W38] audit show: strata with their sizes in the dataset and the sample, seed, drawn at random', async () => {
    const r = await run('audit', 'show', 'effusion random')
    expect(r.code).toBe(0)
    const d = r.json['design'] as Record<string, unknown>
    expect(d).toMatchObject({
      drawnBy: 'random',
      kind: 'random',
      seed: 5,
      unit: 'film',
      negativesFrom: 'all',
      weights: 'recorded',
      strataSource: 'recorded',
      population: true,
    })
    expect(d['strata']).toEqual([
      expect.objectContaining({
        finding: 'Effusion',
        stratum: 'positive',
        datasetFilms: counts.pos,
        available: counts.pos,
        asked: 12,
        sampleFilms: 12,
      }),
      expect.objectContaining({
        stratum: 'negative',
        datasetFilms: counts.neg,
        available: counts.neg,
        asked: 20,
        sampleFilms: 20,
      }),
    ])
    expect((r.json['audit'] as { name: string }).name).toBe('effusion random')
  })

  it('[W39] an error gallery is drawn by model score; an old one-per-patient audit says "not recorded"', async () => {
    const list = await run('audit', 'list')
    const names = (list.json['audits'] as { id: number; name: string }[]).map((a) => a.name)
    const gallery = names.find((n) => n !== 'effusion random' && n !== 'old one per patient')!
    const g = await run('audit', 'show', gallery)
    expect(g.json['design']).toMatchObject({ drawnBy: 'model score', population: false })
    const old = await run('audit', 'show', 'old one per patient')
    expect(old.json['design']).toMatchObject({
      drawnBy: 'random',
      unit: 'patient',
      weights: 'not recorded',
      population: false,
    })
    expect((old.json['design'] as { strata: unknown[] }).strata).toEqual([
      expect.objectContaining({ datasetFilms: null, available: 30, sampleFilms: 2 }),
    ])
    const missing = await run('audit', 'show', 'no such audit')
    expect(missing.code).toBe(2)
  })

  it('[L26] [L27] [L28] stats labels --population reweights by the design, with a seeded stratified bootstrap', async () => {
    const r = await run(
      'stats',
      'labels',
      '--reader',
      'dr a',
      '--finding',
      'Effusion',
      '--population',
      '--seed',
      '3',
      '--replicates',
      '400',
    )
    expect(r.code).toBe(0)
    const p = r.json['population'] as {
      bootstrap: { replicates: number; seed: number }
      findings: Record<string, { value: number; low: number; high: number } | unknown>[]
      leftOutTotal: Record<string, number>
    }
    expect(p.bootstrap).toMatchObject({ replicates: 400, seed: 3 })
    expect(p.findings).toHaveLength(1)
    const f = p.findings[0]! as Record<string, { value: number; low: number; high: number }>
    expect(f['audit']).toBe('effusion random')
    // every film judged (pages finished): weight N/n per stratum
    const pos = marked.filter((m) => m.label === 1)
    const neg = marked.filter((m) => m.label === 0)
    const wp = counts.pos / pos.length
    const wn = counts.neg / neg.length
    const n = (list: Marked[], v: Verdict) => list.filter((m) => m.verdict === v).length
    const [pp, pa] = [n(pos, 'present'), n(pos, 'absent')]
    const [np, na] = [n(neg, 'present'), n(neg, 'absent')]
    const expected = {
      prevalence: (wp * pp + wn * np) / (wp * (pp + pa) + wn * (np + na)),
      sensitivity: (wp * pp) / (wp * pp + wn * np),
      specificity: (wn * na) / (wn * na + wp * pa),
      ppv: pp / pos.length,
      npv: na / neg.length,
    }
    for (const [k, v] of Object.entries(expected)) {
      expect(f[k]!.value).toBeCloseTo(v, 12)
      expect(f[k]!.low).toBeLessThanOrEqual(v)
      expect(f[k]!.high).toBeGreaterThanOrEqual(v)
    }
    expect(p.leftOutTotal['drawnByScore']).toBe(galleryOnly)
    expect(p.leftOutTotal['designNotRecorded']).toBe(0)
    const again = await run(
      'stats',
      'labels',
      '--reader',
      'dr a',
      '--finding',
      'Effusion',
      '--population',
      '--seed',
      '3',
      '--replicates',
      '400',
    )
    expect(again.json['population']).toEqual(r.json['population'])
  })

  it('[L29] plain stats labels counts the films drawn by score it pools into the PPV, and warns', async () => {
    const r = await run('stats', 'labels', '--reader', 'dr a', '--finding', 'Effusion')
    expect(r.code).toBe(0)
    const f = (r.json['findings'] as { drawnByScore: number; judged: number }[])[0]!
    // the latest verdict counts: a film judged in the random audit, then in the gallery, is
    // counted by the plain table as judged in the gallery (--population uses the random one)
    expect(f.drawnByScore).toBe(gallerySize)
    expect(galleryOnly).toBeGreaterThan(0)
    expect((r.json['warnings'] as string[])[0]).toMatch(/drawn by model score/)
    const random = await run('stats', 'labels', '--reader', 'dr a', '--audit', '1')
    expect((random.json['warnings'] as string[]).length).toBe(0)
  })

  it('[M48] eval --against READER --population: the weighted AUC, sensitivity and specificity', async () => {
    const r = await run(
      'eval',
      '--model',
      'densenet',
      '--against',
      'dr a',
      '--finding',
      'Effusion',
      '--population',
      '--replicates',
      '300',
    )
    expect(r.code).toBe(0)
    const f = (r.json['findings'] as Record<string, unknown>[])[0]!
    const pop = (f['population'] as Record<string, unknown>[])[0]!
    expect(pop['audit']).toBe('effusion random')
    const films = marked.filter((m) => m.verdict !== 'uncertain')
    expect(pop['films']).toBe(films.length)
    const wOf = (m: Marked) =>
      m.label === 1
        ? counts.pos / marked.filter((x) => x.label === 1).length
        : counts.neg / marked.filter((x) => x.label === 0).length
    // Mann-Whitney with weights, pair by pair
    let num = 0
    let wPos = 0
    let wNeg = 0
    for (const a of films) {
      if (a.verdict === 'present') wPos += wOf(a)
      else wNeg += wOf(a)
      if (a.verdict !== 'present') continue
      for (const b of films) {
        if (b.verdict !== 'absent') continue
        const sa = scoreOf.get(a.imageId)!
        const sb = scoreOf.get(b.imageId)!
        num += wOf(a) * wOf(b) * (sa > sb ? 1 : sa === sb ? 0.5 : 0)
      }
    }
    const auc = pop['auc'] as { value: number; low: number; high: number }
    expect(auc.value).toBeCloseTo(num / (wPos * wNeg), 12)
    expect(auc.low).toBeLessThanOrEqual(auc.value)
    const t = pop['threshold'] as number
    const sens =
      films
        .filter((m) => m.verdict === 'present' && scoreOf.get(m.imageId)! >= t)
        .reduce((s, m) => s + wOf(m), 0) / wPos
    expect((pop['sensitivity'] as { value: number }).value).toBeCloseTo(sens, 12)
    const summary = r.json['population'] as { leftOut: Record<string, number> }
    expect(summary.leftOut['drawnByScore']).toBe(galleryOnly)
    const bad = await run('eval', '--model', 'densenet', '--population')
    expect(bad.code).toBe(2)
  })
})
