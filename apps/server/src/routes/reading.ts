import { checkReadingEvents, recordReadingEvents, type ReadingEvent } from '@cxr-audit/store'
import { WINDOW_PRESET_NAMES } from '@cxr-audit/core'
import type { FastifyPluginAsync } from 'fastify'
import type { ReadingEventsAnswer, ReadingEventsBody } from '@cxr-audit/contract'
import type { Workbench } from '../app.ts'
import { refuseRejected, requireBatchAudits } from './event-batch.ts'
import { actingReader } from '../auth/scope.ts'

const id = { type: 'integer', minimum: 1, maximum: 2147483647 } as const
const clientEventId = { type: 'string', pattern: '^[A-Za-z0-9_-]{8,64}$' } as const

const readingSchema = {
  type: 'object',
  required: ['events'],
  additionalProperties: false,
  properties: {
    readerId: id,
    events: {
      type: 'array',
      minItems: 1,
      maxItems: 500,
      items: {
        oneOf: [
          {
            type: 'object',
            required: ['kind', 'clientEventId', 'auditId', 'findingId', 'page'],
            additionalProperties: false,
            properties: {
              kind: { const: 'sheet' },
              clientEventId,
              auditId: id,
              findingId: id,
              page: { type: 'integer', minimum: 0, maximum: 2147483647 },
            },
          },
          {
            type: 'object',
            required: ['kind', 'clientEventId', 'auditId', 'imageId'],
            additionalProperties: false,
            properties: { kind: { const: 'viewer' }, clientEventId, auditId: id, imageId: id },
          },
          {
            type: 'object',
            required: ['kind', 'clientEventId', 'auditId', 'imageId', 'preset'],
            additionalProperties: false,
            properties: {
              kind: { const: 'preset' },
              clientEventId,
              auditId: id,
              imageId: id,
              preset: { enum: [...WINDOW_PRESET_NAMES] },
            },
          },
        ],
      },
    },
  },
} as const

/**
 * Reading-condition events [W35]: a page shown, a film opened in the viewer, a preset applied.
 * Written by readers (and admins) for the audits they may open; a batch is checked whole and
 * stored in one transaction; a retried clientEventId is acknowledged and stored once. Not in the
 * activity log: these are facts about reading, not changes to anything (decision 035).
 */
export function readingRoutes(wb: Workbench): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: ReadingEventsBody }>(
      '/api/reading-events',
      { config: { access: 'review' }, schema: { body: readingSchema } },
      async (request): Promise<ReadingEventsAnswer> => {
        const { events } = request.body
        const reader = await actingReader(wb, request, request.body.readerId)
        await requireBatchAudits(
          wb,
          request,
          events.map((e) => e.auditId),
        )
        const typed = events as readonly ReadingEvent[]
        const rejected = await checkReadingEvents(wb.store.db, typed)
        refuseRejected(rejected, events.length)
        const { stored, duplicates } = await recordReadingEvents(wb.store, reader.id, typed)
        return { acknowledged: events.map((e) => e.clientEventId), stored, duplicates }
      },
    )
  }
}
