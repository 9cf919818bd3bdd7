import { findingKey } from '../findings.ts'

/**
 * The published accuracy of the ChestX-ray14 text-mined labels: Wang X, Peng Y, Lu L, Lu Z,
 * Bagheri M, Summers RM. ChestX-ray8: Hospital-scale chest X-ray database and benchmarks on
 * weakly-supervised classification and localization of common thorax diseases. CVPR 2017,
 * appendix table (NLP evaluation on OpenI and on 900 ChestX-ray14 reports). The same figures as
 * `wang2017-text-mining-label-accuracy.csv` beside this file (a test keeps the two equal).
 */
export interface PublishedAccuracy {
  readonly finding: string
  readonly openiPrecision: number
  readonly openiRecall: number
  readonly openiF1: number
  readonly cxr14Precision: number
  readonly cxr14Recall: number
  readonly cxr14F1: number
  readonly cxr14Count: number | null
}

type Row = [string, number, number, number, number, number, number, number | null]

const ROWS: readonly Row[] = [
  ['Atelectasis', 0.887, 0.965, 0.924, 0.966, 0.973, 0.969, 11535],
  ['Cardiomegaly', 1.0, 0.855, 0.922, 0.967, 0.957, 0.962, 2772],
  ['Effusion', 0.966, 0.875, 0.918, 0.948, 0.992, 0.97, 13307],
  ['Infiltration', 0.81, 1.0, 0.895, 0.959, 0.856, 0.904, 19871],
  ['Mass', 1.0, 0.667, 0.8, 0.925, 0.925, 0.925, 5746],
  ['Nodule', 0.824, 0.7, 0.757, 0.845, 0.923, 0.882, 6323],
  ['Pneumonia', 0.444, 0.8, 0.571, 0.889, 0.873, 0.881, 1353],
  ['Pneumothorax', 0.8, 0.571, 0.667, 0.943, 0.988, 0.965, 5298],
  ['Consolidation', 0.778, 0.875, 0.824, 0.952, 0.983, 0.967, 4667],
  ['Edema', 0.769, 0.909, 0.833, 0.969, 0.939, 0.954, 2303],
  ['Emphysema', 0.941, 0.64, 0.762, 1.0, 0.909, 0.952, 2516],
  ['Fibrosis', 1.0, 1.0, 1.0, 0.917, 1.0, 0.957, 1686],
  ['Pleural_Thickening', 1.0, 0.75, 0.857, 0.976, 0.976, 0.976, 3385],
  ['Hernia', 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 227],
  ['Total', 0.898, 0.85, 0.873, 0.944, 0.944, 0.944, null],
]

export const WANG2017_TEXT_MINING: readonly PublishedAccuracy[] = ROWS.map((r) => ({
  finding: r[0],
  openiPrecision: r[1],
  openiRecall: r[2],
  openiF1: r[3],
  cxr14Precision: r[4],
  cxr14Recall: r[5],
  cxr14F1: r[6],
  cxr14Count: r[7],
}))

export const PUBLISHED_SOURCE =
  'Wang et al. 2017 (CVPR), text-mining precision on 900 ChestX-ray14 reports'

const BY_KEY = new Map(WANG2017_TEXT_MINING.map((r) => [findingKey(r.finding), r]))

/**
 * The published text-mining accuracy of a finding [L6], or undefined when the table has no row
 * for it (derived findings such as Opacity, and findings of other datasets). The precision used
 * is the one measured on 900 ChestX-ray14 reports, the dataset's own.
 */
export function publishedAccuracy(finding: string): PublishedAccuracy | undefined {
  const key = findingKey(finding)
  return key === 'total' ? undefined : BY_KEY.get(key)
}
