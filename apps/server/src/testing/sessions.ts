import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import type { SessionAnswer } from '@cxr-audit/contract'

/** A logged-in client: its cookie and CSRF token, as a browser would hold them. */
export interface Login {
  readonly cookie: string
  readonly csrf: string
  readonly answer: SessionAnswer
  readonly setCookie: string
}

export async function login(
  app: FastifyInstance,
  name: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<Login> {
  const r = await app.inject({
    method: 'POST',
    url: '/api/session',
    payload: { name, password },
    headers,
  })
  if (r.statusCode !== 200) throw new Error(`login of ${name}: ${r.statusCode} ${r.body}`)
  const setCookie = String(r.headers['set-cookie'])
  return {
    cookie: setCookie.split(';')[0]!,
    csrf: (r.json() as SessionAnswer).csrfToken,
    answer: r.json() as SessionAnswer,
    setCookie,
  }
}

/** A request as that client (with its CSRF token on writes unless `csrf: false`). */
export function as(
  app: FastifyInstance,
  who: Login | null,
  method: string,
  url: string,
  o: { body?: unknown; csrf?: boolean | string } = {},
): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = {}
  if (who !== null) headers['cookie'] = who.cookie
  const csrf = o.csrf ?? true
  if (who !== null && csrf !== false) headers['x-csrf-token'] = csrf === true ? who.csrf : csrf
  return app.inject({
    method: method as 'GET',
    url,
    headers,
    ...(o.body === undefined ? {} : { payload: o.body as object }),
  })
}
