/**
 * A verdict: one reader's judgement of one finding on one image (docs/SPEC-labels.md [L2]).
 * The one declaration every layer uses: the store's events, the workbench's marks, the label
 * statistics, the model truth and the HTTP contract.
 */
export type Verdict = 'present' | 'absent' | 'uncertain'

export const VERDICTS: readonly Verdict[] = ['present', 'absent', 'uncertain']
