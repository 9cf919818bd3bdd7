import type { ReportModel } from './report-data.ts'

export type ChecklistStatus = 'answered' | 'not applicable' | 'not answered'

/** One item of a reporting guideline, as this report answers it [R6]. */
export interface ChecklistItem {
  readonly guideline: 'STARD 2015' | 'CLAIM'
  /** The guideline's own item number. */
  readonly item: string
  readonly topic: string
  readonly status: ChecklistStatus
  /** Where in the report (section), or why not. */
  readonly where: string
}

type Rule = (m: ReportModel) => [ChecklistStatus, string]

const always =
  (where: string): Rule =>
  () => ['answered', where]
const never =
  (why: string): Rule =>
  () => ['not answered', why]
const na =
  (why: string): Rule =>
  () => ['not applicable', why]
const withModels =
  (where: string): Rule =>
  (m) =>
    m.models.length > 0 ? ['answered', where] : ['not applicable', 'no model in this report']
const inAudit =
  (where: string, otherwise: string): Rule =>
  (m) =>
    m.accuracy.audit !== null ? ['answered', where] : ['not answered', otherwise]

/**
 * The items of STARD 2015 (Bossuyt et al., BMJ 2015;351:h5527) and CLAIM (Mongan et al.,
 * Radiol Artif Intell 2020;2:e200029) a label audit or a model validation can answer from its
 * own data; items about the paper's writing (title, abstract, discussion, registration,
 * funding) are left to the authors and listed as not answered.
 */
const ITEMS: readonly [ChecklistItem['guideline'], string, string, Rule][] = [
  [
    'STARD 2015',
    '1',
    'Identification as a study of diagnostic accuracy',
    never("the authors' title"),
  ],
  [
    'STARD 2015',
    '5',
    'Data collection: prospective or retrospective',
    always('Methods: Data (retrospective, an existing dataset)'),
  ],
  [
    'STARD 2015',
    '6',
    'Eligibility criteria',
    inAudit(
      'Methods: Sampling (filters)',
      'the readers chose the films (no sampling design recorded)',
    ),
  ],
  [
    'STARD 2015',
    '7',
    'Basis for identifying potentially eligible participants',
    always('Methods: Data; Cohort'),
  ],
  [
    'STARD 2015',
    '9',
    'Sampling: consecutive, random or convenience',
    inAudit('Methods: Sampling; Sample and seed', "convenience: the readers' own selection"),
  ],
  [
    'STARD 2015',
    '10a',
    'Index test, in sufficient detail to allow replication',
    always('Methods: Data (the original labels, their files and SHA-256)'),
  ],
  [
    'STARD 2015',
    '10b',
    'Reference standard, in sufficient detail to allow replication',
    always('Methods: Readers; Definitions'),
  ],
  [
    'STARD 2015',
    '12a',
    'Definition of and rationale for test positivity cut-offs of the index test',
    always('Methods: Definitions (labelled positive)'),
  ],
  [
    'STARD 2015',
    '13a',
    'Whether readers of the index test knew the reference standard',
    na('the index test (the labels) was made before the review'),
  ],
  [
    'STARD 2015',
    '13b',
    'Whether readers of the reference standard knew the index test',
    inAudit('Methods: Readers (blinding)', 'blinding not recorded outside an audit'),
  ],
  [
    'STARD 2015',
    '14',
    'Methods for estimating or comparing measures of diagnostic accuracy',
    always('Methods: Statistics'),
  ],
  [
    'STARD 2015',
    '15',
    'How indeterminate results were handled',
    always('Methods: Definitions (uncertain verdicts)'),
  ],
  [
    'STARD 2015',
    '18',
    'Intended sample size and how it was determined',
    inAudit('Methods: Sampling (films asked for per finding)', 'no sampling design recorded'),
  ],
  [
    'STARD 2015',
    '19',
    'Flow of participants (diagram)',
    always('Sample and seed (drawn and judged per finding)'),
  ],
  ['STARD 2015', '20', 'Baseline demographic and clinical characteristics', always('Cohort')],
  [
    'STARD 2015',
    '23',
    'Cross tabulation of the index test by the reference standard',
    always('Label accuracy (present/absent/uncertain by original label)'),
  ],
  [
    'STARD 2015',
    '24',
    'Estimates of diagnostic accuracy and their precision',
    always('Label accuracy (95% intervals)'),
  ],
  ['STARD 2015', '25', 'Adverse events', na('no intervention on patients')],
  ['CLAIM', '7', 'Data sources', always('Methods: Data')],
  [
    'CLAIM',
    '8',
    'Eligibility criteria',
    inAudit('Methods: Sampling', 'no sampling design recorded'),
  ],
  ['CLAIM', '9', 'Data pre-processing steps', withModels('Models (scores as imported)')],
  ['CLAIM', '14', 'Definition of ground truth', always('Methods: Readers; Definitions')],
  ['CLAIM', '15', 'Rationale for choosing the reference standard', never("the authors' rationale")],
  [
    'CLAIM',
    '16',
    'Source of ground-truth annotations; qualifications of annotators',
    always('Readers (names, kinds, imported files)'),
  ],
  ['CLAIM', '17', 'Annotation tools', always('Methods: Software')],
  [
    'CLAIM',
    '18',
    'Measurement of inter- and intrarater variability',
    (m) =>
      m.agreement !== null ? ['answered', 'Reader agreement'] : ['not answered', 'one reader'],
  ],
  [
    'CLAIM',
    '19',
    'How data were assigned to partitions',
    (m) =>
      m.cohort.cohort.compared !== null
        ? ['answered', 'Cohort (splits)']
        : ['not answered', 'no split imported'],
  ],
  [
    'CLAIM',
    '21',
    'Level at which partitions are disjoint',
    (m) =>
      m.cohort.cohort.compared !== null
        ? ['answered', `Cohort (${m.cohort.leakage.patients} patients in more than one split)`]
        : ['not answered', 'no split imported'],
  ],
  [
    'CLAIM',
    '22',
    'Detailed description of the model',
    withModels('Models (name and source as imported)'),
  ],
  ['CLAIM', '28', 'Metrics of model performance', withModels('Models (AUC, operating point)')],
  [
    'CLAIM',
    '29',
    'Statistical measures of significance and uncertainty',
    always('Methods: Statistics (intervals)'),
  ],
  [
    'CLAIM',
    '30',
    'Robustness or sensitivity analysis',
    withModels('Models (against original labels and readers)'),
  ],
  ['CLAIM', '32', 'Validation or testing on external data', never("the authors' design")],
  ['CLAIM', '33', 'Flow of participants or cases', always('Sample and seed')],
  [
    'CLAIM',
    '34',
    'Demographic and clinical characteristics of cases in each partition',
    always('Cohort'),
  ],
  [
    'CLAIM',
    '35',
    'Performance metrics for optimal model(s) on all data partitions',
    withModels('Models'),
  ],
  [
    'CLAIM',
    '36',
    'Estimates of diagnostic accuracy and their precision',
    always('Label accuracy; Models'),
  ],
  [
    'CLAIM',
    '37',
    'Failure analysis of incorrectly classified cases',
    always('Contact sheets (red and orange cases)'),
  ],
  ['CLAIM', '41', 'Where the full study protocol can be accessed', never("the authors' protocol")],
  ['CLAIM', '42', 'Sources of funding', never("the authors' funding")],
]

/** Every item with its status for this report [R6]. */
export function checklist(m: ReportModel): ChecklistItem[] {
  return ITEMS.map(([guideline, item, topic, rule]) => {
    const [status, where] = rule(m)
    return { guideline, item, topic, status, where }
  })
}
