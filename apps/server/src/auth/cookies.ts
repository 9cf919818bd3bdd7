import type { FastifyRequest } from 'fastify'

export const SESSION_COOKIE = 'cxr_session'

/** The value of a cookie in the request's Cookie header, if any. */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie
  if (header === undefined) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}

/** HttpOnly, SameSite=Strict, Path=/; Secure when the client reached us over https. */
export function sessionCookie(
  request: FastifyRequest,
  token: string,
  maxAgeSeconds: number,
): string {
  const secure = request.protocol === 'https' ? '; Secure' : ''
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`
}

export function clearedCookie(request: FastifyRequest): string {
  return sessionCookie(request, '', 0)
}
