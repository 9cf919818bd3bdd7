import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  auditSheetItems,
  ensureReader,
  findDataset,
  listFindings,
  recordReadingEvents,
} from '@cxr-audit/store'
import { reader } from '@cxr-audit/store/testing'
import { DIALECTS, tempStore } from '../../ingest/src/test-helpers.ts'
import { checklist } from './checklist.ts'
import { methodsParagraphs, methodsText } from './methods.ts'
import { buildReport } from './report-data.ts'
import { buildReportFixture, type ReportFixture } from './report-fixture.ts'
import { samplingDesignSentences } from './sampling-design.ts'

const sentences = (ps: ReturnType<typeof methodsParagraphs>, heading: string): readonly string[] =>
  ps.find((p) => p.heading === heading)?.sentences ?? []

describe.each(DIALECTS)('the methods section (%s)', (kind) => {
  let t: Awaited<ReturnType<typeof tempStore>>
  let fx: ReportFixture
  beforeAll(async () => {
    t = await tempStore(kind)
    fx = await buildReportFixture(t.store, t.dir)
  }, 120_000)
  afterAll(async () => t.cleanup())

  it('[R4] an audit not blinded, positives only, one reader: sentence by sentence', async () => {
    const m = await buildReport(t.store, { auditId: fx.oneFinding, thumbnails: false })
    const p = methodsParagraphs(m)
    expect(p.map((x) => x.heading)).toEqual([
      'Data',
      'Sampling',
      'Readers',
      'Reading conditions',
      'Definitions',
      'Statistics',
      'Software',
      'References',
    ])
    const data = sentences(p, 'Data')
    expect(data[0]).toMatch(
      /^The films and their original labels come from the dataset "ChestX-ray14" \(cxr14 format, imported \d{4}-\d\d-\d\dT/,
    )
    expect(data[1]).toMatch(
      /^It was imported from metadata-subset\.csv \(metadata, \d+ bytes, SHA-256 [0-9a-f]{64}\)\.$/,
    )
    const sampling = sentences(p, 'Sampling')
    expect(sampling[0]).toBe('The audit drew films for 1 finding (Effusion).')
    expect(sampling[1]).toBe(
      'Per finding it asked for 6 films labelled positive and 0 films labelled negative, each drawn at random without replacement from the films with that original label.',
    )
    expect(sampling[2]).toMatch(
      /^Strata \(films drawn of those available\): Effusion: positives 6 of \d+, negatives 0 of \d+\.$/,
    )
    expect(sampling[3]).toBe(
      'The draw is reproducible from seed 7 with the sampler sfc32-cyrb128/seed:finding:stratum/v1.',
    )
    expect(sampling[4]).toBe('At most one film per patient was drawn for each finding.')
    expect(sampling[5]).toBe('No filter restricted the films eligible.')
    expect(sentences(p, 'Readers')).toEqual([
      '1 reader gave the verdicts: dr a (a person reading in cxr-audit).',
      'The reference standard is the verdict of dr a.',
      'The audit was not blinded: readers saw the original label while reading.',
    ])
    // six marks 20 s apart on one page: no page before it, so no time per film [W34]
    expect(sentences(p, 'Reading conditions')).toEqual([
      'dr a read 6 films on 1 finished page between 2026-01-05T09:00:20.000Z and 2026-01-05T09:02:00.000Z; time per film: not recorded (no page was finished within 5 minutes of the page before it).',
      'Use of the full-resolution viewer and window presets: not recorded.',
    ])
    expect(sentences(p, 'Definitions')[2]).toBe(
      'No film labelled negative was judged, so negative predictive value, sensitivity and specificity of the labels are not estimated.',
    )
    const stats = sentences(p, 'Statistics')
    expect(stats[0]).toBe('Proportions are given with 95% Wilson score intervals (Wilson 1927).')
    expect(stats[2]).toBe('Agreement between readers: not measured (one reader).')
    expect(sentences(p, 'Software')[0]).toMatch(
      /^Computed with cxr-audit \d+\.\d+\.\d+ on Node\.js v20/,
    )
    expect(sentences(p, 'References').map((r) => r.slice(0, 12))).toEqual([
      'Wilson EB. P',
      'Wang X, Peng',
    ])
    expect(methodsText(m)).toMatch(/^Data\. The films/)
  })

  it('[R4] [R10] [W36] a blinded audit with negatives, two readers and a model: consensus, agreement, DeLong, galleries, reading conditions', async () => {
    // dr a read in a workbench that records the viewer: one film opened, the lung preset twice
    const ds = await findDataset(t.store.db)
    const effusion = (await listFindings(t.store.db, ds.id)).find((f) => f.name === 'Effusion')!
    const items = await auditSheetItems(t.store.db, fx.fourteen, effusion.id, 0, null)
    const drA = await ensureReader(t.store.db, 'dr a', 'person')
    const film = items[0]!.imageId
    await recordReadingEvents(t.store, drA.id, [
      {
        kind: 'sheet',
        clientEventId: 'm-sheet-1',
        auditId: fx.fourteen,
        findingId: effusion.id,
        page: 0,
      },
      { kind: 'viewer', clientEventId: 'm-view-1', auditId: fx.fourteen, imageId: film },
      {
        kind: 'preset',
        clientEventId: 'm-preset-1',
        auditId: fx.fourteen,
        imageId: film,
        preset: 'lung',
      },
      {
        kind: 'preset',
        clientEventId: 'm-preset-2',
        auditId: fx.fourteen,
        imageId: film,
        preset: 'lung',
      },
    ])
    const m = await buildReport(t.store, {
      auditId: fx.fourteen,
      ci: 'clopper-pearson',
      replicates: 100,
      thumbnails: false,
      models: ['densenet'],
    })
    const p = methodsParagraphs(m)
    const sampling = sentences(p, 'Sampling')
    expect(sampling[0]).toMatch(
      /^The audit drew films for 14 findings \(Atelectasis, Cardiomegaly, /,
    )
    expect(sampling[1]).toMatch(
      /^Per finding it asked for 3 films labelled positive and 2 films labelled negative/,
    )
    expect(sampling[5]).toBe('Only films with view PA were eligible.')
    expect(sentences(p, 'Readers')).toEqual([
      '2 readers gave the verdicts: dr a (a person reading in cxr-audit), dr b (a person reading in cxr-audit).',
      'The reference standard is the majority verdict of the 2 readers on each film and finding; a tie is uncertain.',
      'The audit was blinded: readers did not see the original label while reading.',
    ])
    expect(sentences(p, 'Definitions')[2]).toBe(
      'A film labelled negative is confirmed when judged absent, wrong (red) when judged present, and doubtful (orange) when judged uncertain.',
    )
    // marks 20 s apart, page after page: every page but the first is timed at 20 s per film
    const reading = sentences(p, 'Reading conditions')
    const films = m.readingConditions!.readers.map((r) => r.films)
    expect(reading).toEqual([
      expect.stringMatching(
        /^dr a read \d+ films on 14 finished pages between 2026-01-05T09:00:20\.000Z and \S+Z: median 20\.0 s per film, 180 films per hour, over 13 timed pages \(\d+ films\)\.$/,
      ),
      expect.stringMatching(
        /^dr b read \d+ films on 14 finished pages .*: median 20\.0 s per film, 180 films per hour, over 13 timed pages/,
      ),
      "A page's reading time runs from the moment the reader finished the page before to the moment this page was finished, shared equally among its films; the first page of a sitting and a page holding a silence of more than 5 minutes between two of the reader's actions (a break) are not timed.",
      `dr a opened 1 of ${films[0]} judged films (${((1 / films[0]!) * 100).toFixed(1)}%) in the full-resolution viewer and applied the window presets lung (2).`,
      'Use of the full-resolution viewer and window presets by dr b: not recorded.',
    ])
    const stats = sentences(p, 'Statistics')
    expect(stats[0]).toBe(
      'Proportions are given with 95% exact Clopper-Pearson intervals (Clopper and Pearson 1934).',
    )
    expect(stats[2]).toBe(
      "Agreement between the 2 readers is Fleiss' kappa over all readers (Fleiss 1971) and Cohen's kappa for each pair (Cohen 1960), with 95% percentile bootstrap intervals over films (100 resamples, seed 1; Efron and Tibshirani 1993).",
    )
    expect(stats[3]).toMatch(/95% DeLong intervals \(DeLong 1988\)/)
    // the model's error galleries with what the reader found [R10]
    const galleries = m.models[0]!.galleries
    expect(galleries.map((g) => [g.finding, g.cell, g.drawn, g.judged])).toEqual([
      ['Effusion', 'fp', 6, 6],
      ['Effusion', 'tp', 6, 0],
    ])
    const fp = galleries[0]!
    expect(fp.present + fp.absent + fp.uncertain).toBe(6)
    expect(fp.modelRight).toBe(fp.present)
    expect(stats[4]).toMatch(
      /^The operating point is the threshold maximising Youden's J \(Youden 1950\)/,
    )
    expect(sentences(p, 'References').map((r) => r.split('.')[0])).toEqual([
      'Clopper CJ, Pearson ES',
      'Wang X, Peng Y, Lu L, et al',
      'Fleiss JL',
      'Cohen J',
      'Efron B, Tibshirani RJ',
      'DeLong ER, DeLong DM, Clarke-Pearson DL',
      'Youden WJ',
      'Brier GW',
    ])
  })

  it('[R4] imported expert labels: the file and its SHA-256, sampling and blinding not recorded', async () => {
    const m = await buildReport(t.store, {
      reader: reader('google'),
      agreementPrefix: 'gr:',
      thumbnails: false,
      replicates: 100,
    })
    const p = methodsParagraphs(m)
    expect(sentences(p, 'Sampling')).toEqual([
      "Sampling design: not recorded (the verdicts were not given in an audit drawn by cxr-audit, e.g. an imported expert-label file, so the films are the readers' own selection).",
    ])
    const readers = sentences(p, 'Readers')
    expect(readers[0]).toBe('1 reader gave the verdicts: google (imported labels).')
    expect(readers[2]).toMatch(
      /^The verdicts of google were imported from validation_labels\.csv \(SHA-256 [0-9a-f]{64}, wide format, \d+ verdicts on \d+ films, imported /,
    )
    expect(readers[3]).toBe(
      'Blinding: not recorded (the verdicts were not given in an audit of cxr-audit).',
    )
    expect(sentences(p, 'Reading conditions')[0]).toBe(
      'Reading time per film: not recorded (no reader marked films in cxr-audit).',
    )
    const items = checklist(m)
    expect(items.find((i) => i.guideline === 'STARD 2015' && i.item === '9')).toMatchObject({
      status: 'not answered',
    })
    expect(items.find((i) => i.guideline === 'CLAIM' && i.item === '18')).toMatchObject({
      status: 'answered',
      where: 'Reader agreement',
    })
  })
})

describe('the sampling-design paragraph', () => {
  it('[R4] says "not recorded" for every part a stored design lacks', () => {
    expect(samplingDesignSentences({}, null)).toEqual([
      'Findings sampled: not recorded.',
      'Films asked for per finding: not recorded.',
      'Stratum sizes (films available and drawn): not recorded.',
      'Random seed: not recorded.',
      'One film per patient or not: not recorded.',
      'Filters: not recorded.',
    ])
    expect(
      samplingDesignSentences(
        {
          findings: ['Mass'],
          positives: 5,
          onePerPatient: false,
          filters: { ageMin: 18, sex: 'F' },
        },
        '9',
      ).slice(1),
    ).toEqual([
      'Per finding it asked for 5 films labelled positive and an unrecorded number of films labelled negative, each drawn at random without replacement from the films with that original label.',
      'Stratum sizes (films available and drawn): not recorded.',
      'The draw is reproducible from seed 9.',
      'Several films of one patient could be drawn.',
      'Only films with age at least 18, sex F were eligible.',
    ])
  })
})
