import { activityActor, appendActivity, ensureReader, listReaders } from '@cxr-audit/store'
import { actorOf } from '../auth/scope.ts'
import type { FastifyPluginAsync } from 'fastify'
import type { Workbench } from '../app.ts'
import type { ReaderDto } from '@cxr-audit/contract'
import { ApiError } from '../errors.ts'

/** Printable text: no control characters (names are shown on every page and in reports). */
export const PRINTABLE = '^[^\\u0000-\\u001f\\u007f]*$'

/** Readers register by name; local mode has no passwords [W17]. */
export function readerRoutes(wb: Workbench): FastifyPluginAsync {
  return async (app) => {
    app.get('/api/readers', { config: { access: 'results' } }, async () => ({
      readers: (await listReaders(wb.store.db))
        .filter((r) => r.kind === 'person')
        .map((r): ReaderDto => ({ id: r.id, name: r.name })),
    }))

    app.post<{ Body: { name: string } }>(
      '/api/readers',
      {
        // with accounts, people are users (POST /api/users); a bare name is the admin's to add
        config: { access: 'admin' },
        schema: {
          body: {
            type: 'object',
            required: ['name'],
            additionalProperties: false,
            properties: {
              name: { type: 'string', minLength: 1, maxLength: 60, pattern: PRINTABLE },
            },
          },
        },
      },
      async (request) => {
        const name = request.body.name.trim().replace(/\s+/g, ' ')
        if (name === '') throw new ApiError(400, 'bad-input', 'a reader needs a name')
        const reader = await ensureReader(wb.store.db, name, 'person')
        await appendActivity(wb.store.db, {
          ...activityActor(actorOf(request, name)),
          action: 'reader.register',
          target: name,
        })
        return { reader: { id: reader.id, name: reader.name } satisfies ReaderDto }
      },
    )
  }
}
