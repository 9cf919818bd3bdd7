import { ACCESS_LEVELS, type Access } from '@cxr-audit/core'
import type { SessionUser } from '@cxr-audit/store'
import type { FastifyInstance } from 'fastify'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may use the route with accounts on; every /api route must say [A6]. */
    access?: Access
  }
  interface FastifyRequest {
    /** The logged-in user (accounts mode), else null. */
    session: SessionUser | null
  }
  interface FastifyInstance {
    /** Every /api route and its access level, as registered: the attack tests walk it. */
    readonly apiRoutes: readonly ApiRoute[]
  }
}

export interface ApiRoute {
  readonly method: string
  readonly url: string
  readonly access: Access
}

export const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * Records every /api route; one that declares no access level fails the start, so a new route
 * cannot slip past the session and role checks [A6].
 */
export function recordApiRoutes(app: FastifyInstance): void {
  const routes: ApiRoute[] = []
  app.decorate('apiRoutes', routes)
  app.decorateRequest('session', null)
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return
    const access = (route.config as { access?: Access } | undefined)?.access
    if (access === undefined || !ACCESS_LEVELS.includes(access))
      throw new Error(`the route ${String(route.method)} ${route.url} declares no access level`)
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    for (const method of methods)
      if (method !== 'HEAD') routes.push({ method: String(method), url: route.url, access })
  })
}
