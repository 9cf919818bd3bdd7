import { exportLabels, type LabelExportFormat, type LabelExportSummary } from '@cxr-audit/ingest'
import type { Context } from '../context.ts'
import { UsageError } from '../errors.ts'
import { table } from '../output.ts'
import { parseReader } from './stats-labels.ts'

export interface ExportLabelsOptions {
  reader?: string
  filtered?: string
  out: string
  format?: string
  dataset?: string
}

/** `cxr-audit export labels` [L15], [L16]. */
export async function exportLabelsCommand(
  ctx: Context,
  o: ExportLabelsOptions,
): Promise<LabelExportSummary> {
  if ((o.reader === undefined) === (o.filtered === undefined))
    throw new UsageError(
      'give --reader NAME (every verdict) or --filtered NAME (the label issues NAME confirmed wrong)',
    )
  const format = o.format?.toLowerCase()
  if (format !== undefined && format !== 'cxr14' && format !== 'long')
    throw new UsageError(`--format ${o.format}: use cxr14 or long`)
  const store = await ctx.store()
  const s = await exportLabels(store, {
    reader: parseReader(o.reader),
    filtered: parseReader(o.filtered),
    out: o.out,
    format: format as LabelExportFormat | undefined,
    dataset: o.dataset,
  })
  if (s.format === 'long') {
    ctx.say(`Wrote ${s.rows} verdicts of ${s.reader} to ${s.out} (one row per image and finding).`)
  } else {
    const changed = Object.entries(s.changes).filter(([, c]) => c.added + c.removed > 0)
    ctx.say(
      [
        `Wrote ${s.rows} images of "${s.dataset}" to ${s.out}: ${s.changedImages} with labels changed by ${s.reader}'s ${s.verdicts} verdicts.`,
        changed.length === 0
          ? 'No label changed.'
          : table(
              ['finding', 'added', 'removed', 'positives now'],
              changed.map(([f, c]) => [f, c.added, c.removed, s.positives[f] ?? 0]),
            ),
        s.derivedColumns.length > 0
          ? `Derived findings as extra columns (1 present, 0 absent, -1 uncertain): ${s.derivedColumns.join(', ')}.`
          : '',
      ]
        .filter((l) => l !== '')
        .join('\n'),
    )
  }
  if (s.changesFile !== null) {
    const notApplied = s.corrections.filter((c) => !c.applied).length
    ctx.say(
      `${s.corrections.length} labels confirmed wrong by ${s.reader} in label-issue audits were corrected${notApplied > 0 ? ` (${notApplied} on derived findings judged present could not be: which component is unknown)` : ''}; each change with its provenance is in ${s.changesFile}.`,
    )
  }
  return s
}
