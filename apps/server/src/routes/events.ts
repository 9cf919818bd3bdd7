import { checkEvents, recordEvents, type WorkbenchEvent } from '@cxr-audit/store'
import type { FastifyPluginAsync } from 'fastify'
import type { Workbench } from '../app.ts'
import type { EventsAnswer, EventsBody } from '@cxr-audit/contract'
import { refuseRejected, requireBatchAudits } from './event-batch.ts'
import { PRINTABLE } from './readers.ts'
import { actingReader, actorOf } from '../auth/scope.ts'

const id = { type: 'integer', minimum: 1, maximum: 2147483647 } as const
const clientEventId = { type: 'string', pattern: '^[A-Za-z0-9_-]{8,64}$' } as const

const eventsSchema = {
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
            required: ['kind', 'clientEventId', 'auditId', 'imageId', 'findingId', 'verdict'],
            additionalProperties: false,
            properties: {
              kind: { const: 'verdict' },
              clientEventId,
              auditId: id,
              imageId: id,
              findingId: id,
              verdict: { enum: ['present', 'absent', 'uncertain', null] },
              implied: { type: 'boolean' },
            },
          },
          {
            type: 'object',
            required: ['kind', 'clientEventId', 'auditId', 'imageId', 'tag', 'on'],
            additionalProperties: false,
            properties: {
              kind: { const: 'tag' },
              clientEventId,
              auditId: { anyOf: [id, { type: 'null' }] },
              imageId: id,
              tag: { type: 'string', minLength: 1, maxLength: 40, pattern: PRINTABLE },
              on: { type: 'boolean' },
            },
          },
        ],
      },
    },
  },
} as const

/**
 * Verdict and tag events [W15][W16]: a batch is checked whole and stored in one transaction,
 * then acknowledged; a retried clientEventId is acknowledged again and stored once.
 */
export function eventRoutes(wb: Workbench): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: EventsBody }>(
      '/api/events',
      // the coercing validator would turn a verdict of "" into null: validate as sent
      { config: { access: 'review' }, schema: { body: eventsSchema } },
      async (request): Promise<EventsAnswer> => {
        const { events } = request.body
        const reader = await actingReader(wb, request, request.body.readerId)
        await requireBatchAudits(
          wb,
          request,
          events.map((e) => e.auditId),
        )
        const typed = events as readonly WorkbenchEvent[]
        const rejected = await checkEvents(wb.store.db, typed)
        refuseRejected(rejected, events.length)
        const { stored, duplicates } = await recordEvents(
          wb.store,
          reader.id,
          typed,
          actorOf(request, reader.name),
        )
        return { acknowledged: events.map((e) => e.clientEventId), stored, duplicates }
      },
    )
  }
}
