import type { ChexpertImportSummary } from '@cxr-audit/ingest'
import { table } from '../output.ts'

/** The human summary of an import of labelled items (CheXpert, MIMIC-CXR-JPG, PadChest). */
export function itemsSummary(s: ChexpertImportSummary, extra?: string): string {
  const items =
    s.itemKind === 'film' ? `${s.images} films of ${s.studies} studies` : `${s.studies} studies`
  return [
    `Imported "${s.dataset}": ${items} of ${s.patients} patients${extra === undefined ? '' : `, ${extra}`}, ${s.imagesOnDisk} on disk.`,
    Object.keys(s.splits).length > 0
      ? `Splits: ${Object.entries(s.splits)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`
      : 'No split in the paths.',
    '',
    table(
      ['observation', 'positive', 'uncertain', 'negative', 'not mentioned'],
      Object.keys(s.findings).map((f) => [
        f,
        s.findings[f]!,
        s.uncertain[f]!,
        s.negative[f]!,
        s.notMentioned[f]!,
      ]),
    ),
    '',
    s.problems.length === 0
      ? 'No problems found.'
      : table(
          ['problem', 'count', 'examples'],
          s.problems.map((p) => [p.kind, p.count, p.examples.slice(0, 3).join('; ')]),
        ),
    '',
    'Next: cxr-audit check',
  ].join('\n')
}
