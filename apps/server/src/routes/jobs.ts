import type { JobsDto } from '@cxr-audit/contract'
import type { JobQueue } from '@cxr-audit/jobs'
import { embeddingModelsOf, imageWorkProgress, listDatasets } from '@cxr-audit/store'
import type { FastifyPluginAsync } from 'fastify'
import type { Workbench } from '../app.ts'
import { ApiError } from '../errors.ts'
import { idParams } from './params.ts'

/**
 * Progress of the queued work [T8]: the dataset's finished images, and on PostgreSQL the batches
 * of each queue. The queue's connection opens on the first request and closes with the server.
 */
export function jobRoutes(wb: Workbench): FastifyPluginAsync {
  return async (app) => {
    let queue: Promise<JobQueue> | null = null
    app.addHook('onClose', async () => {
      if (queue !== null) await (await queue).close()
    })
    app.get<{ Params: { id: number } }>(
      '/api/datasets/:id/jobs',
      // progress of a dataset's image work: shown on the dataset page (results level)
      { config: { access: 'results' }, schema: { params: idParams } },
      async (request): Promise<JobsDto> => {
        const found = (await listDatasets(wb.store.db)).find((d) => d.id === request.params.id)
        if (found === undefined)
          throw new ApiError(404, 'not-found', `no dataset ${request.params.id}`)
        const dataset = { id: found.id, name: found.name }
        const images = await imageWorkProgress(wb.store.db, dataset.id)
        const embeddings = (await embeddingModelsOf(wb.store.db, dataset.id)).map((m) => ({
          model: m.name,
          modelSha256: m.sha256,
          embedded: m.images,
        }))
        if (wb.store.kind !== 'postgres') return { dataset, images, queues: [], embeddings }
        queue ??= import('@cxr-audit/jobs').then((j) =>
          j.openJobQueue(wb.store.url, { supervise: false }),
        )
        return { dataset, images, queues: await (await queue).progress(), embeddings }
      },
    )
  }
}
