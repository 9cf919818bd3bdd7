/**
 * Codes written into the Structured Reports of `export sr` [D8]. A coded entry is
 * `(CodeValue, CodingSchemeDesignator, CodeMeaning)` (PS3.3 8.8); designators: SCT (SNOMED CT),
 * DCM (PS3.16 Annex D), LN (LOINC), and 99CXRAUD, this program's private scheme (PS3.3 8.2:
 * private schemes start with 99) for the few findings whose standard code we could not confirm.
 *
 * Sources: SNOMED CT International edition concept ids, each matched to its name in published
 * value sets (HL7 FHIR implementation guides, the UMLS SNOMEDCT_US source, DICOM PS3.16 context
 * groups); where the sources disagreed or none listed the concept (pleural thickening, hernia)
 * the private scheme is used rather than a guess. DICOM codes: PS3.16 Annex D (TID 1002 Observer
 * Context, TID 2000 Basic Diagnostic Imaging Report); LOINC 18748-4 is TID 2000's root.
 */

export interface CodedConcept {
  readonly value: string
  readonly scheme: string
  readonly meaning: string
}

const sct = (value: string, meaning: string): CodedConcept => ({ value, scheme: 'SCT', meaning })
const dcm = (value: string, meaning: string): CodedConcept => ({ value, scheme: 'DCM', meaning })
const local = (value: string, meaning: string): CodedConcept => ({
  value,
  scheme: '99CXRAUD',
  meaning,
})

/** The ChestX-ray14 findings and the default derived ones, by finding key (see findingKey). */
export const FINDING_CODES: Readonly<Record<string, CodedConcept>> = {
  atelectasis: sct('46621007', 'Atelectasis'),
  cardiomegaly: sct('8186001', 'Cardiomegaly'),
  effusion: sct('60046008', 'Pleural effusion'),
  infiltration: sct('409609008', 'Radiologic infiltrate of lung'),
  mass: sct('309529002', 'Lung mass'),
  nodule: sct('427359005', 'Solitary nodule of lung'),
  pneumonia: sct('233604007', 'Pneumonia'),
  pneumothorax: sct('36118008', 'Pneumothorax'),
  consolidation: sct('95436008', 'Lung consolidation'),
  edema: sct('19242006', 'Pulmonary edema'),
  emphysema: sct('87433001', 'Pulmonary emphysema'),
  fibrosis: sct('51615001', 'Fibrosis of lung'),
  // no standard code confirmed in two sources: this program's own, named as the dataset does
  pleuralthickening: local('PLEURAL_THICKENING', 'Pleural thickening'),
  hernia: local('HERNIA', 'Hernia (ChestX-ray14 label)'),
  opacity: local('OPACITY', 'Lung opacity (derived: any of its components)'),
  nodulemass: local('NODULE_MASS', 'Nodule or mass (derived)'),
}

/** The verdict on a finding as a coded value (SNOMED CT qualifier values). */
export const VERDICT_CODES: Readonly<Record<'present' | 'absent' | 'uncertain', CodedConcept>> = {
  present: sct('52101004', 'Present'),
  absent: sct('2667000', 'Absent'),
  uncertain: sct('82334004', 'Indeterminate'),
}

export const CONCEPTS = {
  /** Root of TID 2000. */
  report: { value: '18748-4', scheme: 'LN', meaning: 'Diagnostic Imaging Report' },
  findings: dcm('121070', 'Findings'),
  finding: dcm('121071', 'Finding'),
  comment: dcm('121106', 'Comment'),
  observerType: dcm('121005', 'Observer Type'),
  person: dcm('121006', 'Person'),
  personObserverName: dcm('121008', 'Person Observer Name'),
  sourceImage: dcm('121112', 'Source of Measurement'),
  tag: local('TAG', 'Seen on the film (cxr-audit tag)'),
} as const satisfies Record<string, CodedConcept>

/** The code of a finding by its name, or a private code named after it. */
export function findingCode(name: string): CodedConcept {
  const key = name.toLowerCase().replace(/[\s_/-]+/g, '')
  return FINDING_CODES[key] ?? local(key.toUpperCase().slice(0, 16) || 'FINDING', name)
}
