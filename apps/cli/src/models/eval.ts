import {
  formatCount,
  parseNegativesFrom,
  type FindingReport,
  type ModelEvalReport,
  type TagComparison,
} from '@cxr-audit/core'
import { evaluateModel } from '@cxr-audit/store'
import type { Context } from '../context.ts'
import { UsageError } from '../errors.ts'
import { fixed, pct, table } from '../output.ts'
import { wholeNumber } from './numbers.ts'
import { modelOptions } from './options.ts'

export interface EvalOptions {
  model: string
  against: string
  finding?: string[]
  by?: string[]
  threshold: string
  compareOriginal?: boolean
  curves?: boolean
  bins: string
  seed: string
  replicates: string
  split?: string
  negatives?: string
  cluster?: string
  population?: boolean
  dataset?: string
}

export async function evalCommand(ctx: Context, o: EvalOptions): Promise<ModelEvalReport> {
  const calibrationBins = wholeNumber('--bins', o.bins, 1, 1000)
  const seed = wholeNumber('--seed', o.seed, 0, Number.MAX_SAFE_INTEGER)
  const replicates = wholeNumber('--replicates', o.replicates, 1, 100_000)
  const negatives = parseNegativesFrom(o.negatives ?? 'all')
  if (negatives === undefined)
    throw new UsageError(`--negatives must be all or no-finding, got "${o.negatives ?? ''}"`)
  const cluster = o.cluster?.trim().toLowerCase()
  if (cluster !== undefined && cluster !== 'patient')
    throw new UsageError(`--cluster must be patient, got "${o.cluster ?? ''}"`)
  if (o.split !== undefined && o.split.trim() === '') throw new UsageError('--split needs a name')
  const store = await ctx.store()
  const typed = modelOptions({ threshold: o.threshold, by: o.by, against: o.against })
  const report = await evaluateModel(store, {
    model: o.model,
    dataset: o.dataset,
    against: typed.against,
    findings: o.finding,
    by: typed.by,
    threshold: typed.threshold,
    curves: o.curves === true,
    compareOriginal: o.compareOriginal === true,
    calibrationBins,
    seed,
    replicates,
    split: o.split,
    negatives,
    cluster,
    population: o.population === true,
  })
  if (!ctx.json) ctx.say(render(report))
  return report
}

const ci = (low: number | null, high: number | null): string =>
  low === null || high === null ? '' : `${fixed(low, 3)}-${fixed(high, 3)}`

const aucText = (f: { auc: number | null; reason?: string }): string =>
  f.auc === null ? `undefined (${f.reason ?? ''})` : fixed(f.auc, 3)

function render(r: ModelEvalReport): string {
  const against = r.against === 'original' ? 'the original labels' : r.against
  const compare = r.findings.some((f) => f.original !== undefined)
  // only a dataset with a published table (ChestX-ray14) shows it [DS22]
  const published = r.findings.some((f) => f.publishedAuc !== null)
  const head = [
    'finding',
    'n',
    'pos',
    'uncertain',
    'AUC',
    '95% CI',
    ...(compare ? ['original AUC', 'difference (95% CI)'] : []),
    ...(published ? ['CheXNet'] : []),
    'threshold',
    'sens',
    'spec',
    'PPV',
  ]
  const rows = r.findings.map((f: FindingReport) => [
    f.finding,
    f.n,
    f.positives,
    f.excludedUncertain,
    aucText(f),
    ci(f.aucLow, f.aucHigh),
    ...(compare
      ? [
          f.original === undefined ? '' : aucText(f.original),
          f.comparison?.difference == null
            ? ''
            : `${fixed(f.comparison.difference, 3)} (${fixed(f.comparison.low, 3)} to ${fixed(f.comparison.high, 3)})`,
        ]
      : []),
    ...(published ? [f.publishedAuc === null ? '' : fixed(f.publishedAuc.chexnet2017, 3)] : []),
    f.operatingPoint === null ? '' : f.operatingPoint.threshold.toPrecision(3),
    pct(f.operatingPoint?.sensitivity ?? null),
    pct(f.operatingPoint?.specificity ?? null),
    pct(f.operatingPoint?.ppv ?? null),
  ])
  const out = [
    `Model "${r.model}" on ${r.images} images of "${r.dataset}", against ${against}; threshold ${r.threshold}.`,
    `Scored: ${r.scored}.`,
    r.cluster === 'patient'
      ? `AUC intervals: patients as clusters (Obuchowski 1997), ${formatCount(r.clusters)} patients. Paired comparisons and subgroup tests resample patients.`
      : 'AUC intervals: DeLong, films as independent.',
    ...(r.warning === undefined ? [] : [`Warning: ${r.warning}.`]),
    '',
    table(head, rows),
  ]
  const unscored = r.findings.filter((f) => f.notPredicted > 0)
  if (unscored.length > 0)
    out.push(
      '',
      `Not counted: verdicts on images the model did not score (${unscored.map((f) => `${f.finding} ${f.notPredicted}`).join(', ')}).`,
    )
  for (const f of r.findings) {
    for (const s of f.subgroups ?? []) {
      out.push(
        '',
        `${f.finding} by ${s.by}${s.leftOut > 0 ? ` (${s.leftOut} images nobody reviewed left out)` : ''}`,
        table(
          ['group', 'n', 'pos', 'AUC', '95% CI', 'sens', 'spec'],
          s.groups.map((g) => [
            g.group,
            g.n,
            g.positives,
            aucText(g),
            ci(g.aucLow, g.aucHigh),
            pct(g.sensitivity),
            pct(g.specificity),
          ]),
        ),
      )
    }
  }
  for (const f of r.findings)
    for (const t of f.byTag ?? []) out.push('', ...renderTag(f.finding, t))
  if (r.hiddenStratification.length > 0) {
    const flagged = r.hiddenStratification.filter((h) => h.flagged)
    out.push(
      '',
      `Hidden stratification: ${flagged.length} of ${r.hiddenStratification.length} subgroups differ from the rest (${r.cluster === 'patient' ? 'patient bootstrap' : 'unpaired DeLong'}, p < 0.05).`,
    )
    if (flagged.length > 0)
      out.push(
        table(
          ['finding', 'by', 'group', 'n', 'AUC', 'rest AUC', 'difference', 'p', 'Holm p'],
          flagged.map((h) => [
            h.finding,
            h.by,
            h.group,
            h.n,
            fixed(h.auc, 3),
            fixed(h.restAuc, 3),
            fixed(h.difference, 3),
            h.p === null ? '' : h.p.toPrecision(2),
            h.pHolm === null ? '' : h.pHolm.toPrecision(2),
          ]),
        ),
      )
  }
  if (r.population !== undefined) out.push(...populationLines(r))
  return out.join('\n')
}

/** `eval --population` [M48]: per finding and random audit, the reweighted figures. */
function populationLines(r: ModelEvalReport): string[] {
  const p = r.population!
  const fig = (e: { value: number | null; low: number | null; high: number | null }, d = 3) =>
    e.value === null ? 'undefined' : `${fixed(e.value, d)} (${fixed(e.low, d)}-${fixed(e.high, d)})`
  const rows = r.findings.flatMap((f) =>
    (f.population ?? []).map((a) => [
      f.finding,
      `${a.auditId} "${a.audit}"`,
      a.films,
      fig(a.auc),
      fig(a.sensitivity),
      fig(a.specificity),
    ]),
  )
  return [
    '',
    `Population figures (reweighted by each random audit's design; stratified bootstrap, ${p.bootstrap.replicates} replicates, seed ${p.bootstrap.seed}):`,
    rows.length === 0
      ? 'No verdicts of the reader in a random audit with a recorded design.'
      : table(['finding', 'audit', 'films', 'AUC (95% CI)', 'sens', 'spec'], rows),
    p.leftOutText,
  ]
}

const THRESHOLD_FROM: Record<TagComparison['thresholdFrom'], string> = {
  evaluation: "the finding's operating point",
  'original labels':
    'placed against the original labels over every scored film: the evaluation set has no negatives',
  fixed: 'as given',
  none: 'none could be placed',
}

/** The chest-drain table [M49]: sensitivity with and without the tag, and Fisher's test. */
function renderTag(finding: string, t: TagComparison): string[] {
  const at = t.threshold === null ? 'no threshold' : `threshold ${t.threshold.toPrecision(3)}`
  const left = t.leftOut > 0 ? `; ${t.leftOut} films nobody reviewed left out` : ''
  const notes = t.groups.flatMap((g) =>
    g.aucNote === undefined ? [] : [`AUC ${g.group}: ${g.aucNote}.`],
  )
  return [
    `${finding}: sensitivity by tag "${t.tag}" at ${at} (${THRESHOLD_FROM[t.thresholdFrom]})${left}`,
    table(
      ['group', 'n', 'pos', 'detected', 'sens', '95% CI (Wilson)', 'AUC', 'AUC 95% CI'],
      t.groups.map((g) => [
        g.group,
        g.n,
        g.positives,
        g.detected,
        pct(g.sensitivity),
        ci(g.sensitivityLow, g.sensitivityHigh),
        g.auc === null ? 'not computable' : fixed(g.auc, 3),
        ci(g.aucLow, g.aucHigh),
      ]),
    ),
    ...notes,
    t.fisher === null
      ? `Fisher's exact test: not computable (${t.reason ?? ''}).`
      : `Fisher's exact test (two-sided), detected vs missed by group: p = ${t.fisher.p.toPrecision(3)}.`,
  ]
}
