import { importRsna, type RsnaImportSummary } from '@cxr-audit/ingest'
import type { Context } from '../context.ts'
import { UsageError } from '../errors.ts'
import { table } from '../output.ts'

export interface ImportRsnaOptions {
  labels?: string
  file?: string
  classInfo?: string
  images?: string[]
  name?: string
  skipBadRows?: boolean
}

/** `cxr-audit import rsna` [DS7]. */
export async function importRsnaCommand(
  ctx: Context,
  o: ImportRsnaOptions,
): Promise<RsnaImportSummary> {
  const labels = o.labels ?? o.file
  if (labels === undefined)
    throw new UsageError('give the labels: --labels stage_2_train_labels.csv')
  const store = await ctx.store()
  const s = await importRsna(store, {
    labels,
    classInfo: o.classInfo,
    images: o.images,
    name: o.name,
    skipBadRows: o.skipBadRows,
  })
  ctx.say(
    [
      `Imported "${s.dataset}": ${s.images} films, ${s.boxes} boxes, ${s.imagesOnDisk} on disk.`,
      '',
      table(['finding', 'positives'], Object.entries(s.findings)),
      '',
      s.problems.length === 0
        ? 'No problems found.'
        : table(
            ['problem', 'count', 'examples'],
            s.problems.map((p) => [p.kind, p.count, p.examples.slice(0, 3).join('; ')]),
          ),
    ].join('\n'),
  )
  return s
}
