import { learnabilityOf, listDatasets, listFindings, type ProbeRunRow } from '@cxr-audit/store'
import type { FastifyPluginAsync } from 'fastify'
import type { LearnabilityDto, ProbeRunDto } from '@cxr-audit/contract'
import type { Workbench } from '../app.ts'
import { ApiError } from '../errors.ts'
import { idParams } from './params.ts'

const runDto = (r: ProbeRunRow | null): ProbeRunDto | null =>
  r === null
    ? null
    : {
        run: r.run,
        createdAt: r.createdAt,
        n: r.n,
        positives: r.positives,
        auc: r.auc,
        aucLow: r.aucLow,
        aucHigh: r.aucHigh,
        trainAuc: r.trainAuc,
        memorisationGap: r.memorisationGap,
        warning: r.warning,
        seed: r.seed,
        model: r.model?.name ?? null,
      }

/** The learnability page of a dataset: probes beside their nulls, label-issue queues, clusters [KC6]. */
export function learnabilityRoutes(wb: Workbench): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: { id: number } }>(
      '/api/datasets/:id/learnability',
      // label-issue queues and probe results compare with the original labels: not for readers
      { config: { access: 'results' }, schema: { params: idParams } },
      async (request): Promise<LearnabilityDto> => {
        const db = wb.store.db
        const ds = (await listDatasets(db)).find((d) => d.id === request.params.id)
        if (ds === undefined)
          throw new ApiError(404, 'not-found', `no dataset ${request.params.id}`)
        const report = await learnabilityOf(db, ds.id)
        const findingId = new Map((await listFindings(db, ds.id)).map((f) => [f.name, f.id]))
        return {
          dataset: { id: ds.id, name: ds.name },
          probes: report.probes.map((p) => ({
            ...p,
            real: runDto(p.real),
            shuffled: runDto(p.shuffled),
          })),
          labelIssues: report.labelIssues.map((q) => ({
            auditId: q.auditId,
            audit: q.audit,
            findingId: findingId.get(q.finding) ?? null,
            model: q.model,
            filter: q.filter,
            rank: q.rank,
            finding: q.finding,
            flagged: q.flagged,
            issues: q.issues,
            reviews: q.reviews.map((r) => ({
              reader: r.reader,
              judged: r.judged,
              confirmedWrong: r.confirmedWrong,
              confirmedRight: r.confirmedRight,
              uncertain: r.uncertain,
              precision: r.precision,
              precisionLow: r.precisionLow,
              precisionHigh: r.precisionHigh,
            })),
          })),
          clusters: report.clusters.map((run) => ({
            ...run,
            clusters: run.clusters.map((c) => ({
              ...c,
              findingId: findingId.get(run.finding) ?? null,
            })),
          })),
        }
      },
    )
  }
}
