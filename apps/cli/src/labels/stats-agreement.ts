import { parseSeed, type Seed } from '@cxr-audit/core'
import { readerAgreement, type AgreementReport } from '@cxr-audit/store'
import type { Context } from '../context.ts'
import { UsageError } from '../errors.ts'
import { fixed, pct, table } from '../output.ts'
import { parseAuditId } from './stats-labels.ts'

export interface StatsAgreementOptions {
  readers?: string
  readerPrefix?: string
  finding?: string[]
  seed?: string
  replicates?: string
  dataset?: string
  audit?: string
  pairs?: boolean
}

/** `--seed` of a bootstrap [L12]: any text; a whole number is that number. */
export const parseBootstrapSeed = (seed: string | undefined): Seed | undefined => {
  if (seed === undefined) return undefined
  const parsed = parseSeed(seed, { anyText: true })
  if (parsed === undefined) throw new UsageError('--seed needs a value')
  return parsed
}

export const parseReplicates = (r: string | undefined): number | undefined => {
  if (r === undefined) return undefined
  const n = Number(r)
  if (!Number.isInteger(n) || n < 1 || n > 100000)
    throw new UsageError(`--replicates ${r}: a whole number from 1 to 100000`)
  return n
}

/** `cxr-audit stats agreement` [L11]-[L13]. */
export async function statsAgreementCommand(
  ctx: Context,
  o: StatsAgreementOptions,
): Promise<AgreementReport> {
  const auditId = parseAuditId(o.audit)
  if (o.readers !== undefined && o.readerPrefix !== undefined)
    throw new UsageError('give --readers or --reader-prefix, not both')
  if (o.readers === undefined && o.readerPrefix === undefined && auditId === undefined)
    throw new UsageError('say which readers: --readers A,B,... or --reader-prefix P')
  const store = await ctx.store()
  const report = await readerAgreement(store.db, {
    readers: o.readers?.split(','),
    readerPrefix: o.readerPrefix,
    findings: o.finding,
    seed: parseBootstrapSeed(o.seed),
    replicates: parseReplicates(o.replicates),
    dataset: o.dataset,
    auditId,
  })
  if (!ctx.json) ctx.say(renderAgreement(report, o.pairs === true))
  return report
}

const kappa = (v: number | null, lo: number | null, hi: number | null): string =>
  v === null ? 'undefined' : `${fixed(v, 3)} (${fixed(lo, 3)} to ${fixed(hi, 3)})`

export function renderAgreement(r: AgreementReport, pairs: boolean): string {
  const out = [
    `Agreement of ${r.readers.length} readers on "${r.dataset}" (${Math.round(r.confidence * 100)}% ${r.interval}, seed ${r.seed}, ${r.replicates} resamples).`,
    '',
    table(
      [
        'finding',
        'images',
        'reads',
        'reads/image',
        "Fleiss' kappa (95% CI)",
        'agreement',
        'unanimous',
        'pairs',
      ],
      r.findings.map((f) => [
        f.finding,
        f.images,
        f.reads,
        Object.entries(f.readsPerImage)
          .map(([k, v]) => `${k}:${v}`)
          .join(' '),
        kappa(f.fleissKappa, f.fleissKappaLow, f.fleissKappaHigh),
        pct(f.percentAgreement),
        pct(f.unanimous),
        f.pairs.length,
      ]),
    ),
  ]
  if (pairs) {
    for (const f of r.findings) {
      out.push(
        '',
        `${f.finding}, pairs of readers:`,
        table(
          ['a', 'b', 'images', "Cohen's kappa (95% CI)", 'agreement'],
          f.pairs.map((p) => [
            p.a,
            p.b,
            p.images,
            kappa(p.cohenKappa, p.cohenKappaLow, p.cohenKappaHigh),
            pct(p.percentAgreement),
          ]),
        ),
      )
    }
  } else if (r.findings.some((f) => f.pairs.length > 0)) {
    out.push('', "Cohen's kappa of every pair of readers: add --pairs (or --json).")
  }
  return out.join('\n')
}
