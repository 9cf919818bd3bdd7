import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { prepareDemo } from './demo.ts'
import { DEFAULT_PORT, startServer } from './serve.ts'
import { ensureWebBuild } from './web-build.ts'

/** `npm start` (scripts/start.js): build, import, draw, serve. Returns the exit code. */
export async function runDemo(root: URL): Promise<number> {
  const dir = fileURLToPath(root)
  const say = (s: string): void => void process.stderr.write(`${s}\n`)
  const portText = process.env['PORT'] ?? String(DEFAULT_PORT)
  const port = Number(portText)
  if (!/^\d+$/.test(portText) || port > 65535) {
    say(`PORT must be a whole number from 0 to 65535, got "${portText}"`)
    return 2
  }
  const webDir = await ensureWebBuild(say)
  const db = join(dir, '.cxr-audit', 'demo.sqlite')
  const cacheDir = join(dir, '.cxr-audit', 'cache')
  const predictions = join(dir, 'examples', 'predictions', 'densenet121-jrzech-test-preds.csv.gz')
  const examples = join(dir, 'examples', 'cxr14')
  const { store } = await prepareDemo({ examples, db, predictions, cacheDir }, say)
  let server
  try {
    server = await startServer({
      store,
      port,
      cacheDir,
      webDir,
      logger: { level: 'warn' },
    })
  } catch (e) {
    await store.close()
    if ((e as { code?: string }).code === 'EADDRINUSE') {
      say(`Port ${port} is in use. Start on another one: PORT=8418 npm start`)
      return 1
    }
    throw e
  }
  say(`\ncxr-audit workbench: ${server.url}/\n  database ${db}\n  Ctrl-C to stop\n`)
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  await server.close()
  await store.close()
  return 0
}
