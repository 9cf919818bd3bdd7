import fastifyStatic from '@fastify/static'
import { imageSourceFor } from '@cxr-audit/dicomweb'
import { RenditionCache } from '@cxr-audit/imaging'
import type { AuditSummary, Store } from '@cxr-audit/store'
import { getAudit } from '@cxr-audit/store'
import Fastify, { type FastifyInstance } from 'fastify'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { recordApiRoutes } from './auth/access.ts'
import { sessionGuard } from './auth/guard.ts'
import { ApiError, errorHandler } from './errors.ts'
import { loopbackHostOnly } from './host-check.ts'
import { auditRoutes } from './routes/audits.ts'
import { datasetRoutes } from './routes/datasets.ts'
import { learnabilityRoutes } from './routes/learnability.ts'
import { eventRoutes } from './routes/events.ts'
import { readingRoutes } from './routes/reading.ts'
import { galleryRoutes } from './routes/galleries.ts'
import { imageRoutes } from './routes/images.ts'
import { jobRoutes } from './routes/jobs.ts'
import { modelRoutes } from './routes/models.ts'
import { readerRoutes } from './routes/readers.ts'
import { resultsRoutes } from './routes/results.ts'
import { sessionRoutes } from './routes/session.ts'
import { userRoutes } from './routes/users.ts'
import { DatasetChecks } from './dataset-checks.ts'

export interface WorkbenchOptions {
  readonly store: Store
  /** Folder of the thumbnail and view rendition cache. */
  readonly cacheDir: string
  /** The built web app (apps/web/dist); null or missing serves the API only. */
  readonly webDir?: string | null
  /** Fastify's logger option (false in tests). */
  readonly logger?: boolean | { level: string }
  /** Refuse non-loopback Host headers (on whenever the server listens on a loopback address). */
  readonly loopbackOnly?: boolean
  /** Long side of thumbnails in pixels (default 384). */
  readonly thumbnailSize?: number
  /** Where DICOMweb credentials and timeout are read (default process.env) [D4]. */
  readonly env?: Record<string, string | undefined>
  /** Accounts mode: every /api route needs a session, writes a CSRF token, roles apply [A7]. */
  readonly accounts?: boolean
  /** Behind a TLS proxy: believe X-Forwarded-For/-Proto (the address logged, Secure cookies). */
  readonly trustProxy?: boolean
}

/** What the routes share: the store and the caches. No module-level state. */
export interface Workbench {
  readonly store: Store
  /**
   * The rendition cache of a dataset, serving only from inside its image roots [W18], or only
   * from its DICOMweb server [I23].
   */
  renditions(datasetId: number, roots: readonly string[]): RenditionCache
  /** An audit by id (audits never change once drawn, so they are kept). */
  audit(id: number): Promise<AuditSummary>
  readonly checks: DatasetChecks
  /** Whether accounts are on (else the one-person mode of loopback). */
  readonly accounts: boolean
}

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ')

/** The workbench server: the JSON API, the renditions and the built web app. */
export async function buildApp(options: WorkbenchOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 2 * 1024 * 1024,
    // close means close: a browser's keep-alive sockets must not hold a restart for 72 s (an
    // event batch cut off here was not acknowledged, so the browser sends it again)
    forceCloseConnections: true,
    trustProxy: options.trustProxy ?? false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  })
  const caches = new Map<number, RenditionCache>()
  const audits = new Map<number, AuditSummary>()
  const workbench: Workbench = {
    store: options.store,
    renditions(datasetId, roots) {
      let cache = caches.get(datasetId)
      if (cache === undefined) {
        const dir = join(options.cacheDir, `dataset-${datasetId}`)
        cache = new RenditionCache({
          dir,
          source: imageSourceFor(roots, {
            cacheDir: dir,
            ...(options.env ? { env: options.env } : {}),
          }),
          render: { thumbnailSize: options.thumbnailSize ?? 384, thumbnailQuality: 82 },
        })
        caches.set(datasetId, cache)
      }
      return cache
    },
    async audit(id) {
      const known = audits.get(id)
      if (known !== undefined) return known
      const audit = await getAudit(options.store.db, id)
      if (audit === undefined) throw new ApiError(404, 'not-found', `no audit ${id}`)
      audits.set(id, audit)
      return audit
    },
    checks: new DatasetChecks(options.store.db),
    accounts: options.accounts ?? false,
  }
  // JSON only: a cross-site form (text/plain, urlencoded) cannot post events [W19]
  app.removeContentTypeParser('text/plain')
  app.setErrorHandler(errorHandler)
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .type('application/json')
      .send({ error: { kind: 'not-found', message: `no route ${request.method} ${request.url}` } }),
  )
  if (options.loopbackOnly === true) app.addHook('onRequest', loopbackHostOnly)
  recordApiRoutes(app)
  if (options.accounts === true) app.addHook('onRequest', sessionGuard(options.store))
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff')
    reply.header('referrer-policy', 'no-referrer')
    reply.header('x-frame-options', 'DENY')
    reply.header('cross-origin-opener-policy', 'same-origin')
    if (_request.protocol === 'https')
      reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains')
    // answers of the API are per user: never kept by a shared cache or the browser's
    if (_request.url.startsWith('/api/') && !reply.hasHeader('cache-control'))
      reply.header('cache-control', 'no-store')
    // the downloadable report sets its own (no script either) [W28]
    if (!reply.hasHeader('content-security-policy'))
      reply.header('content-security-policy', CONTENT_SECURITY_POLICY)
    return payload
  })

  app.get('/api/health', { config: { access: 'session' } }, async () => ({ ok: true }))
  await app.register(sessionRoutes(workbench))
  await app.register(userRoutes(workbench))
  await app.register(readerRoutes(workbench))
  await app.register(datasetRoutes(workbench))
  await app.register(learnabilityRoutes(workbench))
  await app.register(auditRoutes(workbench))
  await app.register(eventRoutes(workbench))
  await app.register(readingRoutes(workbench))
  await app.register(imageRoutes(workbench))
  await app.register(resultsRoutes(workbench))
  await app.register(modelRoutes(workbench))
  await app.register(galleryRoutes(workbench))
  await app.register(jobRoutes(workbench))

  const webDir = options.webDir
  if (webDir !== undefined && webDir !== null && existsSync(join(webDir, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: webDir,
      wildcard: false,
      index: 'index.html',
      cacheControl: false,
      setHeaders(reply, path) {
        // hashed assets never change; index.html must always be fresh
        reply.header(
          'cache-control',
          path.includes(join('assets', '')) ? 'public, max-age=31536000, immutable' : 'no-cache',
        )
      },
    })
  } else {
    app.get('/', async (_request, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .send(
          'The cxr-audit API is running, but the web app is not built.\nBuild it with: npm run build -w @cxr-audit/web (or use npm start)\n',
        ),
    )
  }
  return app
}
