import {
  describeFilters,
  expectedHalfWidth,
  nextSheet,
  parseCount,
  parseAuditSeed,
  plannedSampleSize,
  previousSheet,
  SHEET_SIZE,
  type AuditFilters,
} from '@cxr-audit/core'
import {
  activityActor,
  appendActivity,
  auditProgress,
  auditSheetItems,
  createAudit,
  listAudits,
  listDatasets,
  type AuditSummary,
} from '@cxr-audit/store'
import type { FastifyPluginAsync } from 'fastify'
import { randomInt } from 'node:crypto'
import type { Workbench } from '../app.ts'
import type {
  AuditDto,
  AuditProgressDto,
  CreateAuditBody,
  PlanAnswer,
  SheetDto,
} from '@cxr-audit/contract'
import { ApiError } from '../errors.ts'
import { idParams, pageQuery, readerQuery } from './params.ts'
import { PRINTABLE } from './readers.ts'
import { toItemDto } from './sheet-dto.ts'
import { actorOf, auditsVisible, requireAudit, verdictsOf } from '../auth/scope.ts'

/**
 * An audit as its client may see it: a reader of a blinded audit is not told how many labelled
 * positives were drawn (nor the draw's notes, which count them) [A8].
 */
export function toAuditDto(a: AuditSummary, sealed = false): AuditDto {
  if (sealed && a.blinded) return { ...toAuditDto(a), positives: null, negatives: null, notes: [] }
  return {
    id: a.id,
    datasetId: a.datasetId,
    dataset: a.dataset,
    name: a.name,
    seed: a.seed,
    blinded: a.blinded,
    tags: a.tags,
    createdAt: a.createdAt,
    findings: a.findings,
    items: a.items,
    positives: a.plan.positives,
    negatives: a.plan.negatives,
    onePerPatient: a.plan.onePerPatient,
    filters: describeFilters(a.plan.filters),
    notes: a.plan.notes,
  }
}

const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max, pattern: PRINTABLE })

const createSchema = {
  type: 'object',
  required: ['name', 'findings'],
  additionalProperties: false,
  properties: {
    datasetId: { type: 'integer', minimum: 1 },
    name: text(120),
    findings: { type: 'array', minItems: 1, maxItems: 40, items: text(80) },
    positives: { type: 'integer', minimum: 0, maximum: 100000 },
    negatives: { type: 'integer', minimum: 0, maximum: 100000 },
    seed: {
      anyOf: [
        { type: 'integer', minimum: 0 },
        { type: 'string', maxLength: 20 },
      ],
    },
    filters: {
      type: 'object',
      additionalProperties: false,
      properties: {
        view: text(10),
        sex: text(10),
        split: text(20),
        ageMin: { type: 'integer', minimum: 0, maximum: 200 },
        ageMax: { type: 'integer', minimum: 0, maximum: 200 },
      },
    },
    onePerPatient: { type: 'boolean' },
    blinded: { type: 'boolean' },
    tags: { type: 'array', maxItems: 9, items: text(40) },
  },
} as const

/** Audits: create (the same draw as the CLI), list, progress, sheets; the planner [W1]-[W9]. */
export function auditRoutes(wb: Workbench): FastifyPluginAsync {
  return async (app) => {
    app.get('/api/audits', { config: { access: 'session' } }, async (request) => {
      const visible = await auditsVisible(wb, request)
      const audits = await listAudits(wb.store.db)
      return {
        audits: audits
          .filter((a) => visible === null || visible.has(a.id))
          .map((a) => toAuditDto(a, visible !== null)),
      }
    })

    app.post<{ Body: CreateAuditBody }>(
      '/api/audits',
      { config: { access: 'admin' }, schema: { body: createSchema } },
      async (request, reply) => {
        const b = request.body
        const datasets = await listDatasets(wb.store.db)
        const datasetId = b.datasetId ?? (datasets.length === 1 ? datasets[0]!.id : undefined)
        if (datasetId === undefined || !datasets.some((d) => d.id === datasetId))
          throw new ApiError(400, 'bad-input', 'say which dataset (datasetId)')
        const f = b.filters ?? {}
        const filters: AuditFilters = {
          ...(f.view === undefined ? {} : { view: f.view.toUpperCase() }),
          ...(f.sex === undefined ? {} : { sex: f.sex.toUpperCase() }),
          ...(f.split === undefined ? {} : { split: f.split.toLowerCase() }),
          ...(f.ageMin === undefined ? {} : { ageMin: f.ageMin }),
          ...(f.ageMax === undefined ? {} : { ageMax: f.ageMax }),
        }
        const { audit, notes } = await createAudit(wb.store, {
          datasetId,
          name: b.name,
          tags: b.tags,
          plan: {
            findings: b.findings,
            positives: parseCount('positives', b.positives ?? 100),
            negatives: parseCount('negatives', b.negatives ?? 0),
            seed: b.seed === undefined ? randomInt(0, 2 ** 31) : parseAuditSeed(b.seed),
            filters,
            onePerPatient: b.onePerPatient ?? true,
            blinded: b.blinded ?? false,
          },
        })
        await appendActivity(wb.store.db, {
          ...activityActor(actorOf(request)),
          action: 'audit.create',
          target: `audit ${audit.id}`,
          detail: {
            name: audit.name,
            dataset: audit.dataset,
            seed: audit.seed,
            blinded: audit.blinded,
          },
        })
        return reply.code(201).send({ audit: toAuditDto(audit), notes })
      },
    )

    app.get<{ Params: { id: number }; Querystring: { reader?: number } }>(
      '/api/audits/:id',
      {
        config: { access: 'session' },
        schema: {
          params: idParams,
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: { reader: readerQuery },
          },
        },
      },
      async (request) => {
        await requireAudit(wb, request, request.params.id)
        const audit = await wb.audit(request.params.id)
        const progress: AuditProgressDto = await auditProgress(
          wb.store.db,
          audit,
          verdictsOf(request, request.query.reader),
        )
        const reader = request.session?.user.role === 'reader' ? request.session.user.id : null
        // a reader is not told who else reads the audit, nor how far they got [A8]
        const shown =
          reader === null
            ? progress
            : { ...progress, readers: progress.readers.filter((r) => r.readerId === reader) }
        return { audit: toAuditDto(audit, reader !== null), progress: shown }
      },
    )

    app.get<{
      Params: { id: number }
      Querystring: { finding: number; page: number; reader?: number }
    }>(
      '/api/audits/:id/sheet',
      {
        config: { access: 'review' },
        schema: {
          params: idParams,
          querystring: {
            type: 'object',
            required: ['finding'],
            additionalProperties: false,
            properties: {
              finding: { type: 'integer', minimum: 1 },
              page: pageQuery,
              reader: readerQuery,
            },
          },
        },
      },
      async (request): Promise<SheetDto> => {
        await requireAudit(wb, request, request.params.id)
        const audit = await wb.audit(request.params.id)
        const { finding: findingId, page } = request.query
        const reader = verdictsOf(request, request.query.reader)
        const finding = audit.findings.find((f) => f.findingId === findingId)
        if (finding === undefined)
          throw new ApiError(404, 'not-found', `finding ${findingId} is not in audit ${audit.id}`)
        if (page >= finding.pages)
          throw new ApiError(404, 'not-found', `page ${page} is past the last (${finding.pages})`)
        const items = await auditSheetItems(wb.store.db, audit.id, findingId, page, reader ?? null)
        const plan = audit.findings.map((f) => ({ findingId: f.findingId, items: f.items }))
        const ref = { findingId, page }
        return {
          kind: 'audit',
          audit: { id: audit.id, name: audit.name, blinded: audit.blinded },
          dataset: { id: audit.datasetId, name: audit.dataset },
          finding: { findingId, name: finding.name },
          problem: null,
          tags: audit.tags,
          page,
          pages: finding.pages,
          pageSize: SHEET_SIZE,
          total: finding.items,
          items: items.map((it) => toItemDto(it, audit.blinded)),
          next: nextSheet(plan, ref),
          previous: previousSheet(plan, ref),
        }
      },
    )

    app.get<{
      Querystring: { expected: number; halfWidth?: number; n?: number; confidence: number }
    }>(
      '/api/plan',
      {
        config: { access: 'results' },
        schema: {
          querystring: {
            type: 'object',
            required: ['expected'],
            additionalProperties: false,
            properties: {
              expected: { type: 'number', minimum: 0, maximum: 1 },
              halfWidth: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
              n: { type: 'integer', minimum: 1, maximum: 100000000 },
              confidence: {
                type: 'number',
                exclusiveMinimum: 0,
                exclusiveMaximum: 1,
                default: 0.95,
              },
            },
          },
        },
      },
      async (request): Promise<PlanAnswer> => {
        const { expected, halfWidth, n, confidence } = request.query
        if ((halfWidth === undefined) === (n === undefined))
          throw new ApiError(400, 'bad-input', 'give either halfWidth (to plan n) or n')
        if (n !== undefined)
          return {
            expected,
            confidence,
            n,
            halfWidth: expectedHalfWidth({ expected, n, confidence }),
          }
        const planned = plannedSampleSize({ expected, halfWidth: halfWidth!, confidence })
        return {
          expected,
          confidence,
          n: planned,
          halfWidth: expectedHalfWidth({ expected, n: planned, confidence }),
        }
      },
    )
  }
}
