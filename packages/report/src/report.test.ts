import { copyFileSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importCxr14, importLabels } from '@cxr-audit/ingest'
import { ensureReader, findDataset, listFindings, now } from '@cxr-audit/store'
import {
  addVerdicts,
  imageRow,
  insertAudit,
  positiveImages,
  reader,
  setImageFields,
} from '@cxr-audit/store/testing'
import { GOOGLE, IMAGES, googleSubsetMetadata } from '../../ingest/src/labels-test-fixture.ts'
import { DIALECTS, tempStore } from '../../ingest/src/test-helpers.ts'
import { esc } from './escape.ts'
import { forestPlotSvg } from './forest-plot.ts'
import { renderReportHtml } from './html.ts'
import { buildReport } from './report-data.ts'
import { writeReport } from './write-report.ts'

const HOSTILE = 'dr <script>alert("x")</script> & co'

describe.each(DIALECTS)('the audit report (%s)', (kind) => {
  let t: Awaited<ReturnType<typeof tempStore>>
  let auditId: number
  beforeAll(async () => {
    t = await tempStore(kind)
    const onDisk = new Set(readdirSync(IMAGES))
    await importCxr14(t.store, {
      metadata: googleSubsetMetadata(t.dir, 0, onDisk),
      images: [IMAGES],
    })
    await importLabels(t.store, { file: GOOGLE.adjudicated, reader: 'google' })
    await importLabels(t.store, { file: GOOGLE.readers, reader: 'gr', readerColumn: 'Reader ID' })
    // a person with a hostile name marks six images on disk: positives wrong (red), one doubtful
    const ds = await findDataset(t.store.db)
    const findings = await listFindings(t.store.db, ds.id)
    const effusion = findings.find((f) => f.name === 'Effusion')!
    const positives = (
      await positiveImages(t.store.db, effusion.id, { limit: 6, orderBy: 'name', onDisk: true })
    ).map((id) => ({ id }))
    const person = await ensureReader(t.store.db, HOSTILE, 'person')
    auditId = await insertAudit(t.store.db, {
      datasetId: ds.id,
      name: 'effusion <b>check</b>',
      seed: '20240601',
      plan: {},
      items: positives.map((p) => ({ imageId: p.id, findingId: effusion.id, labelled: 1 })),
    })
    await addVerdicts(
      t.store,
      positives.map((p, i) => ({
        clientEventId: `report-test-${i}`,
        readerId: person.id,
        auditId,
        imageId: p.id,
        findingId: effusion.id,
        verdict: i === 0 ? 'uncertain' : i < 4 ? 'absent' : 'present',
        createdAt: now(),
      })),
    )
  })
  afterAll(async () => t.cleanup())

  it('[L17] [L18] a reader report: self-contained, the accuracy table, the forest plot, agreement, cohort, versions', async () => {
    const model = await buildReport(t.store, {
      reader: reader('google'),
      agreementPrefix: 'gr:',
      replicates: 50,
    })
    const html = renderReportHtml(model)
    expect(html).not.toMatch(/<script/i)
    expect(html).not.toMatch(/(src|href)="(?!data:)/)
    expect(html).toContain('Content-Security-Policy')
    for (const section of [
      'Label accuracy',
      'Reader agreement',
      'Sample and seed',
      'Readers',
      'Contact sheets',
      'Cohort',
      'Versions',
    ])
      expect(html).toContain(`<h2>${section}`)
    expect(html).toContain('31.6% [19.1%, 47.5%]')
    expect(html).toContain('Fracture (in validation_labels.csv)')
    // one dot per finding, one diamond for the only finding with a published precision
    const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'))
    expect(svg.match(/<circle cx/g)).toHaveLength(3 + 1)
    expect(svg.match(/<path d="M [\d.]+ \d+ L/g)).toHaveLength(1 + 1)
    expect(model.agreement?.readers).toHaveLength(13)
    expect(model.readers[0]!.imports[0]!.file).toBe('validation_labels.csv')
    expect(model.versions.node).toBe(process.version)
    expect(model.versions.database).toMatch(
      kind === 'sqlite' ? /^sqlite 3\./ : /^postgres PostgreSQL 15/,
    )
  })

  it('[L19] [L21] an audit report: its seed, contact sheets with small inline thumbnails, everything escaped', async () => {
    const model = await buildReport(t.store, { auditId })
    const html = renderReportHtml(model)
    expect(model.sample.seed).toBe('20240601')
    expect(model.sample.findings).toEqual([
      { finding: 'Effusion', drawn: 6, judged: 6, labelledPositive: 6, labelledNegative: 0 },
    ])
    expect(html).not.toContain('<script>alert')
    expect(html).toContain(esc(HOSTILE))
    expect(html).not.toContain('<b>check</b>')
    const [effusion] = model.cases
    expect([effusion!.finding, effusion!.redTotal, effusion!.orangeTotal]).toEqual([
      'Effusion',
      3,
      1,
    ])
    const thumb = effusion!.red[0]!.thumbnail!
    expect(thumb).toMatch(/^data:image\/jpeg;base64,/)
    const meta = await sharp(Buffer.from(thumb.split(',')[1]!, 'base64')).metadata()
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(128)
    expect(html).toContain(`src="${thumb}"`)
    expect(model.agreement).toBeNull()
    expect(model.agreementNote).toMatch(/One reader/)
  })

  it('[L19] a case whose stored path leaves the image roots is listed without its picture', async () => {
    // the report reads files named by database rows: one edited to point elsewhere must be
    // refused (as the workbench refuses it), not embedded in a report that is shared
    const before = await buildReport(t.store, { auditId })
    const shown = before.cases[0]!.red
    const victim = shown[0]!.image
    const row = await imageRow(t.store.db, victim)
    const outside = join(t.dir, 'outside.png')
    copyFileSync(join(IMAGES, victim), outside)
    await setImageFields(t.store.db, row.id, { path: outside })
    try {
      const after = await buildReport(t.store, { auditId })
      const red = after.cases[0]!.red
      expect(red.find((c) => c.image === victim)?.thumbnail).toBeNull()
      expect(red.filter((c) => c.thumbnail !== null)).toHaveLength(shown.length - 1)
    } finally {
      await setImageFields(t.store.db, row.id, { path: row.path })
    }
  })

  it('[L18] the forest plot escapes its labels', () => {
    const svg = forestPlotSvg(
      [{ label: '<x>', value: 0.5, low: 0.4, high: 0.6, published: null, n: 9 }],
      'a & b',
    )
    expect(svg).toContain('&lt;x&gt;')
    expect(svg).toContain('a &amp; b')
    expect(svg).not.toContain('<x>')
  })

  it('[L20] a .pdf is printed by Chromium; another extension is refused', async () => {
    const out = join(t.dir, 'report.pdf')
    const s = await writeReport(t.store, out, { auditId })
    expect(readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-')
    expect(s.format).toBe('pdf')
    expect(s.model.versions.chromium).toMatch(/^\d+\./)
    await expect(writeReport(t.store, join(t.dir, 'r.txt'), { auditId })).rejects.toThrow(
      /\.html or a \.pdf/,
    )
  })
})
