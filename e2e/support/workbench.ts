import { openStore, type Store } from '@cxr-audit/store'
import { ensureWebBuild, startServer, type RunningServer } from '@cxr-audit/server'
import { chromium, type Browser, type BrowserContext } from 'playwright-core'
import { join } from 'node:path'

/** Debian's Chromium, headless; never a downloaded browser. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
}

/**
 * Records the app's events in the page from its first script on, so page objects wait for
 * "the next sheet was painted" without racing the event.
 */
export async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
  await context.addInitScript(() => {
    const w = window as unknown as { __cxr: { paints: unknown[] } }
    w.__cxr = { paints: [] }
    window.addEventListener('cxr:sheet-painted', (e) =>
      w.__cxr.paints.push((e as CustomEvent).detail),
    )
  })
  context.setDefaultTimeout(20_000)
  return context
}

/** The real server, in this process, on a real database (SQLite or PostgreSQL); restartable on the same port. */
export class Workbench {
  server: RunningServer | null = null
  store: Store | null = null
  port = 0

  constructor(
    readonly db: string,
    readonly dir: string,
    /** Accounts mode (serve --accounts) [A7]. */
    readonly o: { accounts?: boolean } = {},
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  async start(): Promise<void> {
    const webDir = await ensureWebBuild()
    this.store = await openStore(this.db)
    this.server = await startServer({
      store: this.store,
      port: this.port,
      cacheDir: join(this.dir, 'cache'),
      webDir,
      accounts: this.o.accounts === true,
    })
    this.port = Number(new URL(this.server.url).port)
  }

  async stop(): Promise<void> {
    await this.server?.close()
    await this.store?.close()
    this.server = null
    this.store = null
  }

  /** A JSON call from the test itself (not the browser). */
  async api<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: T; text: string }> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await res.text()
    return { status: res.status, json: JSON.parse(text) as T, text }
  }
}
