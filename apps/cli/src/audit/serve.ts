import { DEFAULT_PORT, defaultWebDir, exposureProblem, startServer } from '@cxr-audit/server'
import { listUsers } from '@cxr-audit/store'
import { defaultCacheDir, type Context } from '../context.ts'
import { UsageError } from '../errors.ts'

/** `cxr-audit serve`: the workbench until Ctrl-C; every verdict is committed before it is acknowledged. */
export async function serveCommand(
  ctx: Context,
  o: { port?: string; host: string; cache?: string; accounts?: boolean; trustProxy?: boolean },
): Promise<{ url: string }> {
  const portText = o.port ?? process.env['PORT'] ?? String(DEFAULT_PORT)
  const port = Number(portText)
  if (!/^\d+$/.test(portText) || port > 65535)
    throw new UsageError(`the port must be a whole number from 0 to 65535, got "${portText}"`)
  // checked before anything opens: a refused start touches nothing
  const problem = exposureProblem(o.host, o.accounts === true)
  if (problem !== null) throw new UsageError(problem)
  const store = await ctx.store()
  if (
    o.accounts === true &&
    (await listUsers(store.db)).every((u) => u.role !== 'admin' || u.disabled)
  )
    process.stderr.write(
      'cxr-audit: no admin account yet: nobody can manage users or audits from the browser.\n' +
        '  Add one: cxr-audit user add --name NAME --role admin --password-stdin\n',
    )
  const server = await startServer({
    accounts: o.accounts === true,
    trustProxy: o.trustProxy === true,
    store,
    port,
    host: o.host,
    cacheDir: o.cache ?? defaultCacheDir(ctx.dbUrl),
    webDir: defaultWebDir(),
    logger: { level: 'warn' },
  })
  process.stderr.write(
    `cxr-audit workbench on ${server.url}${o.accounts === true ? ' with accounts' : ''}  (Ctrl-C to stop)\n`,
  )
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
