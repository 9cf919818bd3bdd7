import { WINDOW_PRESET_NAMES, type WindowPreset } from '@cxr-audit/imaging'
import type { Rendition } from '@cxr-audit/imaging'
import { imageFile, studyFilmFile } from '@cxr-audit/store'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { readFile } from 'node:fs/promises'
import type { Workbench } from '../app.ts'
import { ApiError } from '../errors.ts'
import { idParams } from './params.ts'
import { requireImage } from '../auth/scope.ts'

async function source(
  wb: Workbench,
  id: number,
): Promise<{ path: string; datasetId: number; roots: string[] }> {
  const f = await imageFile(wb.store.db, id)
  if (f === undefined) throw new ApiError(404, 'not-found', `no image ${id}`)
  if (f.path === null) throw new ApiError(404, 'not-on-disk', `${f.name} is not on disk`)
  return { path: f.path, datasetId: f.datasetId, roots: f.roots }
}

async function send(
  request: FastifyRequest,
  reply: FastifyReply,
  rendition: Rendition,
): Promise<FastifyReply> {
  const etag = `"${rendition.key}"`
  reply.header('etag', etag)
  reply.header('cache-control', 'private, max-age=3600')
  if (request.headers['if-none-match'] === etag) return reply.code(304).send()
  return reply.type(rendition.contentType).send(await readFile(rendition.file))
}

/**
 * Thumbnails and full-resolution views of the images of a dataset, made only from files inside
 * the dataset's image roots; an unreadable image is a typed 422, never a crash [W18].
 */
export function imageRoutes(wb: Workbench): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: { id: number } }>(
      '/api/images/:id/thumbnail',
      { config: { access: 'review' }, schema: { params: idParams } },
      async (request, reply) => {
        await requireImage(wb, request, request.params.id)
        const s = await source(wb, request.params.id)
        return send(request, reply, await wb.renditions(s.datasetId, s.roots).thumbnail(s.path))
      },
    )

    // a study item's films, frontal first, shown together on the sheet [DS26]
    app.get<{ Params: { id: number; n: number } }>(
      '/api/images/:id/films/:n/thumbnail',
      {
        config: { access: 'review' },
        schema: {
          params: {
            type: 'object',
            required: ['id', 'n'],
            additionalProperties: false,
            properties: {
              id: idParams.properties.id,
              n: { type: 'integer', minimum: 0, maximum: 1000 },
            },
          },
        },
      },
      async (request, reply) => {
        await requireImage(wb, request, request.params.id)
        // film 0 is the item's own picture, for any item
        const f =
          request.params.n === 0
            ? await source(wb, request.params.id)
            : await studyFilmFile(wb.store.db, request.params.id, request.params.n)
        if (f === undefined)
          throw new ApiError(
            404,
            'not-found',
            `image ${request.params.id} has no film ${request.params.n}`,
          )
        return send(request, reply, await wb.renditions(f.datasetId, f.roots).thumbnail(f.path))
      },
    )

    app.get<{
      Params: { id: number }
      Querystring: { center?: number; width?: number; invert?: boolean; preset?: WindowPreset }
    }>(
      '/api/images/:id/view',
      {
        config: { access: 'review' },
        schema: {
          params: idParams,
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              center: { type: 'number', minimum: -100000, maximum: 100000 },
              width: { type: 'number', minimum: 1, maximum: 200000 },
              invert: { type: 'boolean' },
              preset: { enum: [...WINDOW_PRESET_NAMES] },
            },
          },
        },
      },
      async (request, reply) => {
        await requireImage(wb, request, request.params.id)
        const s = await source(wb, request.params.id)
        const q = request.query
        const display = {
          ...(q.center === undefined ? {} : { center: q.center }),
          ...(q.width === undefined ? {} : { width: q.width }),
          ...(q.invert === undefined ? {} : { invert: q.invert }),
          ...(q.preset === undefined ? {} : { preset: q.preset }),
        }
        return send(request, reply, await wb.renditions(s.datasetId, s.roots).view(s.path, display))
      },
    )
  }
}
