import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The built web app: apps/web/dist beside this package. */
export function defaultWebDir(): string {
  return fileURLToPath(new URL('../../web/dist/', import.meta.url))
}

/** The rendition cache for a database: `.cxr-audit/cache` beside a SQLite file, else in `cwd`. */
export function defaultCacheDir(dbUrl: string, cwd = process.cwd()): string {
  if (/^postgres(ql)?:\/\//.test(dbUrl)) return join(cwd, '.cxr-audit', 'cache')
  return join(dirname(resolve(cwd, dbUrl)), '.cxr-audit', 'cache')
}
