import { FindingNames } from '../findings.ts'

/**
 * Published per-finding AUCs on ChestX-ray14 [M15], the same figures as the shipped
 * `cxr14-published-auc.csv` beside this file (a test keeps them equal):
 * - wang2017: Wang, X. et al. (2017). ChestX-ray8: hospital-scale chest X-ray database and
 *   benchmarks on weakly-supervised classification and localization of common thorax diseases.
 *   CVPR 2017 (ResNet-50, random split).
 * - yao2017: Yao, L. et al. (2017). Learning to diagnose from scratch by exploiting
 *   dependencies among labels. arXiv:1710.10501.
 * - chexnet2017: Rajpurkar, P. et al. (2017). CheXNet: radiologist-level pneumonia detection on
 *   chest X-rays with deep learning. arXiv:1711.05225.
 * - wang2017_official_split: Wang et al. 2017, revised figures on the official train/test split.
 * Published facts; context only: the test sets and label versions differ from a local run.
 */
export const PUBLISHED_AUC_SOURCES = [
  'wang2017',
  'yao2017',
  'chexnet2017',
  'wang2017_official_split',
] as const
export type PublishedAucSource = (typeof PUBLISHED_AUC_SOURCES)[number]

type Row = readonly [number, number, number, number]

const TABLE: Readonly<Record<string, Row>> = {
  Atelectasis: [0.716, 0.772, 0.8094, 0.7003],
  Cardiomegaly: [0.807, 0.904, 0.9248, 0.81],
  Effusion: [0.784, 0.859, 0.8638, 0.7585],
  Infiltration: [0.609, 0.695, 0.7345, 0.6614],
  Mass: [0.706, 0.792, 0.8676, 0.6933],
  Nodule: [0.671, 0.717, 0.7802, 0.6687],
  Pneumonia: [0.633, 0.713, 0.768, 0.658],
  Pneumothorax: [0.806, 0.841, 0.8887, 0.7993],
  Consolidation: [0.708, 0.788, 0.7901, 0.7032],
  Edema: [0.835, 0.882, 0.8878, 0.8052],
  Emphysema: [0.815, 0.829, 0.9371, 0.833],
  Fibrosis: [0.769, 0.767, 0.8047, 0.7859],
  Pleural_Thickening: [0.708, 0.765, 0.8062, 0.6835],
  Hernia: [0.767, 0.914, 0.9164, 0.8717],
}

const NAMES = new FindingNames(Object.keys(TABLE))

/** The published AUCs of a finding by source, or null when no paper reports it (derived ones). */
export function publishedAuc(finding: string): Record<PublishedAucSource, number> | null {
  const name = NAMES.resolve(finding)
  const row = name === undefined ? undefined : TABLE[name]
  if (row === undefined) return null
  return Object.fromEntries(PUBLISHED_AUC_SOURCES.map((s, i) => [s, row[i]])) as Record<
    PublishedAucSource,
    number
  >
}

/** The whole table, in the CSV's order: `finding` then one column per source. */
export function publishedAucTable(): {
  finding: string
  auc: Record<PublishedAucSource, number>
}[] {
  return Object.keys(TABLE).map((finding) => ({ finding, auc: publishedAuc(finding)! }))
}

/**
 * The dataset formats a published AUC table exists for [DS22]: only ChestX-ray14's. Another
 * dataset's findings may share a name (CheXpert's Cardiomegaly) but not the test set or the
 * labels, so its evaluations show no published column.
 */
export const PUBLISHED_AUC_FORMATS: readonly string[] = ['cxr14']

/** The published AUCs of a finding of a dataset of this format, or null [M15], [DS22]. */
export function publishedAucOf(
  sourceFormat: string,
  finding: string,
): Record<PublishedAucSource, number> | null {
  return PUBLISHED_AUC_FORMATS.includes(sourceFormat) ? publishedAuc(finding) : null
}
