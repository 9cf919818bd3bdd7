import { ReportError, writeReport, type ReportSummary } from '@cxr-audit/report'
import type { Context } from '../context.ts'
import { UsageError } from '../errors.ts'
import { parseBootstrapSeed, parseReplicates } from './stats-agreement.ts'
import { READER_NEEDED, parseAuditId, parseCi, parseReader } from './stats-labels.ts'

export interface ReportCommandOptions {
  audit?: string
  reader?: string
  out: string
  agreementReaders?: string
  agreementPrefix?: string
  ci?: string
  seed?: string
  replicates?: string
  maxCases?: string
  thumbnails?: boolean
  dataset?: string
}

/** `cxr-audit report` [L17]-[L20]. */
export async function reportCommand(ctx: Context, o: ReportCommandOptions): Promise<ReportSummary> {
  const auditId = parseAuditId(o.audit)
  if ((auditId === undefined) === (o.reader === undefined))
    throw new UsageError('give either --audit ID or --reader NAME')
  const maxCases = o.maxCases === undefined ? undefined : Number(o.maxCases)
  if (maxCases !== undefined && !(Number.isInteger(maxCases) && maxCases >= 0))
    throw new UsageError(`--max-cases ${o.maxCases}: a whole number`)
  const store = await ctx.store()
  let s: ReportSummary
  try {
    const ci = parseCi(o.ci)
    const seed = parseBootstrapSeed(o.seed)
    const replicates = parseReplicates(o.replicates)
    const { model: _model, ...summary } = await writeReport(store, o.out, {
      auditId,
      reader: parseReader(o.reader, READER_NEEDED),
      agreementReaders: o.agreementReaders?.split(',').map((r) => r.trim()),
      agreementPrefix: o.agreementPrefix,
      ci,
      seed,
      replicates,
      maxCases,
      thumbnails: o.thumbnails !== false,
      dataset: o.dataset,
    })
    s = summary
  } catch (e) {
    if (e instanceof ReportError) throw new UsageError(e.message)
    throw e
  }
  ctx.say(
    `Wrote ${s.out} (${s.format.toUpperCase()}, ${(s.bytes / 1024).toFixed(0)} KiB): ${s.findings} findings, ${s.cases} red/orange cases shown, ${s.thumbnails} with thumbnails.`,
  )
  return s
}
