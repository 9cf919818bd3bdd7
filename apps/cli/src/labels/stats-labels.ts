import {
  BAD_READER_SPEC,
  INTERVAL_METHODS,
  parseReaderSpec,
  parseSubgroupBy,
  type AccuracyStats,
  type IntervalMethod,
  type ReaderSpec,
} from '@cxr-audit/core'
import { labelAccuracy, type LabelAccuracyReport } from '@cxr-audit/store'
import type { Context } from '../context.ts'
import { UsageError } from '../errors.ts'
import { fixed, pct, table } from '../output.ts'
import { wholeNumber } from '../models/numbers.ts'
import { renderPopulation } from './render-population.ts'

export interface StatsLabelsOptions {
  reader?: string
  finding?: string[]
  ci?: string
  by?: string
  dataset?: string
  audit?: string
  population?: boolean
  seed?: string
  replicates?: string
}

export const parseCi = (ci: string | undefined): IntervalMethod => {
  const m = (ci ?? 'wilson').toLowerCase()
  if (!(INTERVAL_METHODS as readonly string[]).includes(m))
    throw new UsageError(`--ci ${ci}: use wilson or clopper-pearson`)
  return m as IntervalMethod
}

export const parseAuditId = (audit: string | undefined): number | undefined => {
  if (audit === undefined) return undefined
  if (!/^\d+$/.test(audit.trim()))
    throw new UsageError(`--audit ${audit}: an audit id is a whole number`)
  return Number(audit)
}

/** What `stats labels` and `report` say to `--reader ''`. */
export const READER_NEEDED = '--reader is needed (a reader name or consensus:A,B,C)'

/** `--reader NAME` or `--reader consensus:A,B,C` [L7], typed for the store. */
export const parseReader = (
  text: string | undefined,
  empty = BAD_READER_SPEC,
): ReaderSpec | undefined => {
  if (text === undefined) return undefined
  const spec = parseReaderSpec(text)
  if (spec === undefined) throw new UsageError(text === '' ? empty : BAD_READER_SPEC)
  return spec
}

/** `cxr-audit stats labels` [L3]-[L10]. */
export async function statsLabelsCommand(
  ctx: Context,
  o: StatsLabelsOptions,
): Promise<LabelAccuracyReport> {
  const ci = parseCi(o.ci)
  const by = o.by === undefined ? undefined : parseSubgroupBy(o.by)
  if (o.by !== undefined && by === undefined)
    throw new UsageError(`--by ${o.by}: use view, sex, age-band, split or tag:NAME`)
  const auditId = parseAuditId(o.audit)
  if (o.reader === undefined && auditId === undefined)
    throw new UsageError('--reader NAME (or consensus:A,B,C) is needed')
  const store = await ctx.store()
  const report = await labelAccuracy(store.db, {
    reader: parseReader(o.reader, READER_NEEDED),
    findings: o.finding,
    ci,
    by,
    dataset: o.dataset,
    auditId,
    ...(o.population === true
      ? {
          population: {
            seed: wholeNumber('--seed', o.seed ?? '1', 0, Number.MAX_SAFE_INTEGER),
            replicates: wholeNumber('--replicates', o.replicates ?? '2000', 1, 100_000),
          },
        }
      : {}),
  })
  if (!ctx.json) {
    ctx.say(renderAccuracy(report))
    for (const w of report.warnings) ctx.say(`\nWarning: ${w}`)
    if (report.population !== undefined) ctx.say(renderPopulation(report.population))
  }
  return report
}

const interval = (v: number | null, lo: number | null, hi: number | null): string =>
  v === null ? '' : `${pct(v)} (${pct(lo)}-${pct(hi)})`

/** What a table prints for a proportion whose stratum was not drawn [L23]. */
export const NOT_SAMPLED_TEXT = 'not sampled'

const sampled = (r: AccuracyStats, stratum: 'positives' | 'negatives' | 'both', text: string) =>
  (stratum === 'both' ? r.notSampled.length > 0 : r.notSampled.includes(stratum))
    ? NOT_SAMPLED_TEXT
    : text

type Row = AccuracyStats & {
  readonly publishedPrecision?: number | null
  readonly unusable?: number
}

function accuracyRows(rows: readonly Row[], labels: readonly string[]) {
  return rows.map((r, i) => [
    labels[i]!,
    r.labelledPositive,
    `${r.present}/${r.absent}/${r.uncertain}`,
    sampled(r, 'positives', interval(r.ppv, r.ppvLow, r.ppvHigh)),
    sampled(r, 'positives', interval(r.ppvLenient, r.ppvLenientLow, r.ppvLenientHigh)),
    r.unusable ?? '',
    r.labelledNegative,
    `${r.negativePresent}/${r.negativeAbsent}/${r.negativeUncertain}`,
    sampled(r, 'negatives', interval(r.npv, r.npvLow, r.npvHigh)),
    sampled(r, 'both', pct(r.sensitivity)),
    sampled(r, 'both', pct(r.specificity)),
    r.publishedPrecision === undefined ? '' : pct(r.publishedPrecision),
  ])
}

const HEADER = [
  'finding',
  'L+',
  'pres/abs/unc',
  'PPV (95% CI)',
  'lenient PPV (95% CI)',
  'unusable',
  'L-',
  'pres/abs/unc',
  'NPV (95% CI)',
  'sens',
  'spec',
  'published',
]

/** [L25]: what the page rule left out, said in every result. */
export const unfinishedLine = (n: number): string =>
  n === 0
    ? 'Unfinished pages: none (every counted film is on a finished page).'
    : `Unfinished pages: ${n} film${n === 1 ? '' : 's'} left out until the reader finishes their page.`

export function renderAccuracy(r: LabelAccuracyReport): string {
  const out = [
    `Label accuracy of "${r.dataset}" against ${r.reader}${r.audit === null ? '' : ` in audit ${r.audit.id} "${r.audit.name}"`} (${r.ci} ${Math.round(r.confidence * 100)}% intervals).`,
    "L+ / L-: labelled positive / negative; pres/abs/unc: the reader's verdicts on them; published: text-mining precision (Wang 2017).",
    '',
  ]
  out.push(unfinishedLine(r.unfinishedImages), '')
  if (r.findings.length === 0) out.push('No verdicts of this reader on these findings.')
  else
    out.push(
      table(
        HEADER,
        accuracyRows(
          r.findings,
          r.findings.map((f) => (f.derived ? `${f.finding} (derived)` : f.finding)),
        ),
      ),
    )
  for (const f of r.findings) {
    if (f.subgroups === undefined || f.subgroupTest === undefined) continue
    out.push('', `${f.finding} by ${f.subgroupTest.by}:`)
    const groups = f.subgroups.map((g) => g.group)
    out.push(table(['subgroup', ...HEADER.slice(1)], accuracyRows(f.subgroups, groups)))
    for (const [name, t] of [
      ['PPV', f.subgroupTest.ppv],
      ['NPV', f.subgroupTest.npv],
    ] as const) {
      out.push(
        t.p === null
          ? `  ${name} differs between subgroups? ${t.method ?? 'no test'}: ${t.note ?? ''}`
          : `  ${name} differs between subgroups? ${t.method === 'fisher-exact' ? "Fisher's exact test" : `Pearson chi-square (df ${t.df})`}: p = ${fixed(t.p, 4)}${t.smallExpected ? ' (some expected counts < 5)' : ''}`,
      )
    }
  }
  for (const n of r.noCounterpart) out.push('', `${n.finding} (in ${n.file}): ${n.reason}.`)
  if (r.labelIssues.length > 0) {
    out.push(
      '',
      `Labels flagged by label-issues that ${r.reader} confirmed wrong (the flag's precision, ${r.ci} ${Math.round(r.confidence * 100)}% interval; lenient counts uncertain as confirmed):`,
      table(
        [
          'audit',
          'finding',
          'flagged',
          'judged',
          'wrong/right/unc',
          'precision (95% CI)',
          'lenient',
        ],
        r.labelIssues.map((l) => [
          `${l.auditId} "${l.audit}"`,
          l.finding,
          l.flagged,
          l.judged,
          `${l.confirmedWrong}/${l.confirmedRight}/${l.uncertain}`,
          interval(l.precision, l.precisionLow, l.precisionHigh),
          pct(l.precisionLenient),
        ]),
      ),
    )
  }
  return out.join('\n')
}
