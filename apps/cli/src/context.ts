import { dirname, join, resolve } from 'node:path'
import type { Store } from '@cxr-audit/store'
import { Progress } from './progress.ts'

export const DEFAULT_DB = './cxr-audit.sqlite'

/** What every command gets: the global options, the store (opened on first use), output. */
export interface Context {
  readonly json: boolean
  readonly dbUrl: string
  readonly progress: Progress
  store(): Promise<Store>
  /** Human-readable lines (stdout unless --json, in which case they go nowhere). */
  say(text: string): void
  /** Set to 1 by a command that ran to the end but failed its check (verify-report). */
  exitCode: 0 | 1
}

export function createContext(opts: {
  json: boolean
  db: string
}): Context & { close(): Promise<void> } {
  let store: Promise<Store> | undefined
  return {
    json: opts.json,
    dbUrl: opts.db,
    progress: new Progress(),
    exitCode: 0,
    // the store (Kysely and the database drivers) loads on first use: `--help` never needs it
    store: () => (store ??= import('./open-store.ts').then((m) => m.openStore(opts.db))),
    say(text) {
      if (!opts.json) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)
    },
    async close() {
      if (store !== undefined) await (await store).close()
    },
  }
}

/** The rendition cache of a database: `.cxr-audit/cache` beside a SQLite file, else in `cwd`. */
export function defaultCacheDir(dbUrl: string, cwd = process.cwd()): string {
  if (/^postgres(ql)?:\/\//.test(dbUrl)) return join(cwd, '.cxr-audit', 'cache')
  return join(dirname(resolve(cwd, dbUrl)), '.cxr-audit', 'cache')
}
