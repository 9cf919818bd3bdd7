import { appendActivity, checkLogin, createSession, endSession } from '@cxr-audit/store'
import type { FastifyPluginAsync } from 'fastify'
import type { LoginBody, SessionAnswer } from '@cxr-audit/contract'
import type { Workbench } from '../app.ts'
import { clearedCookie, sessionCookie } from '../auth/cookies.ts'
import { LoginLimiter } from '../auth/rate-limit.ts'
import { ApiError } from '../errors.ts'

/** How long a login lasts: a working day and then some. */
export const SESSION_HOURS = 12

const loginSchema = {
  type: 'object',
  required: ['name', 'password'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    password: { type: 'string', minLength: 1, maxLength: 1024 },
  },
} as const

/** Log in, who am I, log out [A4]. */
export function sessionRoutes(wb: Workbench): FastifyPluginAsync {
  const limiter = new LoginLimiter()
  return async (app) => {
    app.post<{ Body: LoginBody }>(
      '/api/session',
      { config: { access: 'open' }, schema: { body: loginSchema } },
      async (request, reply): Promise<SessionAnswer> => {
        if (!wb.accounts)
          throw new ApiError(
            404,
            'no-accounts',
            'this server runs without accounts (serve --accounts)',
          )
        const { name, password } = request.body
        const address = request.ip
        const wait = limiter.retryAfter(name, address)
        if (wait > 0) {
          reply.header('retry-after', String(wait))
          throw new ApiError(429, 'rate-limited', `too many failed logins: try again in ${wait} s`)
        }
        const user = await checkLogin(wb.store.db, name, password)
        if (user === undefined) {
          limiter.failed(name, address)
          await appendActivity(wb.store.db, {
            actor: 'anonymous',
            action: 'session.login-failed',
            target: name.slice(0, 60),
            address,
          })
          // one message for a wrong name and a wrong password: names are not disclosed
          throw new ApiError(401, 'bad-login', 'wrong name or password')
        }
        limiter.succeeded(name, address)
        const s = await createSession(wb.store.db, {
          userId: user.id,
          address,
          hours: SESSION_HOURS,
        })
        await appendActivity(wb.store.db, {
          actor: user.name,
          actorId: user.id,
          action: 'session.login',
          address,
        })
        reply.header('set-cookie', sessionCookie(request, s.token, SESSION_HOURS * 3600))
        return { user: { id: user.id, name: user.name, role: user.role }, csrfToken: s.csrfToken }
      },
    )

    app.get('/api/session', { config: { access: 'session' } }, async (request) => {
      const s = request.session
      if (s === null) return { accounts: false }
      return { user: s.user, csrfToken: s.csrfToken } satisfies SessionAnswer
    })

    app.delete('/api/session', { config: { access: 'session' } }, async (request, reply) => {
      const s = request.session
      if (s !== null) {
        await endSession(wb.store.db, s.sessionId)
        await appendActivity(wb.store.db, {
          actor: s.user.name,
          actorId: s.user.id,
          action: 'session.logout',
          address: request.ip,
        })
      }
      reply.header('set-cookie', clearedCookie(request))
      return { ok: true }
    })
  }
}
