import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseCsv, wilsonInterval } from '@cxr-audit/core'
import {
  createAudit,
  findDataset,
  labelAccuracy,
  listFindings,
  loadAuditPools,
  type AuditSummary,
} from '@cxr-audit/store'
import { ensureReader } from '@cxr-audit/store'
import { addTags, addVerdicts, reader, tableRows } from '@cxr-audit/store/testing'
import { importCxr14 } from './cxr14-import.ts'
import { importLabels } from './labels-import.ts'
import { GOOGLE, IMAGES, googleSubsetMetadata } from './labels-test-fixture.ts'
import { DIALECTS, tempStore } from './test-helpers.ts'

/** `Finding Labels` of each image of a metadata file, as written. */
function findingLabels(file: string): Map<string, string> {
  const rows = parseCsv(readFileSync(file, 'utf8'))
  const head = rows[0]!.fields
  const col = head.indexOf('Finding Labels')
  return new Map(rows.slice(1).map((r) => [r.fields[0]!, r.fields[col]!]))
}

/**
 * Google's adjudicated labels as a one-column file: `Abnormal` = YES when any of the four
 * findings is YES, else NO (Google's normal/abnormal call has this shape: YES means the film
 * is not normal, i.e. `No Finding` absent).
 */
function abnormalFile(dir: string): { file: string; abnormal: Map<string, boolean> } {
  const rows = parseCsv(readFileSync(GOOGLE.adjudicated, 'utf8'))
  const head = rows[0]!.fields.map((h) => h.trim())
  const cols = ['Fracture', 'Pneumothorax', 'Airspace opacity', 'Nodule or mass'].map((c) =>
    head.indexOf(c),
  )
  expect(cols.every((c) => c >= 0)).toBe(true)
  const abnormal = new Map<string, boolean>()
  for (const r of rows.slice(1)) {
    const name = r.fields[0]!.trim()
    if (name === '') continue
    abnormal.set(
      name,
      cols.some((c) => r.fields[c]!.trim() === 'YES'),
    )
  }
  const file = join(dir, 'google-abnormal.csv')
  writeFileSync(
    file,
    ['Image Index,Abnormal', ...[...abnormal].map(([n, a]) => `${n},${a ? 'YES' : 'NO'}`)].join(
      '\r\n',
    ),
  )
  return { file, abnormal }
}

describe.each(DIALECTS)('No Finding as a finding, on real NIH and Google files (%s)', (kind) => {
  let t: Awaited<ReturnType<typeof tempStore>>
  let labels: Map<string, string>
  let google: ReturnType<typeof abnormalFile>
  const onDisk = new Set(readdirSync(IMAGES).filter((f) => f.endsWith('.png')))

  beforeAll(async () => {
    t = await tempStore(kind)
    const metadata = googleSubsetMetadata(t.dir, 0, onDisk)
    labels = findingLabels(metadata)
    await importCxr14(t.store, { metadata, images: [IMAGES] })
    google = abnormalFile(t.dir)
  })
  afterAll(async () => t.cleanup())

  it('[X6] a ChestX-ray14 import makes No Finding a labelled finding, positive where the file says so', async () => {
    const dataset = await findDataset(t.store.db)
    const findings = await listFindings(t.store.db, dataset.id)
    expect(findings.at(-1)).toMatchObject({ name: 'No Finding', derivedFrom: null })
    const pools = await loadAuditPools(
      t.store.db,
      dataset.id,
      findings.filter((f) => f.name === 'No Finding'),
      findings,
      { filters: {} },
    )
    const positivesOnDisk = [...labels].filter(
      ([n, l]) => onDisk.has(n) && l === 'No Finding',
    ).length
    expect(pools[0]!.candidates.filter((c) => c.label === 1).length).toBe(positivesOnDisk)
    expect(positivesOnDisk).toBeGreaterThan(10)
  })

  it("[L22] [X6] import labels --map 'Abnormal=not:No Finding': YES is No Finding absent; stats labels reports No Finding", async () => {
    const s = await importLabels(t.store, {
      file: google.file,
      reader: 'google-abnormal',
      map: [{ column: 'Abnormal', finding: 'No Finding', negated: true }],
    })
    expect(s.mapped).toEqual({ Abnormal: 'not:No Finding' })
    expect(s.verdicts).toBe(google.abnormal.size)
    const r = await labelAccuracy(t.store.db, { reader: reader('google-abnormal') })
    expect(r.findings.map((f) => f.finding)).toEqual(['No Finding'])
    const row = r.findings[0]!
    // the same counts straight from the two files
    const c = { present: 0, absent: 0, negativePresent: 0, negativeAbsent: 0 }
    for (const [name, abnormal] of google.abnormal) {
      const nf = labels.get(name)!.split('|').includes('No Finding')
      if (nf && !abnormal) c.present++
      else if (nf) c.absent++
      else if (!abnormal) c.negativePresent++
      else c.negativeAbsent++
    }
    expect(row).toMatchObject({ ...c, uncertain: 0, negativeUncertain: 0 })
    expect(row.labelledPositive).toBe(c.present + c.absent)
    const w = wilsonInterval(c.present, c.present + c.absent)
    expect(row.ppv).toBe(c.present / (c.present + c.absent))
    expect([row.ppvLow, row.ppvHigh]).toEqual([w.low, w.high])
    expect(row.sensitivity).toBe(c.present / (c.present + c.negativePresent))
    expect(row.notSampled).toEqual([])
  })

  it('[W33] audit create --negatives-from no-finding draws negatives among No Finding films only', async () => {
    const dataset = await findDataset(t.store.db)
    const findings = await listFindings(t.store.db, dataset.id)
    const pneumothorax = findings.filter((f) => f.name === 'Pneumothorax')
    const pools = await loadAuditPools(t.store.db, dataset.id, pneumothorax, findings, {
      filters: {},
      negativesFrom: 'no-finding',
    })
    const names = new Map(pools[0]!.candidates.map((c) => [c.name, c.label]))
    for (const [name, label] of names) {
      if (label === 0) expect(labels.get(name)).toBe('No Finding')
      else expect(labels.get(name)!.split('|')).toContain('Pneumothorax')
    }
    const noFindingOnDisk = [...labels].filter(([n, l]) => onDisk.has(n) && l === 'No Finding')
    expect([...names.values()].filter((l) => l === 0).length).toBe(noFindingOnDisk.length)
    const plan = {
      findings: ['Pneumothorax'],
      positives: 3,
      negatives: 4,
      seed: 7,
      filters: {},
      onePerPatient: true,
      blinded: false,
      negativesFrom: 'no-finding' as const,
    }
    const { audit } = await createAudit(t.store, { datasetId: dataset.id, name: 'nf', plan })
    const a: AuditSummary = audit
    expect(a.plan.negativesFrom).toBe('no-finding')
    expect(a.plan.draw[0]!.negatives.drawn).toBe(4)
    const refused = await createAudit(t.store, {
      datasetId: dataset.id,
      name: 'self',
      plan: { ...plan, findings: ['No Finding'] },
    }).catch((e: Error) => e)
    expect(String(refused)).toMatch(/cannot be its own negatives/)
  })

  it('[L25] a page counts only once finished (every film marked or unusable); unfinishedImages and unusable say what was left out', async () => {
    const dataset = await findDataset(t.store.db)
    const { audit } = await createAudit(t.store, {
      datasetId: dataset.id,
      name: 'pages',
      plan: {
        findings: ['Effusion'],
        positives: 3,
        negatives: 20,
        seed: 11,
        filters: {},
        onePerPatient: true,
        blinded: false,
      },
    })
    const items = (await tableRows(t.store.db, 'audit_item'))
      .filter((r) => r['audit_id'] === audit.id)
      .sort((a, b) => Number(a['position']) - Number(b['position']))
    expect(items.length).toBe(23) // two pages: 18 and 5
    const rad = await ensureReader(t.store.db, 'rad', 'person')
    const mark = (from: number, to: number, tag: string) =>
      addVerdicts(
        t.store,
        items.slice(from, to).map((it, k) => ({
          clientEventId: `${tag}-${from + k}`,
          readerId: rad.id,
          auditId: audit.id,
          imageId: Number(it['image_id']),
          findingId: Number(it['finding_id']),
          verdict: it['labelled'] === 1 ? ('present' as const) : ('absent' as const),
          createdAt: '2026-12-01T00:00:00.000Z',
        })),
      )
    await mark(0, 17, 'p1')
    await addTags(t.store, [
      {
        clientEventId: 'u-17',
        readerId: rad.id,
        auditId: audit.id,
        imageId: Number(items[17]!['image_id']),
        tag: 'image unusable',
        on: true,
        createdAt: '2026-12-01T00:00:00.000Z',
      },
    ])
    await mark(18, 19, 'p2') // page 2 begun, not finished
    const half = await labelAccuracy(t.store.db, { auditId: audit.id, reader: reader('rad') })
    expect(half.unfinishedImages).toBe(1)
    expect(half.findings[0]).toMatchObject({
      finding: 'Effusion',
      judged: 17,
      unusable: 1,
      unfinishedImages: 1,
    })
    await mark(19, 23, 'p2')
    const done = await labelAccuracy(t.store.db, { auditId: audit.id, reader: reader('rad') })
    expect(done.unfinishedImages).toBe(0)
    expect(done.findings[0]).toMatchObject({ judged: 22, unusable: 1, unfinishedImages: 0 })
    // without --audit the same rule holds for the reader's verdicts given in audits
    const any = await labelAccuracy(t.store.db, { reader: reader('rad') })
    expect(any.findings.find((f) => f.finding === 'Effusion')).toMatchObject({ judged: 22 })
  })
})
