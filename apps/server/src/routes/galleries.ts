import { GALLERY_CELLS, galleryCallTables, parseModelOptions } from '@cxr-audit/core'
import { createGalleries, galleryReviews } from '@cxr-audit/store'
import type { FastifyPluginAsync } from 'fastify'
import type { Workbench } from '../app.ts'
import type { GalleryAnswer, GalleryBody, GalleryReviewDto } from '@cxr-audit/contract'
import { modelById } from '../model-truths.ts'
import { idParams } from './params.ts'
import { PRINTABLE } from './readers.ts'
import { actingReader, actorOf } from '../auth/scope.ts'
import { activityActor, appendActivity } from '@cxr-audit/store'

const gallerySchema = {
  type: 'object',
  required: ['readerId', 'finding', 'cell'],
  additionalProperties: false,
  properties: {
    readerId: idParams.properties.id,
    finding: { type: 'string', minLength: 1, maxLength: 80, pattern: PRINTABLE },
    cell: { enum: [...GALLERY_CELLS] },
    threshold: { type: 'string', minLength: 1, maxLength: 40, pattern: PRINTABLE },
    seed: { type: 'integer', minimum: 0, maximum: 2147483647 },
    size: { type: 'integer', minimum: 1, maximum: 180 },
  },
} as const

/**
 * Error galleries in one click [W30]: a write, so it names a registered person like every
 * event; the answer carries the first sheet of the gallery's review audit.
 */
export function galleryRoutes(wb: Workbench): FastifyPluginAsync {
  return async (app) => {
    // galleries after review [W37]: the same galleryReviews and galleryCallTables as the report
    app.get<{ Params: { id: number } }>(
      '/api/models/:id/gallery-review',
      { config: { access: 'results' }, schema: { params: idParams } },
      async (request): Promise<GalleryReviewDto> => {
        const m = await modelById(wb.store, request.params.id)
        const galleries = await galleryReviews(wb.store, m.name, m.dataset)
        return { model: m.name, galleries, tables: galleryCallTables(galleries) }
      },
    )

    app.post<{ Params: { id: number }; Body: GalleryBody }>(
      '/api/models/:id/galleries',
      { config: { access: 'admin' }, schema: { params: idParams, body: gallerySchema } },
      async (request, reply) => {
        const b = request.body
        const reader = await actingReader(wb, request, b.readerId)
        const m = await modelById(wb.store, request.params.id)
        const report = await createGalleries(wb.store, {
          model: m.name,
          dataset: m.dataset,
          finding: b.finding,
          cells: [b.cell],
          threshold: parseModelOptions({ threshold: b.threshold }).threshold,
          seed: b.seed,
          size: b.size,
        })
        const made = report.galleries[0]?.audit ?? null
        if (made?.created === true)
          await appendActivity(wb.store.db, {
            ...activityActor(actorOf(request, reader.name)),
            action: 'audit.create',
            target: `audit ${made.id}`,
            detail: { gallery: b.cell, model: m.name, finding: b.finding },
          })
        const audit = made === null ? null : await wb.audit(made.id)
        const first = audit?.findings[0]
        const answer: GalleryAnswer = {
          report,
          sheet:
            audit === null || first === undefined
              ? null
              : { auditId: audit.id, findingId: first.findingId, page: 0 },
        }
        return reply.code(made?.created === true ? 201 : 200).send(answer)
      },
    )
  }
}
