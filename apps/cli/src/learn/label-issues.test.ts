import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { findBinaryLabelIssues, parseCsv, wilsonInterval } from '@cxr-audit/core'
import { importCxr14 } from '@cxr-audit/ingest'
import {
  appendTagEvents,
  appendVerdictEvents,
  auditSheetItems,
  ensureReader,
  findDataset,
  imageIdMap,
  listFindings,
  openStore,
  type LabelAccuracyReport,
  type LabelIssuesReport,
} from '@cxr-audit/store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sharedData } from '../../../../test-support/shared-data.ts'
import { DIALECTS, tempDatabase } from '../../../../test-support/temp-store.ts'
import { runCli } from '../run-cli.ts'

const PREDICTIONS = sharedData('predictions/densenet121-jrzech-test-preds.csv')
const METADATA = sharedData('cxr14/Data_Entry_2017_v2020.csv.gz')

/** The issues of one finding computed straight from the two files (no database). */
function fromFiles(finding: string): string[] {
  const labels = new Map<string, boolean>()
  for (const row of parseCsv(gunzipSync(readFileSync(METADATA)).toString('utf8')).slice(1)) {
    labels.set(row.fields[0]!, row.fields[1]!.split('|').includes(finding))
  }
  const rows = parseCsv(readFileSync(PREDICTIONS, 'utf8'))
  const column = rows[0]!.fields.indexOf(`prob_${finding}`)
  const names = rows.slice(1).map((r) => r.fields[0]!)
  const y = names.map((n) => (labels.get(n) ? 1 : 0))
  const p = rows.slice(1).map((r) => Number(r.fields[column]))
  return Array.from(findBinaryLabelIssues(y, p, { rankBy: 'self_confidence' }), (i) => names[i]!)
}

describe.each(DIALECTS)(
  'cxr-audit label-issues on the real DenseNet-121 predictions (the real binary, %s)',
  (kind) => {
    let dir: string
    let db: string
    let auditId: number
    let flagged: { image: string; labelled: number }[]
    const cli = (...args: string[]) => runCli([...args, '--db', db])

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'cxr-label-issues-'))
      db = await tempDatabase(kind, dir, 'cli.sqlite')
      const store = await openStore(db)
      await importCxr14(store, { metadata: METADATA, images: [sharedData('cxr14/images')] })
      await store.close()
      const r = cli('import', 'predictions', '--file', PREDICTIONS, '--model', 'densenet', '--json')
      expect(r.code).toBe(0)
    })
    afterAll(() => rmSync(dir, { recursive: true, force: true }))

    it('[LI1] [LI2] --json: model, filter, rank and per finding the image names, most likely wrong first', () => {
      const r = cli(
        'label-issues',
        '--model',
        'densenet',
        '--finding',
        'Pneumothorax',
        '--finding',
        'mass',
        '--json',
      )
      expect(r.stderr).toBe('')
      expect(r.code).toBe(0)
      const out = r.json() as LabelIssuesReport
      expect(out).toMatchObject({
        model: 'densenet',
        filter: 'prune_by_noise_rate',
        rank: 'self_confidence',
      })
      expect(out.findings.map((f) => f.finding)).toEqual(['Pneumothorax', 'Mass'])
      for (const f of out.findings) {
        expect(Object.keys(f)).toEqual(expect.arrayContaining(['finding', 'issues']))
        expect(f.images).toBe(22433)
        expect(f.issues).toEqual(fromFiles(f.finding))
        expect(f.issues.length).toBeGreaterThan(100)
      }
    })

    it('[LI2] --filter and --rank take cleanlab\u2019s names', () => {
      const r = cli(
        'label-issues',
        '--model',
        'densenet',
        '--finding',
        'Hernia',
        '--filter',
        'both',
        '--rank',
        'normalized_margin',
        '--json',
      )
      expect(r.code).toBe(0)
      expect(r.json()).toMatchObject({
        filter: 'both',
        rank: 'normalized_margin',
        findings: [{ finding: 'Hernia' }],
      })
    })

    it('[LI2] [LI3] bad names and options exit 2 with the message in the JSON', () => {
      // refused before the predictions are read (unknown findings: see the store tests)
      for (const args of [
        ['--filter', 'cleverest'],
        ['--top', '5'],
      ]) {
        const bad = cli('label-issues', '--model', 'densenet', ...args, '--json')
        expect(bad.code, args.join(' ')).toBe(2)
        expect(bad.json()).toHaveProperty('error.message')
      }
      expect(cli('label-issues', '--model', 'nobody', '--json').code).toBe(2)
    })

    it('[LI3] --audit NAME --top K opens the top K of each finding as a review audit', async () => {
      const r = cli(
        'label-issues',
        '--model',
        'densenet',
        '--finding',
        'Pneumothorax',
        '--audit',
        'PTX flags',
        '--top',
        '10',
        '--json',
      )
      expect(r.code).toBe(0)
      const out = r.json() as LabelIssuesReport
      expect(out.audit).toMatchObject({ name: 'PTX flags', created: true, top: 10, items: 10 })
      auditId = out.audit!.id
      const store = await openStore(db)
      try {
        const ptx = (await listFindings(store.db, (await findDataset(store.db)).id)).find(
          (f) => f.name === 'Pneumothorax',
        )!
        const items = (await auditSheetItems(store.db, auditId, ptx.id, 0, null)).map((it) => ({
          name: it.name,
          labelled: it.labelled!, // an audit sheet item always has its label
        }))
        flagged = items.map((i) => ({ image: i.name, labelled: i.labelled }))
        expect(flagged.map((f) => f.image)).toEqual(out.findings[0]!.issues.slice(0, 10))
        expect(flagged.map((f) => f.labelled)).toEqual(out.findings[0]!.labels.slice(0, 10))
        // review: 4 labels judged wrong, 3 right, 1 uncertain (through the store, as the workbench does)
        const reader = await ensureReader(store.db, 'Dr Real', 'person')
        const ids = await imageIdMap(
          store.db,
          (await findDataset(store.db)).id,
          flagged.map((f) => f.image),
        )
        const finding = ptx
        const verdict = (k: number) => {
          if (k >= 8) return null
          if (k === 7) return 'uncertain' as const
          const wrong = k < 4
          return (flagged[k]!.labelled === 1) === wrong ? ('absent' as const) : ('present' as const)
        }
        await store.db.transaction().execute((tx) =>
          appendVerdictEvents(
            store,
            tx,
            flagged.flatMap((f, k) => {
              const v = verdict(k)
              return v === null
                ? []
                : [
                    {
                      clientEventId: `real-${k}`,
                      readerId: reader.id,
                      auditId,
                      imageId: ids.get(f.image)!,
                      findingId: finding.id,
                      verdict: v,
                      createdAt: `2025-02-0${1 + (k % 5)}T10:00:00.000Z`,
                    },
                  ]
            }),
          ),
        )
        // the last two films unusable: the page is finished, so its verdicts count [L25]
        await store.db.transaction().execute((tx) =>
          appendTagEvents(
            store,
            tx,
            flagged.slice(8).map((f, k) => ({
              clientEventId: `real-unusable-${k}`,
              readerId: reader.id,
              auditId,
              imageId: ids.get(f.image)!,
              tag: 'image unusable',
              on: true,
              createdAt: '2025-02-06T10:00:00.000Z',
            })),
          ),
        )
      } finally {
        await store.close()
      }
      const again = cli(
        'label-issues',
        '--model',
        'densenet',
        '--finding',
        'Pneumothorax',
        '--audit',
        'PTX flags',
        '--top',
        '10',
      )
      expect(again.code).toBe(0)
      expect(again.stdout).toMatch(/Already there: audit \d+ "PTX flags"/)
    })

    it('[LI4] stats labels says how many flagged labels the reader confirmed wrong, with a Wilson interval', () => {
      const r = cli('stats', 'labels', '--reader', 'Dr Real', '--json')
      expect(r.code).toBe(0)
      const out = r.json() as LabelAccuracyReport
      const w = wilsonInterval(4, 8)
      expect(out.labelIssues).toEqual([
        expect.objectContaining({
          auditId,
          audit: 'PTX flags',
          model: 'densenet',
          finding: 'Pneumothorax',
          flagged: 10,
          judged: 8,
          confirmedWrong: 4,
          confirmedRight: 3,
          uncertain: 1,
          precision: 0.5,
          precisionLow: w.low,
          precisionHigh: w.high,
        }),
      ])
      const byAudit = cli('stats', 'labels', '--audit', String(auditId), '--json')
      expect((byAudit.json() as LabelAccuracyReport).labelIssues[0]).toMatchObject({
        confirmedWrong: 4,
        judged: 8,
      })
      const text = cli('stats', 'labels', '--reader', 'Dr Real')
      expect(text.stdout).toMatch(/confirmed wrong/)
      expect(text.stdout).toMatch(/PTX flags.*Pneumothorax\s+10\s+8\s+4\/3\/1\s+50\.0% \(/)
    })

    it('[LI5] export labels --filtered READER corrects the confirmed errors and lists each change with its provenance', () => {
      const out = join(dir, 'filtered.csv')
      const r = cli('export', 'labels', '--filtered', 'Dr Real', '--out', out, '--json')
      expect(r.stderr).toBe('')
      expect(r.code).toBe(0)
      const s = r.json() as {
        filtered: boolean
        changedImages: number
        changesFile: string
        corrections: {
          image: string
          finding: string
          original: number
          new: number
          reader: string
          audit: string
          auditId: number
          time: string
        }[]
      }
      const wrong = flagged.slice(0, 4)
      expect(s.filtered).toBe(true)
      expect(s.corrections.map((c) => c.image).sort()).toEqual(wrong.map((f) => f.image).sort())
      for (const c of s.corrections) {
        const f = wrong.find((w) => w.image === c.image)!
        expect(c).toMatchObject({
          finding: 'Pneumothorax',
          original: f.labelled,
          new: 1 - f.labelled,
          reader: 'Dr Real',
          audit: 'PTX flags',
          auditId,
        })
        expect(c.time).toMatch(/^2025-02-0\dT10:00:00.000Z$/)
      }
      expect(s.changedImages).toBe(4)
      const lines = readFileSync(out, 'utf8').trim().split('\n')
      expect(lines).toHaveLength(112121)
      for (const f of wrong) {
        const line = lines.find((l) => l.startsWith(`${f.image},`))!
        expect(line.split(',')[1]!.split('|').includes('Pneumothorax')).toBe(f.labelled === 0)
      }
      // an image judged right or uncertain keeps its label
      const kept = lines.find((l) => l.startsWith(`${flagged[4]!.image},`))!
      expect(kept.split(',')[1]!.split('|').includes('Pneumothorax')).toBe(
        flagged[4]!.labelled === 1,
      )
      expect(s.changesFile).toBe(join(dir, 'filtered.changes.csv'))
      expect(existsSync(s.changesFile)).toBe(true)
      const changes = readFileSync(s.changesFile, 'utf8').trim().split('\n')
      expect(changes[0]).toBe('Image Index,Finding,Original,New,Applied,Reader,Audit ID,Audit,Time')
      expect(changes).toHaveLength(5)
      const human = cli(
        'export',
        'labels',
        '--filtered',
        'Dr Real',
        '--format',
        'long',
        '--out',
        join(dir, 'h.csv'),
      )
      expect(human.stdout).toMatch(/4 labels confirmed wrong by Dr Real .*\/h\.changes\.csv\./)
      // --format long: one row per correction
      expect(readFileSync(join(dir, 'h.csv'), 'utf8').trim().split('\n')).toHaveLength(5)
    })

    it('[LI5] export labels needs exactly one of --reader and --filtered, and a known reader', () => {
      expect(cli('export', 'labels', '--out', join(dir, 'x.csv'), '--json').code).toBe(2)
      expect(
        cli('export', 'labels', '--filtered', 'Nobody', '--out', join(dir, 'x.csv'), '--json').code,
      ).toBe(2)
    })
  },
)
