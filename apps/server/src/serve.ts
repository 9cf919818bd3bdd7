import type { Store } from '@cxr-audit/store'
import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.ts'
import { isLoopback } from './host-check.ts'

/** The workbench's port unless PORT or --port says otherwise. */
export const DEFAULT_PORT = 8417
export const DEFAULT_HOST = '127.0.0.1'

export interface RunningServer {
  readonly app: FastifyInstance
  readonly url: string
  close(): Promise<void>
}

/** Listening beyond loopback without accounts would let anyone write as any reader. */
export class ExposureError extends Error {
  override readonly name = 'ExposureError'
}

/** Why the server must not start on that host, or null [A7]. */
export function exposureProblem(host: string, accounts: boolean): string | null {
  if (accounts || isLoopback(host)) return null
  return (
    `refusing to listen on ${host} without accounts: anyone who can reach it could read every film ` +
    `and write verdicts as any reader. Add users (cxr-audit user add --name NAME --role admin ` +
    `--password-stdin) and start with --accounts, or listen on 127.0.0.1.`
  )
}

/** Builds the app and listens (on 127.0.0.1 by default; port 0 picks a free one). */
export async function startServer(o: {
  store: Store
  cacheDir: string
  webDir?: string | null
  port?: number
  host?: string
  logger?: boolean | { level: string }
  /** Accounts mode [A7]; required on any address but loopback. */
  accounts?: boolean
  trustProxy?: boolean
}): Promise<RunningServer> {
  const host = o.host ?? DEFAULT_HOST
  const problem = exposureProblem(host, o.accounts === true)
  if (problem !== null) throw new ExposureError(problem)
  const app = await buildApp({
    accounts: o.accounts === true,
    trustProxy: o.trustProxy === true,
    store: o.store,
    cacheDir: o.cacheDir,
    webDir: o.webDir ?? null,
    logger: o.logger ?? false,
    loopbackOnly: isLoopback(host),
  })
  await app.listen({ port: o.port ?? DEFAULT_PORT, host })
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : o.port
  const shown = host.includes(':') ? `[${host}]` : host
  return { app, url: `http://${shown}:${port}`, close: () => app.close() }
}
