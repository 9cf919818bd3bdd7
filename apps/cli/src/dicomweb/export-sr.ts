import { exportSr, type SrExportSummary } from '@cxr-audit/ingest'
import type { Context } from '../context.ts'
import { UsageError } from '../errors.ts'

export interface ExportSrOptions {
  reader: string
  to: string
  audit?: string
  dataset?: string
}

/** `cxr-audit export sr` [D8]. */
export async function exportSrCommand(ctx: Context, o: ExportSrOptions): Promise<SrExportSummary> {
  const auditId = o.audit === undefined ? undefined : Number(o.audit)
  if (auditId !== undefined && (!Number.isInteger(auditId) || auditId < 1))
    throw new UsageError(`--audit must be an audit id (a whole number), not "${o.audit}"`)
  const store = await ctx.store()
  const s = await exportSr(store, {
    dataset: o.dataset,
    reader: o.reader,
    auditId,
    to: o.to,
    onProgress: (stage, done, total) => ctx.progress.update(stage, done, total),
  })
  ctx.progress.done()
  const lines = [
    `${s.documents} Structured Reports of ${s.reader}'s verdicts on "${s.dataset}": ${s.stored} stored in ${s.to}.`,
    ...s.failed.slice(0, 10).map((f) => `  failed: ${f.image}: ${f.reason}`),
  ]
  ctx.say(lines.join('\n'))
  return s
}
