import { DEFAULT_PORT, defaultWebDir, startServer } from '@cxr-audit/server'
import { defaultCacheDir, type Context } from '../context.ts'
import { UsageError } from '../errors.ts'

/** `cxr-audit serve`: the workbench until Ctrl-C; every verdict is committed before it is acknowledged. */
export async function serveCommand(
  ctx: Context,
  o: { port?: string; host: string; cache?: string },
): Promise<{ url: string }> {
  const portText = o.port ?? process.env['PORT'] ?? String(DEFAULT_PORT)
  const port = Number(portText)
  if (!/^\d+$/.test(portText) || port > 65535)
    throw new UsageError(`the port must be a whole number from 0 to 65535, got "${portText}"`)
  const store = await ctx.store()
  const server = await startServer({
    store,
    port,
    host: o.host,
    cacheDir: o.cache ?? defaultCacheDir(ctx.dbUrl),
    webDir: defaultWebDir(),
    logger: { level: 'warn' },
  })
  process.stderr.write(`cxr-audit workbench on ${server.url}  (Ctrl-C to stop)\n`)
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve()
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
  await server.close()
  return { url: server.url }
}
