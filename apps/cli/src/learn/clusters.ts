import {
  findClusters,
  PROBE_NEGATIVES,
  type ClustersReport,
  type ProbeNegatives,
} from '@cxr-audit/store'
import type { Context } from '../context.ts'
import { UsageError } from '../errors.ts'
import { wholeNumber } from '../models/numbers.ts'
import { pct, table } from '../output.ts'

export interface ClustersCliOptions {
  finding: string
  k: string
  seed?: string
  negatives?: string
  model?: string
  threshold?: string
  embeddingModel?: string
  reader?: string
  audit?: string
  top?: string
  blinded?: boolean
  dataset?: string
}

/** `cxr-audit clusters` [KC1]-[KC5]: hidden subgroups of a finding's films by k-means. */
export async function clustersCommand(
  ctx: Context,
  o: ClustersCliOptions,
): Promise<ClustersReport> {
  const k = wholeNumber('--k', o.k, 1, 100)
  const seed = wholeNumber('--seed', o.seed ?? '1', 0, Number.MAX_SAFE_INTEGER)
  let negatives: ProbeNegatives | undefined
  if (o.negatives !== undefined) {
    const v = o.negatives.trim().toLowerCase() as ProbeNegatives
    if (!PROBE_NEGATIVES.includes(v))
      throw new UsageError(`--negatives must be all or no-finding, got "${o.negatives}"`)
    negatives = v
  }
  if (o.threshold !== undefined && o.model === undefined)
    throw new UsageError('--threshold goes with --model NAME')
  if ((o.top !== undefined || o.blinded === true) && o.audit === undefined)
    throw new UsageError('--top and --blinded go with --audit NAME')
  const top = o.top === undefined ? 18 : wholeNumber('--top', o.top, 1, 100_000)
  const store = await ctx.store()
  const report = await findClusters(store, {
    dataset: o.dataset,
    finding: o.finding,
    k,
    seed,
    negatives,
    embeddingModel: o.embeddingModel,
    model: o.model,
    threshold: o.threshold,
    reader: o.reader,
    audit: o.audit === undefined ? undefined : { name: o.audit, top, blinded: o.blinded === true },
  })
  ctx.say(render(report))
  return report
}

const SHOWN = 4

function render(r: ClustersReport): string {
  type Rate = { value: number | null; low: number | null; high: number | null } | null
  const rate = (x: Rate) =>
    x === null || x.value === null ? '' : `${pct(x.value)} (${pct(x.low, 0)}-${pct(x.high, 0)})`
  const auc = (x: Rate) =>
    x === null || x.value === null
      ? ''
      : `${x.value.toFixed(3)} (${x.low!.toFixed(2)}-${x.high!.toFixed(2)})`
  const lines = [
    `${r.k} clusters of ${r.finding} (${r.dataset}): k-means on ${r.embeddingModel.name} embeddings of ${r.n} films (${r.positives} positives${r.negatives === 'none' ? '' : `, negatives: ${r.negatives}`}), seed ${r.seed}${r.converged ? '' : ' (not converged)'}.`,
  ]
  if (r.threshold !== null)
    lines.push(
      `Model "${r.model}" at threshold ${r.threshold.value.toFixed(4)} (${r.threshold.rule} on every film it scored: sensitivity ${pct(r.threshold.sensitivity)}, specificity ${pct(r.threshold.specificity)}).`,
    )
  lines.push(
    `Tags: ${r.reader === null ? 'any reader' : `reader "${r.reader}"`}; share of the reviewed films of the cluster.`,
    '',
    table(
      [
        'cluster',
        'films',
        'positives',
        ...(r.threshold === null ? [] : ['sensitivity (95% CI)']),
        ...(r.negatives === 'none' || r.model === null ? [] : ['AUC (95% CI)']),
        'reviewed',
        'tags',
        `closest to the centre`,
      ],
      r.clusters.map((c) => [
        c.cluster,
        c.size,
        c.positives,
        ...(r.threshold === null ? [] : [rate(c.sensitivity)]),
        ...(r.negatives === 'none' || r.model === null ? [] : [auc(c.auc)]),
        c.reviewed,
        c.tags
          .slice(0, 3)
          .map((t) => `${t.tag} ${pct(t.share, 0)}`)
          .join(', '),
        c.images.slice(0, SHOWN).join(' '),
      ]),
    ),
  )
  const audits = r.clusters.filter((c) => c.audit !== null)
  if (audits.length > 0) {
    lines.push('', 'Review sheets:')
    for (const c of audits)
      lines.push(
        `  ${c.audit!.created ? 'created' : 'already there:'} audit ${c.audit!.id} "${c.audit!.name}"`,
      )
  }
  return lines.join('\n')
}
