import { importPredictions, type PredictionsImportSummary } from '@cxr-audit/ingest'
import type { Context } from '../context.ts'
import { table } from '../output.ts'

export interface ImportPredictionsOptions {
  file: string
  model: string
  idColumn?: string
  prefix?: string
  dataset?: string
  replace?: boolean
  skipBadRows?: boolean
}

export async function importPredictionsCommand(
  ctx: Context,
  o: ImportPredictionsOptions,
): Promise<PredictionsImportSummary> {
  const store = await ctx.store()
  const summary = await importPredictions(store, {
    file: o.file,
    model: o.model,
    idColumn: o.idColumn,
    prefix: o.prefix,
    dataset: o.dataset,
    replace: o.replace,
    skipBadRows: o.skipBadRows,
    onProgress: (stage, done, total) => ctx.progress.update(stage, done, total),
  })
  ctx.progress.done()
  const lines = [
    `${summary.replaced ? 'Replaced' : 'Imported'} the model "${summary.model}" in "${summary.dataset}": ${summary.images} images, ${summary.findings.length} findings (${summary.predictions} scores).`,
    '',
    table(
      ['column', 'finding'],
      Object.entries(summary.columns).map(([c, f]) => [c, f]),
    ),
  ]
  if (summary.unknownImages > 0)
    lines.push(
      '',
      `${summary.unknownImages} rows name images the dataset does not have (not imported), e.g. ${summary.unknownImageExamples.join(', ')}`,
    )
  if (summary.unknownFindings.length > 0)
    lines.push(
      '',
      `Columns for unknown findings (not imported): ${summary.unknownFindings.join(', ')}`,
    )
  if (summary.ignoredColumns.length > 0)
    lines.push('', `Other columns (not read): ${summary.ignoredColumns.join(', ')}`)
  if (summary.skippedRows > 0) lines.push('', `${summary.skippedRows} malformed rows skipped.`)
  lines.push('', `Next: cxr-audit eval --model ${JSON.stringify(summary.model)}`)
  ctx.say(lines.join('\n'))
  return summary
}
