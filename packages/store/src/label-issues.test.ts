import { findBinaryLabelIssues, labelQualityScores, wilsonInterval } from '@cxr-audit/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS, tempStore } from '../../../test-support/temp-store.ts'
import { listAudits } from './audits.ts'
import { labelAccuracy } from './label-accuracy.ts'
import { confirmedLabelCorrections } from './label-corrections.ts'
import { findModelLabelIssues, type LabelIssuesPlan } from './label-issues.ts'
import { makeModelFixture, type ModelFixture } from './model-fixture.ts'
import { writePredictions } from './model-predictions.ts'
import { ensureReader } from './readers.ts'
import { addTags } from './testing.ts'
import type { Store } from './store.ts'
import type { Verdict } from '@cxr-audit/core'
import { reader } from './testing.ts'
import { appendVerdictEvents } from './verdicts.ts'

const name = (i: number): string => `img${String(i).padStart(2, '0')}.png`

const SOURCE = {
  file: 'test.csv',
  idColumn: 'Image Index',
  prefix: 'prob_',
  columns: {},
  unknownFindings: [],
  ignoredColumns: [],
  rows: 40,
  unknownImages: 0,
  skippedRows: 0,
}

describe.each(DIALECTS)('label issues (%s)', (kind) => {
  let store: Store
  let fx: ModelFixture
  let cleanup: () => Promise<void>
  let events = 0

  /** Model "noisy": its scores follow the truth, which differs from some labels. */
  const scores: Record<string, number[]> = {}
  const FLIPPED: Record<string, number[]> = { Mass: [2, 4, 9, 12, 15, 30], Nodule: [1, 5, 11, 22] }

  beforeAll(async () => {
    ;({ store, cleanup } = await tempStore(kind))
    fx = await makeModelFixture(store)
    for (const f of ['Mass', 'Nodule', 'Pneumothorax']) {
      scores[f] = fx.image.map((_, i) => {
        const label = fx.labels[f]![i]!
        const truth = (FLIPPED[f] ?? []).includes(i) ? 1 - label : label === 1 ? 1 : 0
        return (truth === 1 ? 0.62 : 0.12) + ((i * 37) % 40) / 200 + i / 100000
      })
    }
    await writePredictions(store, {
      datasetId: fx.datasetId,
      model: 'noisy',
      findingIds: ['Mass', 'Nodule', 'Pneumothorax'].map((f) => fx.finding[f]!),
      rows: fx.image.map((imageId, i) => ({
        imageId,
        scores: ['Mass', 'Nodule', 'Pneumothorax'].map((f) => scores[f]![i]!),
      })),
      replace: false,
      source: SOURCE,
    })
  })
  afterAll(() => cleanup())

  /** The fixture's issues for a finding as core computes them, as image indices. */
  function expected(
    finding: string,
    rankBy: 'self_confidence' | 'normalized_margin' = 'self_confidence',
  ) {
    const rows = fx.image.map((_, i) => i).filter((i) => fx.labels[finding]![i] !== -1)
    const y = rows.map((i) => fx.labels[finding]![i]!)
    const p = rows.map((i) => scores[finding]![i]!)
    return Array.from(findBinaryLabelIssues(y, p, { rankBy }), (r) => rows[r]!)
  }

  /** Verdicts of `reader` given in an audit: [image index, finding, verdict]. */
  async function review(auditId: number, reader: string, marks: [number, string, Verdict][]) {
    const r = await ensureReader(store.db, reader, 'person')
    await store.db.transaction().execute((tx) =>
      appendVerdictEvents(
        store,
        tx,
        marks.map(([i, f, verdict]) => ({
          clientEventId: `li${kind}${++events}`,
          readerId: r.id,
          auditId,
          imageId: fx.image[i]!,
          findingId: fx.finding[f]!,
          verdict,
          createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, events)).toISOString(),
        })),
      ),
    )
  }

  it('[LI1] [LI2] per finding, confident learning on the scored images with a definite label, ranked', async () => {
    const r = await findModelLabelIssues(store, {
      model: 'noisy',
      findings: ['pneumothorax', 'Mass'],
    })
    expect(r).toMatchObject({
      model: 'noisy',
      filter: 'prune_by_noise_rate',
      rank: 'self_confidence',
      audit: null,
    })
    expect(r.findings.map((f) => f.finding)).toEqual(['Pneumothorax', 'Mass'])
    const [ptx, mass] = r.findings
    expect(ptx!.issues).toEqual(expected('Pneumothorax').map(name))
    expect(ptx!.excludedUncertain).toBe(1) // image 7's label is uncertain
    expect(ptx!.images).toBe(39)
    expect(mass!.issues).toEqual(expected('Mass').map(name))
    expect(mass!.issues.length).toBeGreaterThan(0)
    expect(mass!.flaggedPositives + mass!.flaggedNegatives).toBe(mass!.issues.length)
    // the quality of each issue rises: most likely wrong first
    for (let k = 1; k < mass!.quality.length; k++) {
      expect(mass!.quality[k]!).toBeGreaterThanOrEqual(mass!.quality[k - 1]!)
    }
  })

  it('[LI1] every scored finding by default, derived ones as the max of their parts; filters and rankings by name', async () => {
    const all = await findModelLabelIssues(store, { model: 'noisy' })
    expect(all.findings.map((f) => f.finding)).toEqual([
      'Mass',
      'Nodule',
      'Pneumothorax',
      'Nodule/Mass',
    ])
    const fixture = await findModelLabelIssues(store, { model: 'm' })
    expect(fixture.findings.map((f) => f.finding)).toEqual([
      'Mass',
      'Nodule',
      'Pneumothorax',
      'Hernia',
      'Nodule/Mass',
    ])
    // no positive at all: a one-class problem, nothing to flag
    expect(fixture.findings.find((f) => f.finding === 'Hernia')).toMatchObject({
      positives: 0,
      issues: [],
    })
    // the derived finding: labels the union of the parts, scores their maximum
    const derived = all.findings.find((f) => f.finding === 'Nodule/Mass')!
    const union = fx.image.map((_, i) => Math.max(fx.labels.Mass![i]!, fx.labels.Nodule![i]!))
    const max = fx.image.map((_, i) => Math.max(scores.Mass![i]!, scores.Nodule![i]!))
    expect(derived.issues).toEqual(
      Array.from(findBinaryLabelIssues(union, max, { rankBy: 'self_confidence' }), name),
    )
    const margin = await findModelLabelIssues(store, {
      model: 'noisy',
      findings: ['Mass'],
      filter: 'prune-by-class',
      rank: 'normalized_margin',
    })
    expect(margin.filter).toBe('prune_by_class')
    const rows = fx.image.map((_, i) => i)
    const want = findBinaryLabelIssues(
      rows.map((i) => fx.labels.Mass![i]!),
      rows.map((i) => scores.Mass![i]!),
      { filterBy: 'prune_by_class', rankBy: 'normalized_margin' },
    )
    expect(margin.findings[0]!.issues).toEqual(Array.from(want, name))
    const probs = new Float64Array(rows.flatMap((i) => [1 - scores.Mass![i]!, scores.Mass![i]!]))
    const quality = labelQualityScores(
      rows.map((i) => fx.labels.Mass![i]!),
      { data: probs, rows: 40, classes: 2 },
      'normalized_margin',
    )
    expect(margin.findings[0]!.quality).toEqual(Array.from(want, (i) => quality[i]))
    await expect(findModelLabelIssues(store, { model: 'noisy', rank: 'entropy' })).rejects.toThrow(
      /unknown ranking "entropy"/,
    )
    await expect(findModelLabelIssues(store, { model: 'noisy', filter: 'best' })).rejects.toThrow(
      /unknown filter "best"/,
    )
    await expect(
      findModelLabelIssues(store, { model: 'noisy', findings: ['Unicorn'] }),
    ).rejects.toThrow(/unknown finding/)
  })

  it('[LI1] refuses scores that are not probabilities', async () => {
    await writePredictions(store, {
      datasetId: fx.datasetId,
      model: 'logits',
      findingIds: [fx.finding.Mass!],
      rows: fx.image.map((imageId, i) => ({ imageId, scores: [i - 20] })),
      replace: false,
      source: {
        file: 'l.csv',
        idColumn: 'Image Index',
        prefix: 'prob_',
        columns: {},
        unknownFindings: [],
        ignoredColumns: [],
        rows: 40,
        unknownImages: 0,
        skippedRows: 0,
      },
    })
    await expect(findModelLabelIssues(store, { model: 'logits' })).rejects.toThrow(
      /from -20 to 19: label-issues needs probabilities/,
    )
  })

  it('[LI3] the top K of each finding open as one audit, in rank order, recording where the flags came from', async () => {
    const r = await findModelLabelIssues(store, {
      model: 'noisy',
      findings: ['Mass', 'Nodule'],
      audit: { name: 'flags', top: 3 },
    })
    expect(r.audit).toMatchObject({ name: 'flags', created: true, top: 3, onDiskOnly: false })
    const mass = expected('Mass').slice(0, 3)
    const nodule = expected('Nodule').slice(0, 3)
    expect(r.audit!.items).toBe(mass.length + nodule.length)
    const items = await store.db
      .selectFrom('audit_item')
      .select(['position', 'image_id', 'finding_id', 'labelled'])
      .where('audit_id', '=', r.audit!.id)
      .orderBy('position')
      .execute()
    expect(items.map((i) => [i.image_id, i.finding_id, i.labelled])).toEqual([
      ...mass.map((i) => [fx.image[i], fx.finding.Mass, fx.labels.Mass![i]]),
      ...nodule.map((i) => [fx.image[i], fx.finding.Nodule, fx.labels.Nodule![i]]),
    ])
    const audit = (await listAudits(store.db, fx.datasetId)).find((a) => a.id === r.audit!.id)!
    const plan = audit.plan as unknown as {
      kind: string
      labelIssues: LabelIssuesPlan
      findings: string[]
    }
    expect(plan.kind).toBe('label-issues')
    expect(plan.findings).toEqual(['Mass', 'Nodule'])
    expect(plan.labelIssues).toMatchObject({
      model: 'noisy',
      filter: 'prune_by_noise_rate',
      rank: 'self_confidence',
      top: 3,
    })
    expect(plan.labelIssues.findings[0]).toMatchObject({
      finding: 'Mass',
      issues: expected('Mass').length,
      drawn: mass.length,
    })
    // the same request again finds the audit; another one under the same name is refused
    const again = await findModelLabelIssues(store, {
      model: 'noisy',
      findings: ['Mass', 'Nodule'],
      audit: { name: 'flags', top: 3 },
    })
    expect(again.audit).toMatchObject({ id: r.audit!.id, created: false })
    await expect(
      findModelLabelIssues(store, {
        model: 'noisy',
        findings: ['Mass'],
        audit: { name: 'flags', top: 3 },
      }),
    ).rejects.toThrow(/already exists/)
  })

  it('[LI3] --on-disk takes the top issues among the images on disk', async () => {
    const r = await findModelLabelIssues(store, {
      model: 'noisy',
      findings: ['Mass'],
      audit: { name: 'disk', top: 2, onDiskOnly: true },
    })
    const want = expected('Mass')
      .filter((i) => i < 20)
      .slice(0, 2) // images 0-19 are on disk
    const items = await store.db
      .selectFrom('audit_item')
      .select('image_id')
      .where('audit_id', '=', r.audit!.id)
      .orderBy('position')
      .execute()
    expect(items.map((i) => i.image_id)).toEqual(want.map((i) => fx.image[i]))
    expect(r.audit!.perFinding).toEqual([{ finding: 'Mass', drawn: want.length, notOnDisk: 0 }])
  })

  it('[LI4] [LI5] after review: the flag precision with a Wilson interval, and the corrections with provenance', async () => {
    const r = await findModelLabelIssues(store, {
      model: 'noisy',
      findings: ['Mass'],
      audit: { name: 'review me', top: 6 },
    })
    const flagged = expected('Mass').slice(0, 6)
    expect(flagged.length).toBeGreaterThanOrEqual(4)
    const wrongVerdict = (i: number): Verdict => (fx.labels.Mass![i] === 1 ? 'absent' : 'present')
    const rightVerdict = (i: number): Verdict => (fx.labels.Mass![i] === 1 ? 'present' : 'absent')
    await review(r.audit!.id, 'Dr Flag', [
      [flagged[0]!, 'Mass', wrongVerdict(flagged[0]!)],
      [flagged[1]!, 'Mass', wrongVerdict(flagged[1]!)],
      [flagged[2]!, 'Mass', rightVerdict(flagged[2]!)],
      [flagged[3]!, 'Mass', 'uncertain'],
    ])
    // the other flagged films unusable: the page is finished, so its verdicts count [L25]
    const flagReader = await ensureReader(store.db, 'Dr Flag', 'person')
    await addTags(
      store,
      flagged.slice(4).map((i) => ({
        clientEventId: `li${kind}-unusable-${i}`,
        readerId: flagReader.id,
        auditId: r.audit!.id,
        imageId: fx.image[i]!,
        tag: 'image unusable',
        on: true,
        createdAt: '2025-01-02T00:00:00.000Z',
      })),
    )
    const acc = await labelAccuracy(store.db, { reader: reader('Dr Flag'), auditId: r.audit!.id })
    expect(acc.labelIssues).toHaveLength(1)
    const w = wilsonInterval(2, 4)
    expect(acc.labelIssues[0]).toMatchObject({
      auditId: r.audit!.id,
      audit: 'review me',
      model: 'noisy',
      finding: 'Mass',
      flagged: flagged.length,
      judged: 4,
      confirmedWrong: 2,
      confirmedRight: 1,
      uncertain: 1,
      precision: 0.5,
      precisionLow: w.low,
      precisionHigh: w.high,
      precisionLenient: 0.75,
    })
    // without --audit: every label-issue audit the reader judged
    const all = await labelAccuracy(store.db, { reader: reader('Dr Flag') })
    expect(all.labelIssues.map((l) => l.auditId)).toEqual([r.audit!.id])

    // a later change of mind in the same audit supersedes the first verdict
    await review(r.audit!.id, 'Dr Flag', [[flagged[1]!, 'Mass', rightVerdict(flagged[1]!)]])
    const fix = await confirmedLabelCorrections(store.db, {
      datasetId: fx.datasetId,
      reader: reader('Dr Flag'),
    })
    expect(fix.reviewed).toBe(4)
    expect(fix.corrections).toEqual([
      expect.objectContaining({
        image: name(flagged[0]!),
        finding: 'Mass',
        original: fx.labels.Mass![flagged[0]!],
        new: 1 - fx.labels.Mass![flagged[0]!]!,
        reader: 'Dr Flag',
        auditId: r.audit!.id,
        audit: 'review me',
      }),
    ])
    expect(fix.corrections[0]!.time).toMatch(/^2025-01-01T/)
  })
})
