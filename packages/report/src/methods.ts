import { pct } from './escape.ts'
import type { ReportModel } from './report-data.ts'
import { readingSentences } from './reading-methods.ts'
import { designSentences, samplingDesignSentences } from './sampling-design.ts'

/** A paragraph of the methods: a heading and plain sentences. */
export interface MethodsParagraph {
  readonly heading: string
  readonly sentences: readonly string[]
}

/** The references the methods cite, by key [R4]. */
export const REFERENCES: Record<string, string> = {
  wilson:
    'Wilson EB. Probable inference, the law of succession, and statistical inference. J Am Stat Assoc 1927;22:209-212.',
  clopperPearson:
    'Clopper CJ, Pearson ES. The use of confidence or fiducial limits illustrated in the case of the binomial. Biometrika 1934;26:404-413.',
  cohen: 'Cohen J. A coefficient of agreement for nominal scales. Educ Psychol Meas 1960;20:37-46.',
  fleiss:
    'Fleiss JL. Measuring nominal scale agreement among many raters. Psychol Bull 1971;76:378-382.',
  efron: 'Efron B, Tibshirani RJ. An Introduction to the Bootstrap. Chapman & Hall, 1993.',
  delong:
    'DeLong ER, DeLong DM, Clarke-Pearson DL. Comparing the areas under two or more correlated receiver operating characteristic curves: a nonparametric approach. Biometrics 1988;44:837-845.',
  youden: 'Youden WJ. Index for rating diagnostic tests. Cancer 1950;3:32-35.',
  brier:
    'Brier GW. Verification of forecasts expressed in terms of probability. Mon Weather Rev 1950;78:1-3.',
  wang: 'Wang X, Peng Y, Lu L, et al. ChestX-ray8: hospital-scale chest X-ray database and benchmarks. CVPR 2017.',
}

/** The methods section, generated from what the database knows [R4]. */
export function methodsParagraphs(m: ReportModel): MethodsParagraph[] {
  const a = m.accuracy
  const audit = a.audit
  const out: MethodsParagraph[] = []
  const files = m.datasetInfo.files
  out.push({
    heading: 'Data',
    sentences: [
      `The films and their original labels come from the dataset "${m.dataset}" (${m.datasetInfo.sourceFormat} format, imported ${m.datasetInfo.importedAt}).`,
      files.length === 0
        ? 'The files it was imported from and their SHA-256: not recorded.'
        : `It was imported from ${files.map((f) => `${f.name} (${f.role}, ${f.bytes} bytes, SHA-256 ${f.sha256})`).join(', ')}.`,
      `The dataset holds ${m.cohort.images} films of ${m.cohort.patients} patients, ${m.cohort.imagesOnDisk} of them on disk.`,
    ],
  })
  out.push({
    heading: 'Sampling',
    sentences: [
      ...samplingDesignSentences(audit === null ? null : audit.plan, audit?.seed ?? null),
      ...designSentences(m.sample.design, m.accuracy.population),
    ],
  })
  const imported = m.readers.filter((r) => r.kind !== 'person')
  const readers: string[] = []
  readers.push(
    `${m.readers.length} reader${m.readers.length === 1 ? '' : 's'} gave the verdicts: ${m.readers.map((r) => `${r.name} (${r.kind === 'person' ? 'a person reading in cxr-audit' : 'imported labels'})`).join(', ')}.`,
  )
  readers.push(
    a.consensus
      ? `The reference standard is the majority verdict of the ${a.readers.length} readers on each film and finding; a tie is uncertain.`
      : `The reference standard is the verdict of ${a.reader}.`,
  )
  for (const r of imported)
    for (const i of r.imports)
      readers.push(
        `The verdicts of ${r.name} were imported from ${i.file} (SHA-256 ${i.sha256}, ${i.format} format, ${i.verdicts} verdicts on ${i.images} films, imported ${i.importedAt}).`,
      )
  readers.push(
    audit === null
      ? 'Blinding: not recorded (the verdicts were not given in an audit of cxr-audit).'
      : audit.blinded
        ? 'The audit was blinded: readers did not see the original label while reading.'
        : 'The audit was not blinded: readers saw the original label while reading.',
  )
  out.push({ heading: 'Readers', sentences: readers })
  const conditions = readingSentences(m)
  out.push({ heading: 'Reading conditions', sentences: conditions })
  const negatives = a.findings.some((f) => f.labelledNegative > 0)
  out.push({
    heading: 'Definitions',
    sentences: [
      'Each reader judged each drawn film for the finding as present, absent or uncertain.',
      'A film labelled positive is confirmed when judged present, wrong (red) when judged absent, and doubtful (orange) when judged uncertain.',
      negatives
        ? 'A film labelled negative is confirmed when judged absent, wrong (red) when judged present, and doubtful (orange) when judged uncertain.'
        : 'No film labelled negative was judged, so negative predictive value, sensitivity and specificity of the labels are not estimated.',
      'Positive predictive value (PPV) is the share of films labelled positive judged present; lenient PPV also counts uncertain as present; NPV is the share of films labelled negative judged absent; sensitivity and specificity of the original labels take the reader as truth and leave uncertain verdicts out.',
    ],
  })
  const stats: string[] = [
    a.ci === 'wilson'
      ? `Proportions are given with ${Math.round(a.confidence * 100)}% Wilson score intervals (Wilson 1927).`
      : `Proportions are given with ${Math.round(a.confidence * 100)}% exact Clopper-Pearson intervals (Clopper and Pearson 1934).`,
    `The published precision of the text-mined labels is that of Wang et al. 2017.`,
  ]
  if (m.agreement !== null) {
    const g = m.agreement
    stats.push(
      `Agreement between the ${g.readers.length} readers is Fleiss' kappa over all readers (Fleiss 1971) and Cohen's kappa for each pair (Cohen 1960), with ${Math.round(g.confidence * 100)}% percentile bootstrap intervals over films (${g.replicates} resamples, seed ${g.seed}; Efron and Tibshirani 1993).`,
    )
  } else stats.push('Agreement between readers: not measured (one reader).')
  if (m.models.length > 0) {
    const e = m.models[0]!.evaluations[0]!
    stats.push(
      `Models are scored by the area under the ROC curve (Mann-Whitney, ties counted one half) with 95% DeLong intervals (DeLong 1988), against the original labels and against the reference standard; uncertain truths are left out.`,
      `The operating point is ${e.threshold === 'youden' ? "the threshold maximising Youden's J (Youden 1950)" : `the rule ${e.threshold}`}, chosen on the same films it is reported on; calibration is shown as a reliability diagram with the Brier score (Brier 1950).`,
    )
  }
  const confirmed = a.findings
    .filter((f) => f.ppv !== null)
    .map((f) => `${f.finding} ${pct(f.ppv)}`)
  if (confirmed.length > 0) stats.push(`PPV of the original labels: ${confirmed.join(', ')}.`)
  out.push({ heading: 'Statistics', sentences: stats })
  const v = m.versions
  out.push({
    heading: 'Software',
    sentences: [
      `Computed with cxr-audit ${v.cxrAudit} on Node.js ${v.node} (${v.platform}), database ${v.database}, images decoded by sharp ${v.sharp}${v.chromium === undefined ? '' : `, PDF printed by Chromium ${v.chromium}`}.`,
    ],
  })
  out.push({ heading: 'References', sentences: citedReferences(m) })
  return out
}

function citedReferences(m: ReportModel): string[] {
  const keys = [m.accuracy.ci === 'wilson' ? 'wilson' : 'clopperPearson', 'wang']
  if (m.agreement !== null) keys.push('fleiss', 'cohen', 'efron')
  if (m.models.length > 0) keys.push('delong', 'youden', 'brier')
  return keys.map((k) => REFERENCES[k]!)
}

/** The methods as plain text (what `report --methods` prints): one paragraph per heading. */
export function methodsText(m: ReportModel): string {
  return (
    methodsParagraphs(m)
      .map((p) =>
        p.heading === 'References'
          ? `${p.heading}\n${p.sentences.map((s) => `- ${s}`).join('\n')}`
          : `${p.heading}. ${p.sentences.join(' ')}`,
      )
      .join('\n\n') + '\n'
  )
}
