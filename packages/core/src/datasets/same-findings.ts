import { findingKey } from '../findings.ts'
import { CHEXPERT_FINDINGS } from './chexpert.ts'

/** A finding of a named dataset: `CheXpert:Pleural Effusion`. */
export interface QualifiedFinding {
  readonly dataset: string
  readonly finding: string
}

export interface SamePair {
  readonly a: QualifiedFinding
  readonly b: QualifiedFinding
  readonly source: 'built-in' | 'declared'
}

/**
 * Parses `Dataset:Finding` (split at the first `:`, since finding names hold `/` but dataset
 * names of the public sets hold no `:`); undefined when either side is empty.
 */
export function parseQualifiedFinding(text: string): QualifiedFinding | undefined {
  const at = text.indexOf(':')
  if (at < 0) return undefined
  const dataset = text.slice(0, at).trim()
  const finding = text.slice(at + 1).trim()
  return dataset === '' || finding === '' ? undefined : { dataset, finding }
}

const q = (dataset: string, finding: string): QualifiedFinding => ({ dataset, finding })

/**
 * The findings of the public sets that name the same observation [DS5], as published: the
 * CheXpert labeler's vocabulary is MIMIC-CXR's too; NIH's 14 match where the definition does
 * (Effusion is pleural effusion; NIH's Pleural_Thickening is in CheXpert's Pleural Other, which
 * is wider, so it is not declared the same). Pairs are by dataset name as imported by default.
 */
const TABLE: readonly [string, string, string, string][] = [
  ['CheXpert', 'Pleural Effusion', 'ChestX-ray14', 'Effusion'],
  ['CheXpert', 'Cardiomegaly', 'ChestX-ray14', 'Cardiomegaly'],
  ['CheXpert', 'Atelectasis', 'ChestX-ray14', 'Atelectasis'],
  ['CheXpert', 'Pneumonia', 'ChestX-ray14', 'Pneumonia'],
  ['CheXpert', 'Pneumothorax', 'ChestX-ray14', 'Pneumothorax'],
  ['CheXpert', 'Consolidation', 'ChestX-ray14', 'Consolidation'],
  ['CheXpert', 'Edema', 'ChestX-ray14', 'Edema'],
  ['CheXpert', 'No Finding', 'ChestX-ray14', 'No Finding'],
  // MIMIC-CXR-JPG was labelled by the CheXpert labeler: the same 14 observations
  ...CHEXPERT_FINDINGS.map((f): [string, string, string, string] => [
    'CheXpert',
    f,
    'MIMIC-CXR',
    f,
  ]),
  ['VinDr-CXR', 'Cardiomegaly', 'ChestX-ray14', 'Cardiomegaly'],
  ['VinDr-CXR', 'Pleural effusion', 'ChestX-ray14', 'Effusion'],
  ['VinDr-CXR', 'Pneumothorax', 'ChestX-ray14', 'Pneumothorax'],
  ['VinDr-CXR', 'Atelectasis', 'ChestX-ray14', 'Atelectasis'],
  ['VinDr-CXR', 'Consolidation', 'ChestX-ray14', 'Consolidation'],
  ['VinDr-CXR', 'Pulmonary fibrosis', 'ChestX-ray14', 'Fibrosis'],
  ['VinDr-CXR', 'Pleural thickening', 'ChestX-ray14', 'Pleural_Thickening'],
  ['VinDr-CXR', 'Infiltration', 'ChestX-ray14', 'Infiltration'],
  ['VinDr-CXR', 'Nodule/Mass', 'ChestX-ray14', 'Nodule/Mass'],
  ['VinDr-CXR', 'No finding', 'ChestX-ray14', 'No Finding'],
  ['VinDr-CXR', 'Cardiomegaly', 'CheXpert', 'Cardiomegaly'],
  ['VinDr-CXR', 'Pleural effusion', 'CheXpert', 'Pleural Effusion'],
  ['VinDr-CXR', 'Pneumothorax', 'CheXpert', 'Pneumothorax'],
  ['VinDr-CXR', 'Atelectasis', 'CheXpert', 'Atelectasis'],
  ['VinDr-CXR', 'Consolidation', 'CheXpert', 'Consolidation'],
  ['VinDr-CXR', 'Lung Opacity', 'CheXpert', 'Lung Opacity'],
  ['RSNA Pneumonia', 'Lung Opacity', 'CheXpert', 'Lung Opacity'],
  ['PadChest', 'cardiomegaly', 'ChestX-ray14', 'Cardiomegaly'],
  ['PadChest', 'pleural effusion', 'ChestX-ray14', 'Effusion'],
  ['PadChest', 'pneumothorax', 'ChestX-ray14', 'Pneumothorax'],
  ['PadChest', 'atelectasis', 'ChestX-ray14', 'Atelectasis'],
  ['PadChest', 'consolidation', 'ChestX-ray14', 'Consolidation'],
  ['PadChest', 'pneumonia', 'ChestX-ray14', 'Pneumonia'],
  ['PadChest', 'nodule', 'ChestX-ray14', 'Nodule'],
  ['PadChest', 'mass', 'ChestX-ray14', 'Mass'],
  ['PadChest', 'emphysema', 'ChestX-ray14', 'Emphysema'],
  ['PadChest', 'hiatal hernia', 'ChestX-ray14', 'Hernia'],
  ['PadChest', 'normal', 'ChestX-ray14', 'No Finding'],
]

export const BUILT_IN_SAME_FINDINGS: readonly SamePair[] = TABLE.map(([ad, af, bd, bf]) => ({
  a: q(ad, af),
  b: q(bd, bf),
  source: 'built-in',
}))

const key = (f: QualifiedFinding): string => `${f.dataset}\u0000${findingKey(f.finding)}`

/**
 * The findings of `to` declared the same as `from`'s [DS5], following declarations through
 * other datasets (A = B and B = C make A = C): finding of `from` -> finding name in `to`.
 * Names are matched by findingKey (case, spaces, `_` and `/` do not count).
 */
export function sameFindingsBetween(
  pairs: readonly SamePair[],
  from: { readonly dataset: string; readonly findings: readonly string[] },
  to: { readonly dataset: string; readonly findings: readonly string[] },
): Map<string, string> {
  const edges = new Map<string, QualifiedFinding[]>()
  const link = (x: QualifiedFinding, y: QualifiedFinding): void => {
    const list = edges.get(key(x)) ?? []
    list.push(y)
    edges.set(key(x), list)
  }
  for (const p of pairs) {
    link(p.a, p.b)
    link(p.b, p.a)
  }
  const target = new Map(to.findings.map((f) => [findingKey(f), f]))
  const out = new Map<string, string>()
  for (const f of from.findings) {
    const start = q(from.dataset, f)
    const seen = new Set([key(start)])
    const queue = [start]
    while (queue.length > 0) {
      const at = queue.shift()!
      if (at.dataset === to.dataset) {
        const name = target.get(findingKey(at.finding))
        if (name !== undefined && at !== start) {
          out.set(f, name)
          break
        }
      }
      for (const next of edges.get(key(at)) ?? []) {
        if (seen.has(key(next))) continue
        seen.add(key(next))
        queue.push(next)
      }
    }
  }
  return out
}
