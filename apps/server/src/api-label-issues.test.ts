import { wilsonInterval } from '@cxr-audit/core'
import { importPredictions } from '@cxr-audit/ingest'
import { findModelLabelIssues, type LabelIssuesReport } from '@cxr-audit/store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../../test-support/temp-store.ts'
import { sharedData } from '../../../test-support/shared-data.ts'
import type { AuditDto, ResultsDto } from '@cxr-audit/contract'
import { openTestApp, type TestApp } from './testing/test-app.ts'

let t: TestApp
let report: LabelIssuesReport
let audit: AuditDto

describe.each(DIALECTS)('%s', (kind) => {
  beforeAll(async () => {
    // the 216 shared images, scored by the real DenseNet-121
    t = await openTestApp({ kind })
    await importPredictions(t.store, {
      file: sharedData('predictions/densenet121-jrzech-test-preds.csv'),
      model: 'densenet',
    })
    report = await findModelLabelIssues(t.store, {
      model: 'densenet',
      findings: ['Effusion', 'Infiltration'],
      audit: { name: 'flags', top: 6 },
    })
    const audits = await t.json<{ audits: AuditDto[] }>('GET', '/api/audits')
    audit = audits.body.audits.find((a) => a.id === report.audit!.id)!
  })
  afterAll(async () => t?.close())

  describe('a label-issue audit in the workbench', () => {
    it('[LI3] opens as an ordinary audit: one sheet per finding, the flagged labels in rank order', async () => {
      expect(audit.findings.map((f) => f.name)).toEqual(['Effusion', 'Infiltration'])
      for (const [k, f] of audit.findings.entries()) {
        const sheet = await t.sheet(audit, f.findingId, 0)
        const issues = report.findings[k]!
        expect(sheet.items.map((i) => i.name)).toEqual(issues.issues.slice(0, 6))
        expect(sheet.items.map((i) => i.labelled)).toEqual(issues.labels.slice(0, 6))
      }
    })

    it('[LI4] the results page says how many flagged labels the reader confirmed wrong, with a Wilson interval', async () => {
      const reader = await t.reader('Dr Sheet')
      const effusion = audit.findings[0]!
      const sheet = await t.sheet(audit, effusion.findingId, 0, reader)
      // the reader marks the first three labels wrong (x) and finishes the page: the rest are
      // implied confirmations of their labels (docs/decisions/006)
      const events = sheet.items.map((it, i) => ({
        kind: 'verdict',
        clientEventId: `flag-event-${i}`,
        auditId: audit.id,
        imageId: it.imageId,
        findingId: effusion.findingId,
        verdict:
          i < 3
            ? it.labelled === 1
              ? 'absent'
              : 'present'
            : it.labelled === 1
              ? 'present'
              : 'absent',
        ...(i < 3 ? {} : { implied: true }),
      }))
      const posted = await t.json('POST', '/api/events', { readerId: reader, events })
      expect(posted.status, posted.raw.body).toBe(200)
      const r = await t.json<ResultsDto>('GET', `/api/audits/${audit.id}/results`)
      expect(r.status).toBe(200)
      const rows = r.body.accuracy!.labelIssues
      const n = sheet.items.length
      const w = wilsonInterval(3, n)
      expect(rows).toEqual([
        expect.objectContaining({
          auditId: audit.id,
          model: 'densenet',
          filter: 'prune_by_noise_rate',
          rank: 'self_confidence',
          finding: 'Effusion',
          flagged: n,
          judged: n,
          confirmedWrong: 3,
          confirmedRight: n - 3,
          uncertain: 0,
          precision: 3 / n,
          precisionLow: w.low,
          precisionHigh: w.high,
        }),
        // the audit's other finding is listed before anyone judged it
        expect.objectContaining({
          finding: 'Infiltration',
          flagged: 6,
          judged: 0,
          precision: null,
        }),
      ])
    })
  })
})
