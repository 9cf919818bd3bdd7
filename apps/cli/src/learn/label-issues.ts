import {
  findModelLabelIssues,
  parseFilter,
  parseRank,
  type LabelIssuesReport,
} from '@cxr-audit/store'
import type { Context } from '../context.ts'
import { UsageError } from '../errors.ts'
import { wholeNumber } from '../models/numbers.ts'
import { pct, table } from '../output.ts'

export interface LabelIssuesCliOptions {
  model: string
  finding?: string[]
  filter?: string
  rank?: string
  audit?: string
  top?: string
  onDisk?: boolean
  blinded?: boolean
  dataset?: string
}

const SHOWN = 5

/** `cxr-audit label-issues` [LI1]-[LI3]. */
export async function labelIssuesCommand(
  ctx: Context,
  o: LabelIssuesCliOptions,
): Promise<LabelIssuesReport> {
  // bad names are refused before the database is opened (exit 2)
  const filter = parseFilter(o.filter)
  const rank = parseRank(o.rank)
  if (o.top !== undefined && o.audit === undefined)
    throw new UsageError('--top goes with --audit NAME')
  if ((o.onDisk === true || o.blinded === true) && o.audit === undefined) {
    throw new UsageError('--on-disk and --blinded go with --audit NAME')
  }
  const top = o.top === undefined ? 18 : wholeNumber('--top', o.top, 1, 100_000)
  const store = await ctx.store()
  const report = await findModelLabelIssues(store, {
    model: o.model,
    dataset: o.dataset,
    findings: o.finding,
    filter,
    rank,
    audit:
      o.audit === undefined
        ? undefined
        : { name: o.audit, top, onDiskOnly: o.onDisk === true, blinded: o.blinded === true },
  })
  if (!ctx.json) ctx.say(render(report))
  return report
}

function render(r: LabelIssuesReport): string {
  const lines = [
    `Label issues of "${r.dataset}" from model "${r.model}" (confident learning, filter ${r.filter}, ranked by ${r.rank}).`,
    'issues: labels likely wrong; L+ doubted: labelled positives the model doubts; L- found: labelled negatives it finds positive.',
    '',
    table(
      [
        'finding',
        'images',
        'positives',
        'issues',
        'share',
        'L+ doubted',
        'L- found',
        `first ${SHOWN}, most likely wrong first`,
      ],
      r.findings.map((f) => [
        f.finding,
        f.images,
        f.positives,
        f.issues.length,
        pct(f.images === 0 ? null : f.issues.length / f.images),
        f.flaggedPositives,
        f.flaggedNegatives,
        f.issues.slice(0, SHOWN).join(' '),
      ]),
    ),
  ]
  if (r.audit !== null) {
    const a = r.audit
    const missing = a.perFinding.reduce((s, f) => s + f.notOnDisk, 0)
    lines.push(
      '',
      `${a.created ? 'Created' : 'Already there:'} audit ${a.id} "${a.name}": the top ${a.top} issues of each finding${a.onDiskOnly ? ' on disk' : ''}, ${a.items} labels to review.`,
    )
    if (missing > 0) {
      lines.push(
        `Note: ${missing} of them are not on disk (add --on-disk to take the top issues among the images you have).`,
      )
    }
  }
  return lines.join('\n')
}
