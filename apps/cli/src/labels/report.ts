import {
  PAPERS,
  ReportError,
  buildReport,
  methodsText,
  writeBundle,
  writeReport,
  type Paper,
  type ReportModel,
  type ReportOptions,
  type ReportSummary,
} from '@cxr-audit/report'
import type { Context } from '../context.ts'
import { UsageError } from '../errors.ts'
import { modelOptions } from '../models/options.ts'
import { wholeNumber } from '../models/numbers.ts'
import { parseBootstrapSeed, parseReplicates } from './stats-agreement.ts'
import { READER_NEEDED, parseAuditId, parseCi, parseReader } from './stats-labels.ts'

export interface ReportCommandOptions {
  audit?: string
  reader?: string
  out?: string
  agreementReaders?: string
  agreementPrefix?: string
  ci?: string
  seed?: string
  replicates?: string
  population?: boolean
  maxCases?: string
  thumbnails?: boolean
  dataset?: string
  paper?: string
  model?: string[]
  threshold?: string
  methods?: boolean
  bundle?: string
}

/** What `report --json` prints: the written report (when --out), the bundle, the methods. */
export interface ReportCommandResult extends Partial<ReportSummary> {
  readonly paper: Paper
  readonly bundle?: { dir: string; files: string[]; figures: number }
  readonly methods?: string
}

/** `cxr-audit report` [L17]-[L20], [R1]-[R10]. */
export async function reportCommand(
  ctx: Context,
  o: ReportCommandOptions,
): Promise<ReportCommandResult> {
  const auditId = parseAuditId(o.audit)
  if ((auditId === undefined) === (o.reader === undefined))
    throw new UsageError('give either --audit ID or --reader NAME')
  if (o.out === undefined && o.bundle === undefined && o.methods !== true)
    throw new UsageError('say what to write: --out FILE, --bundle DIR or --methods')
  const maxCases = o.maxCases === undefined ? undefined : Number(o.maxCases)
  if (maxCases !== undefined && !(Number.isInteger(maxCases) && maxCases >= 0))
    throw new UsageError(`--max-cases ${o.maxCases}: a whole number`)
  const paper = (o.paper ?? 'a4').toLowerCase() as Paper
  if (!PAPERS.includes(paper)) throw new UsageError(`--paper ${o.paper}: a4 or letter`)
  const models = (o.model ?? [])
    .flatMap((m) => m.split(','))
    .map((m) => m.trim())
    .filter((m) => m !== '')
  const { threshold } = modelOptions({ threshold: o.threshold })
  const options: ReportOptions = {
    auditId,
    reader: parseReader(o.reader, READER_NEEDED),
    agreementReaders: o.agreementReaders?.split(',').map((r) => r.trim()),
    agreementPrefix: o.agreementPrefix,
    ci: parseCi(o.ci),
    seed: parseBootstrapSeed(o.seed),
    replicates: parseReplicates(o.replicates),
    ...(o.population === true ? { population: populationOf(o) } : {}),
    maxCases,
    thumbnails: o.thumbnails !== false,
    dataset: o.dataset,
    models,
    threshold,
  }
  // with --methods stdout carries the methods alone: what was written is said on stderr
  const tell = (line: string): void => {
    if (o.methods === true) {
      if (!ctx.json) process.stderr.write(`${line}\n`)
    } else ctx.say(line)
  }
  const store = await ctx.store()
  try {
    let model: ReportModel
    let summary: ReportSummary | undefined
    if (o.out !== undefined) {
      const { model: m, ...s } = await writeReport(store, o.out, options, paper)
      model = m
      summary = s
      tell(
        `Wrote ${s.out} (${s.format.toUpperCase()}, ${(s.bytes / 1024).toFixed(0)} KiB, ${paper}): ${s.findings} findings, ${s.cases} red/orange cases shown, ${s.thumbnails} with thumbnails.`,
      )
    } else model = await buildReport(store, options)
    const bundle =
      o.bundle === undefined ? undefined : await writeBundle(store, o.bundle, model, { auditId })
    if (bundle !== undefined)
      tell(
        `Wrote the re-check bundle ${bundle.dir}: ${bundle.files.length} files, ${bundle.figures} figures.`,
      )
    const methods = o.methods === true ? methodsText(model) : undefined
    // the methods are the command's output: on stdout as text, or in the JSON document
    if (methods !== undefined && !ctx.json) process.stdout.write(methods)
    return {
      ...(summary ?? {}),
      paper,
      ...(bundle === undefined ? {} : { bundle }),
      ...(methods === undefined ? {} : { methods }),
    }
  } catch (e) {
    if (e instanceof ReportError) throw new UsageError(e.message)
    throw e
  }
}

/** `report --population` [R11]: the bootstrap of the population figures, from --seed/--replicates. */
function populationOf(o: ReportCommandOptions): { seed: number; replicates: number } {
  return {
    seed: wholeNumber('--seed (with --population)', o.seed ?? '1', 0, Number.MAX_SAFE_INTEGER),
    replicates: wholeNumber('--replicates', o.replicates ?? '1000', 1, 100_000),
  }
}
