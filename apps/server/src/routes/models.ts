import { parseModelOptions, type FindingReport } from '@cxr-audit/core'
import { datasetTags, evaluateModel, listModels } from '@cxr-audit/store'
import type { FastifyPluginAsync } from 'fastify'
import type { Workbench } from '../app.ts'
import type { ModelEvalDto, ModelPageDto } from '@cxr-audit/contract'
import { modelById, toModelDto, truthOptions } from '../model-truths.ts'
import { thinRoc } from '../roc-points.ts'
import { EvalCache } from '../eval-cache.ts'
import { idParams } from './params.ts'
import { PRINTABLE } from './readers.ts'

const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max, pattern: PRINTABLE })

const evalQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    against: text(2000),
    threshold: text(40),
    by: { type: 'array', maxItems: 6, items: text(60) },
    findings: { type: 'array', maxItems: 40, items: text(80) },
    compare: { type: 'boolean' },
    curves: { type: 'boolean' },
    seed: { type: 'integer', minimum: 0, maximum: 2147483647 },
    replicates: { type: 'integer', minimum: 100, maximum: 10000 },
    cluster: { type: 'string', enum: ['patient'] },
  },
} as const

export interface EvalQuery {
  against?: string
  threshold?: string
  by?: string[]
  findings?: string[]
  compare?: boolean
  curves?: boolean
  seed?: number
  replicates?: number
  /** `patient`: intervals and paired comparisons with patients as clusters [M44], [M50]. */
  cluster?: 'patient'
}

/** Models: the list, one model's page, and `evaluateModel` as the CLI's `eval --json` [W29]. */
export function modelRoutes(wb: Workbench): FastifyPluginAsync {
  const cache = new EvalCache<ModelEvalDto>(wb.store)
  return async (app) => {
    app.get<{ Querystring: { dataset?: number } }>(
      '/api/models',
      {
        config: { access: 'results' },
        schema: {
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: { dataset: idParams.properties.id },
          },
        },
      },
      async (request) => ({
        models: (await listModels(wb.store.db, request.query.dataset)).map(toModelDto),
      }),
    )

    app.get<{ Params: { id: number } }>(
      '/api/models/:id',
      { config: { access: 'results' }, schema: { params: idParams } },
      async (request): Promise<ModelPageDto> => {
        const m = await modelById(wb.store, request.params.id)
        return {
          model: toModelDto(m),
          models: (await listModels(wb.store.db, m.datasetId)).map(toModelDto),
          truths: await truthOptions(wb.store, m.datasetId),
          tags: await datasetTags(wb.store.db, m.datasetId),
        }
      },
    )

    app.get<{ Params: { id: number }; Querystring: EvalQuery }>(
      '/api/models/:id/eval',
      { config: { access: 'results' }, schema: { params: idParams, querystring: evalQuery } },
      async (request): Promise<ModelEvalDto> => {
        const m = await modelById(wb.store, request.params.id)
        const q = request.query
        return cache.get(m.id, q, async (): Promise<ModelEvalDto> => {
          const typed = parseModelOptions(q)
          const report = await evaluateModel(wb.store, {
            model: m.name,
            dataset: m.dataset,
            against: typed.against,
            findings: q.findings,
            by: typed.by,
            threshold: typed.threshold,
            curves: q.curves,
            compareOriginal: q.compare,
            seed: q.seed,
            replicates: q.replicates,
            cluster: q.cluster,
          })
          if (q.curves !== true) return { report, roc: null }
          // the curves are one point per distinct score: thinned for a small plot, left out of
          // the report (tens of megabytes for 22,433 images)
          const roc = report.findings.flatMap((f) =>
            f.curves === undefined
              ? []
              : [{ finding: f.finding, ...thinRoc(f.curves.roc.fpr, f.curves.roc.tpr) }],
          )
          const findings = report.findings.map(({ curves: _curves, ...f }): FindingReport => f)
          return { report: { ...report, findings }, roc }
        })
      },
    )
  }
}
