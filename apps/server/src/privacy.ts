/**
 * No answer of the API names a patient [D5]: the store keeps patient ids (for one-per-patient
 * sampling and leakage checks) but never sends them; the only place a check writes one is the
 * split-leakage example, which keeps the image, the split and drops the patient.
 */
export function examplesWithoutPatients(kind: string, examples: readonly string[]): string[] {
  if (kind !== 'split-leakage') return [...examples]
  return examples.map((e) => e.replace(/ \(patient [^,]*, /, ' ('))
}
