import { roleMay } from '@cxr-audit/core'
import { findSession, type Store } from '@cxr-audit/store'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { timingSafeEqual } from 'node:crypto'
import { WRITE_METHODS } from './access.ts'
import { readCookie, SESSION_COOKIE } from './cookies.ts'

const refuse = (reply: FastifyReply, status: number, kind: string, message: string) =>
  reply.code(status).type('application/json').send({ error: { kind, message } })

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/**
 * With accounts, before the body is even parsed [A7]: no valid session is 401, a write without
 * the session's `x-csrf-token` is 403, a role below the route's access level is 403.
 */
export function sessionGuard(store: Store) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    // the matched route decides, never the URL's spelling (encoded or odd paths match too);
    // routes without a level are the web app's files, unknown paths fall to the 404 handler
    const access = request.routeOptions.config.access
    if (access === undefined || access === 'open') return
    const token = readCookie(request, SESSION_COOKIE)
    const session =
      token === undefined || token === '' ? undefined : await findSession(store.db, token)
    if (session === undefined)
      return void (await refuse(reply, 401, 'unauthenticated', 'log in first (POST /api/session)'))
    if (WRITE_METHODS.has(request.method)) {
      const sent = request.headers['x-csrf-token']
      if (typeof sent !== 'string' || !sameToken(sent, session.csrfToken))
        return void (await refuse(
          reply,
          403,
          'csrf',
          'a write needs header x-csrf-token with the token of the session',
        ))
    }
    if (!roleMay(session.user.role, access))
      return void (await refuse(
        reply,
        403,
        'forbidden',
        `a ${session.user.role} may not ${request.method} ${request.routeOptions.url ?? request.url}`,
      ))
    request.session = session
  }
}
