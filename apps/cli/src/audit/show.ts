import { auditDesign, findAudit, findDataset, type AuditDesign } from '@cxr-audit/store'
import type { Context } from '../context.ts'
import { table } from '../output.ts'
import { auditJson, type AuditJson } from './create.ts'

/** What `audit show --json` prints: the audit as `audit list` does, and how it was drawn. */
export interface AuditShowResult {
  readonly audit: AuditJson
  readonly design: AuditDesign
}

/** `cxr-audit audit show AUDIT`: an audit (id or name) and its sampling design [W38], [W39]. */
export async function auditShowCommand(
  ctx: Context,
  name: string,
  o: { dataset?: string },
): Promise<AuditShowResult> {
  const store = await ctx.store()
  const datasetId =
    o.dataset === undefined ? undefined : (await findDataset(store.db, o.dataset)).id
  const found = await findAudit(store.db, name, datasetId)
  const { audit, design } = await auditDesign(store.db, found.id)
  const json = auditJson(audit)
  ctx.say(
    [
      `Audit ${audit.id} "${audit.name}" in "${audit.dataset}": ${audit.items} films, created ${audit.createdAt}${audit.blinded ? ', blinded' : ''}.`,
      `Drawn by: ${design.drawnBy}. ${design.summary}`,
      `Filters: ${design.filters.length === 0 ? 'none' : design.filters.join(', ')}; negatives from ${design.negativesFrom === 'no-finding' ? 'No Finding films only' : 'every labelled negative'}.`,
      '',
      table(
        ['finding', 'stratum', 'films in dataset', 'available', 'asked', 'in sample'],
        design.strata.map((s) => [
          s.finding,
          s.stratum === 'positive' ? 'labelled positive' : 'labelled negative',
          s.datasetFilms ?? 'not recorded',
          s.available === null
            ? 'not recorded'
            : `${s.available} ${design.unit === 'patient' ? 'patients' : 'films'}`,
          s.asked ?? 'not recorded',
          s.sampleFilms,
        ]),
      ),
      '',
      `Stratum sizes: ${design.strataSource}. Inclusion probabilities: ${design.weights}. Population estimates: ${design.population ? 'yes' : 'no, left out'}.`,
    ].join('\n'),
  )
  return { audit: json, design }
}
