import type { FastifyReply, FastifyRequest } from 'fastify'

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]'])

/** True for 127.0.0.1, ::1 and localhost: the only hosts the workbench listens on by default. */
export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost'
}

/**
 * Refuses requests whose Host header is not a loopback name while the server listens on a
 * loopback address: a web page elsewhere cannot reach the workbench by DNS rebinding [W19].
 */
export async function loopbackHostOnly(
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const host = (request.headers.host ?? '').toLowerCase()
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]
  if (!LOOPBACK_NAMES.has(name ?? '')) {
    await reply
      .code(421)
      .type('application/json')
      .send({ error: { kind: 'wrong-host', message: 'this server answers on 127.0.0.1 only' } })
  }
}
