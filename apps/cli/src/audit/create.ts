import {
  AuditInputError,
  describeFilters,
  parseCount,
  parseFilters,
  parseAuditSeed,
  parseNegativesFrom,
  type AuditFilters,
} from '@cxr-audit/core'
import {
  auditDesign,
  createAudit,
  findDataset,
  listAudits,
  type AuditDesign,
  type AuditSummary,
} from '@cxr-audit/store'
import { randomInt } from 'node:crypto'
import type { Context } from '../context.ts'
import { UsageError } from '../errors.ts'
import { table } from '../output.ts'

export interface AuditCreateOptions {
  name: string
  finding: string[]
  positives: string
  negatives: string
  negativesFrom?: string
  seed?: string
  filter?: string[]
  split?: string
  blinded?: boolean
  allPerPatient?: boolean
  tag?: string[]
  dataset?: string
}

/** What `audit create --json` prints. */
export interface AuditCreateResult {
  readonly audit: AuditJson
  readonly notes: string[]
  /** How the audit was drawn, as `audit show` prints it [W38]. */
  readonly design: AuditDesign
}

export interface AuditJson {
  readonly id: number
  readonly name: string
  readonly dataset: string
  readonly seed: number
  readonly blinded: boolean
  readonly onePerPatient: boolean
  readonly positives: number
  readonly negatives: number
  /** Where the negatives were drawn from: `all` or `no-finding` [W33]. */
  readonly negativesFrom: 'all' | 'no-finding'
  readonly filters: string[]
  readonly tags: string[]
  readonly createdAt: string
  readonly items: number
  readonly findings: { name: string; items: number; positives: number; negatives: number }[]
}

/** Bad plans are the user's input: exit 2 with the message. */
async function asUsage<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (e) {
    if (e instanceof AuditInputError) throw new UsageError(e.message)
    throw e
  }
}

export function auditJson(a: AuditSummary): AuditJson {
  return {
    id: a.id,
    name: a.name,
    dataset: a.dataset,
    seed: a.seed,
    blinded: a.blinded,
    onePerPatient: a.plan.onePerPatient,
    positives: a.plan.positives,
    negatives: a.plan.negatives,
    negativesFrom: a.plan.negativesFrom ?? 'all',
    filters: describeFilters(a.plan.filters),
    tags: a.tags,
    createdAt: a.createdAt,
    items: a.items,
    findings: a.findings.map((f) => {
      const d = a.plan.draw.find((x) => x.finding === f.name)
      return {
        name: f.name,
        items: f.items,
        positives: d?.positives.drawn ?? 0,
        negatives: d?.negatives.drawn ?? 0,
      }
    }),
  }
}

export async function auditCreateCommand(
  ctx: Context,
  o: AuditCreateOptions,
): Promise<AuditCreateResult> {
  return asUsage(async () => {
    const findings = o.finding.flatMap((f) => f.split(',')).map((f) => f.trim())
    const filters: AuditFilters = parseFilters([
      ...(o.filter ?? []),
      ...(o.split === undefined ? [] : [`split=${o.split}`]),
    ])
    const negativesFrom = parseNegativesFrom(o.negativesFrom ?? 'all')
    if (negativesFrom === undefined)
      throw new UsageError(
        `--negatives-from must be all or no-finding, got "${o.negativesFrom ?? ''}"`,
      )
    const seedGiven = o.seed !== undefined
    const plan = {
      findings,
      positives: parseCount('--positives', o.positives),
      negatives: parseCount('--negatives', o.negatives),
      seed: seedGiven ? parseAuditSeed(o.seed!) : randomInt(0, 2 ** 31),
      filters,
      onePerPatient: o.allPerPatient !== true,
      blinded: o.blinded === true,
      // only when asked, so plans stored before the option read the same
      ...(negativesFrom === 'no-finding' ? { negativesFrom } : {}),
    }
    const store = await ctx.store()
    const dataset = await findDataset(store.db, o.dataset)
    const { audit, notes } = await createAudit(store, {
      datasetId: dataset.id,
      name: o.name,
      plan,
      tags: o.tag,
    })
    const json = auditJson(audit)
    ctx.say(
      [
        `Audit "${audit.name}" (id ${audit.id}) in "${audit.dataset}": ${audit.items} images to review, seed ${audit.seed}${seedGiven ? '' : ' (drawn at random: pass --seed to reproduce)'}${audit.blinded ? ', blinded' : ''}.`,
        '',
        table(
          ['finding', 'positives', 'negatives', 'items', 'sheets'],
          json.findings.map((f, i) => [
            f.name,
            f.positives,
            f.negatives,
            f.items,
            audit.findings[i]!.pages,
          ]),
        ),
        ...(notes.length > 0 ? ['', ...notes.map((n) => `Note: ${n}`)] : []),
        '',
        'Next: cxr-audit serve, then open the audit in the browser',
      ].join('\n'),
    )
    const { design } = await auditDesign(store.db, audit.id)
    return { audit: json, notes, design }
  })
}

export async function auditListCommand(
  ctx: Context,
  o: { dataset?: string },
): Promise<{ audits: AuditJson[] }> {
  const store = await ctx.store()
  const datasetId =
    o.dataset === undefined ? undefined : (await findDataset(store.db, o.dataset)).id
  const audits = (await listAudits(store.db, datasetId)).map(auditJson)
  ctx.say(
    audits.length === 0
      ? 'No audit yet: cxr-audit audit create --name N --finding F'
      : table(
          ['id', 'audit', 'dataset', 'findings', 'images', 'seed', 'blinded'],
          audits.map((a) => [
            a.id,
            a.name,
            a.dataset,
            a.findings.map((f) => f.name).join(', '),
            a.items,
            a.seed,
            a.blinded ? 'yes' : '',
          ]),
        ),
  )
  return { audits }
}
