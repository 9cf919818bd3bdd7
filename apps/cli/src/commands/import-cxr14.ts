import { importCxr14, type Cxr14ImportSummary } from '@cxr-audit/ingest'
import type { Context } from '../context.ts'
import { table } from '../output.ts'

export interface ImportCxr14Options {
  metadata: string
  bbox?: string
  images?: string[]
  trainList?: string
  testList?: string
  name?: string
  skipBadRows?: boolean
}

export async function importCxr14Command(
  ctx: Context,
  o: ImportCxr14Options,
): Promise<Cxr14ImportSummary> {
  const store = await ctx.store()
  const summary = await importCxr14(store, {
    metadata: o.metadata,
    bbox: o.bbox,
    images: o.images,
    trainList: o.trainList,
    testList: o.testList,
    name: o.name,
    skipBadRows: o.skipBadRows,
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
