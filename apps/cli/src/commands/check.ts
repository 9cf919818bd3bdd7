import { checkDataset, type DatasetCheckReport } from '@cxr-audit/core'
import { findDataset, loadCheckInput } from '@cxr-audit/store'
import type { Context } from '../context.ts'
import { fixed, pct, table } from '../output.ts'
import { embeddingCheck, renderEmbeddingCheck, type EmbeddingCheck } from '../ml/check.ts'

type CheckReport = DatasetCheckReport & { duplicates: { embedding?: EmbeddingCheck } }

export async function checkCommand(
  ctx: Context,
  o: { dataset?: string; cosineThreshold?: string },
): Promise<CheckReport> {
  const store = await ctx.store()
  const dataset = await findDataset(store.db, o.dataset)
  const input = await loadCheckInput(store.db, dataset)
  const base = checkDataset({ dataset: dataset.name, ...input })
  const embedding = await embeddingCheck(store.db, dataset, o.cosineThreshold, (done, total) =>
    ctx.progress.update('near-duplicates', done, total),
  )
  ctx.progress.done()
  const report: CheckReport =
    embedding === null
      ? base
      : {
          ...base,
          problems: [...base.problems, ...embedding.problems],
          duplicates: { ...base.duplicates, embedding: embedding.duplicates },
        }
  if (!ctx.json) ctx.say(`${render(report)}\n\n${renderEmbeddingCheck(embedding?.duplicates)}`)
  return report
}

function render(r: DatasetCheckReport): string {
  const out: string[] = [
    `Dataset "${r.dataset}": ${r.images} images, ${r.patients} patients, ${r.imagesOnDisk} on disk.`,
    '',
  ]
  if (r.privacy !== null)
    out.push(
      r.privacy.deidentified
        ? `Privacy: all ${r.privacy.instances} DICOM instances are marked de-identified.`
        : `Privacy: NOT DE-IDENTIFIED: ${r.privacy.identifiable} of ${r.privacy.instances} DICOM instances are not marked de-identified, ${r.privacy.burnedIn} have burned-in annotation.`,
      '',
    )
  out.push(
    table(
      ['finding', 'positives', 'prevalence'],
      r.prevalence.map((p) => [
        p.derived ? `${p.finding} (derived)` : p.finding,
        p.positives,
        pct(p.prevalence, 2),
      ]),
    ),
    '',
  )
  out.push(
    r.problems.length === 0
      ? 'No problems found.'
      : table(
          ['problem', 'count', 'examples'],
          r.problems.map((p) => [p.kind, p.count, p.examples.slice(0, 3).join('; ')]),
        ),
    '',
  )
  if (r.leakage.patients > 0)
    out.push(
      `Leakage: ${r.leakage.patients} patients have images in more than one split (${r.leakage.images} images).`,
      '',
    )
  const c = r.cohort
  if (c.compared === null) {
    out.push('Cohort: no split to compare (give --train-list/--test-list at import).')
  } else {
    out.push(
      `Cohort: ${c.splits.join(' vs ')} (SMD between ${c.compared[0]} and ${c.compared[1]}; * where |SMD| > 0.1)`,
    )
    const fmt = (
      v: { value: number | null; sd?: number | null; n: number },
      variable: string,
    ): string =>
      variable === 'age' || variable === 'images per patient'
        ? `${fixed(v.value)}${v.sd !== undefined && v.sd !== null ? ` (${fixed(v.sd)})` : ''}`
        : `${v.n} (${pct(v.value)})`
    out.push(
      table(
        ['variable', ...c.splits, 'SMD', ''],
        c.rows.map((row) => [
          `${row.variable}: ${row.level}`,
          ...c.splits.map((s) => fmt(row.values[s]!, row.variable)),
          fixed(row.smd, 3),
          row.flag ? '*' : '',
        ]),
      ),
    )
  }
  out.push('', ...renderTags(r.tagsBySplit))
  return out.join('\n')
}

/** Reader tags by split among reviewed films, with SMD [K7]. */
function renderTags(t: DatasetCheckReport['tagsBySplit']): string[] {
  if (t.compared === null) return []
  if (t.rows.length === 0) return ['Reader tags by split: no film tagged yet.']
  const reviewed = t.splits.map((s) => `${t.reviewed[s] ?? 0} ${s}`).join(', ')
  return [
    `Reader tags by split, among reviewed films (${reviewed}); SMD between ${t.compared[0]} and ${t.compared[1]}, * where |SMD| > 0.1:`,
    table(
      ['tag', ...t.splits, 'SMD', ''],
      t.rows.map((row) => [
        row.level,
        ...t.splits.map((s) => {
          const v = row.values[s]!
          return v.value === null ? '' : `${v.n} (${pct(v.value)})`
        }),
        fixed(row.smd, 3),
        row.flag ? '*' : '',
      ]),
    ),
  ]
}
