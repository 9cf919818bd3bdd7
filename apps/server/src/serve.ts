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

/** Builds the app and listens (on 127.0.0.1 by default; port 0 picks a free one). */
export async function startServer(o: {
  store: Store
  cacheDir: string
  webDir?: string | null
  port?: number
  host?: string
  logger?: boolean | { level: string }
}): Promise<RunningServer> {
  const host = o.host ?? DEFAULT_HOST
  const app = await buildApp({
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
