import { fileURLToPath } from 'node:url'

/** The built web app: apps/web/dist beside this package. */
export function defaultWebDir(): string {
  return fileURLToPath(new URL('../../web/dist/', import.meta.url))
}
