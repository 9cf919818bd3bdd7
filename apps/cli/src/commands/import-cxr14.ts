import { importCxr14, type Cxr14ImportSummary, type Cxr14Source } from '@cxr-audit/ingest'
import type { Context } from '../context.ts'
import { cxr14StreamOptions, type ImportCxr14Options } from './import-cxr14-options.ts'
import { table } from '../output.ts'

export async function importCxr14Command(
  ctx: Context,
  o: ImportCxr14Options,
  source?: Cxr14Source,
): Promise<Cxr14ImportSummary> {
  const summary = await importCxr14(await ctx.store(), {
    ...cxr14StreamOptions(o),
    source,
    onProgress: (stage, done, total) => ctx.progress.update(stage, done, total),
  })
  ctx.progress.done()
  ctx.say(
    [
      `Imported "${summary.dataset}": ${summary.images} images of ${summary.patients} patients, ${summary.imagesOnDisk} on disk, ${summary.bboxes} boxes, ${summary.noFinding} "No Finding".`,
      Object.keys(summary.splits).length > 0
        ? `Splits: ${Object.entries(summary.splits)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}`
        : 'No split list given.',
      '',
      table(['finding', 'positives'], Object.entries(summary.findings)),
      '',
      summary.problems.length === 0
        ? 'No problems found.'
        : table(
            ['problem', 'count', 'examples'],
            summary.problems.map((p) => [p.kind, p.count, p.examples.slice(0, 3).join('; ')]),
          ),
      '',
      'Next: cxr-audit check',
    ].join('\n'),
  )
  return summary
}
